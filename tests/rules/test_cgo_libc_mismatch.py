"""GC205 cgo-libc-mismatch: cgo builds copied onto an image without the build's libc."""

from __future__ import annotations

import pytest

from tests.rules.helpers import POLICY_FOLLOWING, assert_fix, assert_noop, assert_report_only

FINAL_SCRATCH = '\nFROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n'


def _build(run: str, image: str = "golang:1.22", extra: str = "") -> str:
    return f"FROM {image} AS build\nWORKDIR /src\n{extra}COPY . .\n{run}\n"


FIX = [
    pytest.param(
        _build("RUN go build -o /out/app ./cmd/app") + FINAL_SCRATCH,
        _build("RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app") + FINAL_SCRATCH,
        id="debian-default-on-into-scratch",
    ),
    pytest.param(
        _build("RUN go build -o /out/app .")
        + "\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/app /app\n",
        _build("RUN CGO_ENABLED=0 go build -o /out/app .")
        + "\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/app /app\n",
        id="distroless-static",
    ),
    pytest.param(
        _build("RUN go build -o /out/app .")
        + "\nFROM alpine:3.20\nCOPY --from=build /out/app /usr/bin/app\n",
        _build("RUN CGO_ENABLED=0 go build -o /out/app .")
        + "\nFROM alpine:3.20\nCOPY --from=build /out/app /usr/bin/app\n",
        id="glibc-build-into-alpine",
    ),
    pytest.param(
        _build("RUN GOOS=linux go build -o /out/app .") + FINAL_SCRATCH,
        _build("RUN CGO_ENABLED=0 GOOS=linux go build -o /out/app .") + FINAL_SCRATCH,
        id="goos-linux-is-native",
    ),
    pytest.param(
        _build("RUN go mod download && \\\n    go build \\\n      -o /out/app .") + FINAL_SCRATCH,
        _build("RUN go mod download && \\\n    CGO_ENABLED=0 go build \\\n      -o /out/app .")
        + FINAL_SCRATCH,
        id="continuation-lines",
    ),
    pytest.param(
        (_build("RUN go build -o /out/app .") + FINAL_SCRATCH).replace("\n", "\r\n"),
        (_build("RUN CGO_ENABLED=0 go build -o /out/app .") + FINAL_SCRATCH).replace("\n", "\r\n"),
        id="crlf",
    ),
    pytest.param(
        _build("RUN go build -o /out/ ./cmd/app")
        + "\nFROM scratch\nCOPY --from=build /out/ /bin/\n",
        _build("RUN CGO_ENABLED=0 go build -o /out/ ./cmd/app")
        + "\nFROM scratch\nCOPY --from=build /out/ /bin/\n",
        id="directory-copy",
    ),
    pytest.param(
        _build("RUN go build -o /out/app .")
        + "\nFROM build AS mid\nRUN true\n"
        + FINAL_SCRATCH.replace("--from=build", "--from=mid"),
        _build("RUN CGO_ENABLED=0 go build -o /out/app .")
        + "\nFROM build AS mid\nRUN true\n"
        + FINAL_SCRATCH.replace("--from=build", "--from=mid"),
        id="copied-from-a-child-stage",
    ),
]


@pytest.mark.parametrize(("before", "after"), FIX)
def test_fix(before: str, after: str) -> None:
    assert_fix("GC205", before, after)


NOOP = [
    pytest.param(POLICY_FOLLOWING, id="policy-following"),
    pytest.param(_build("RUN CGO_ENABLED=0 go build -o /out/app .") + FINAL_SCRATCH, id="cgo-off"),
    pytest.param(
        _build("RUN go build -o /out/app .", extra="ENV CGO_ENABLED=0\n") + FINAL_SCRATCH,
        id="cgo-off-by-env",
    ),
    pytest.param(
        _build("RUN go build -o /out/app .", image="golang:1.22-alpine") + FINAL_SCRATCH,
        id="alpine-build-default-off",
    ),
    pytest.param(
        _build("RUN go build -ldflags '-s -w -extldflags \"-static\"' -o /out/app .")
        + FINAL_SCRATCH,
        id="static-extldflags",
    ),
    pytest.param(
        _build("RUN go build -tags netgo,osusergo -o /out/app .") + FINAL_SCRATCH,
        id="netgo-osusergo-default-on",
    ),
    pytest.param(
        _build("RUN go build -o /out/app .")
        + "\nFROM alpine:3.20\nRUN apk add --no-cache gcompat\nCOPY --from=build /out/app /app\n",
        id="alpine-with-gcompat",
    ),
    pytest.param(
        _build("RUN go build -o /out/app .")
        + "\nFROM gcr.io/distroless/base-debian12\nCOPY --from=build /out/app /app\n",
        id="glibc-into-distroless-base",
    ),
    pytest.param(
        "ARG RUNTIME\n"
        + _build("RUN go build -o /out/app .")
        + "\nFROM ${RUNTIME}\nCOPY --from=build /out/app /app\n",
        id="arg-valued-runtime-image",
    ),
    pytest.param(
        "ARG GO\n" + _build("RUN go build -o /out/app .", image="golang:${GO}") + FINAL_SCRATCH,
        id="arg-valued-build-image",
    ),
    pytest.param(
        _build("RUN GOARCH=$TARGETARCH go build -o /out/app .", extra="ARG TARGETARCH\n")
        + FINAL_SCRATCH,
        id="possible-cross-compile-unknown",
    ),
    pytest.param(
        _build("RUN go build -o /out/app .") + "\nFROM scratch\nCOPY --from=build /out/other /x\n",
        id="binary-not-copied",
    ),
    pytest.param(
        'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app .\nCMD ["/out/app"]\n',
        id="single-stage",
    ),
]


@pytest.mark.parametrize("text", NOOP)
def test_noop(text: str) -> None:
    assert_noop("GC205", text)


def test_explicit_cgo_is_reported_with_the_image_that_fits() -> None:
    text = _build("RUN CGO_ENABLED=1 go build -o /out/app .") + FINAL_SCRATCH
    result = assert_report_only("GC205", text)
    (f,) = result.findings
    assert "`CGO_ENABLED=1` on line 4" in f.message and "will not start" in f.message
    assert f.note is not None and "gcr.io/distroless/base-debian12" in f.note
    assert not f.fixable


def test_musl_build_into_glibc_image_points_to_alpine() -> None:
    text = (
        _build(
            "RUN go build -o /out/app .",
            image="golang:1.22-alpine",
            extra="RUN apk add --no-cache gcc musl-dev\nENV CGO_ENABLED=1\n",
        )
        + "\nFROM gcr.io/distroless/base-debian12\nCOPY --from=build /out/app /app\n"
    )
    (f,) = assert_report_only("GC205", text).findings
    assert "musl" in f.message and f.note is not None and "`alpine`" in f.note


def test_default_on_is_worded_as_may() -> None:
    (f,) = assert_report_only(
        "GC205",
        _build('RUN ["go", "build", "-o", "/out/app", "."]') + FINAL_SCRATCH,
    ).findings
    assert "may not start" in f.message
    assert f.note is not None and "exec-form" in f.note


def test_sudo_wrapper_is_not_rewritten() -> None:
    (f,) = assert_report_only(
        "GC205", _build("RUN sudo go build -o /out/app .") + FINAL_SCRATCH
    ).findings
    assert f.note is not None and "wrapper" in f.note
