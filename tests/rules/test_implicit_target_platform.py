"""GC204 implicit-target-platform: builds for the image get GOOS/GOARCH from the target."""

from __future__ import annotations

import pytest

from tests.rules.helpers import POLICY_FOLLOWING, assert_fix, assert_noop, assert_report_only

RUNTIME = (
    "\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/app /app\n"
    'ENTRYPOINT ["/app"]\n'
)
XBUILD = "CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app ./cmd/app"


def _df(run: str, from_: str = "FROM golang:1.22 AS build", extra: str = "") -> str:
    return f"{from_}\n{extra}WORKDIR /src\nCOPY . .\nRUN {run}\n" + RUNTIME


BP = "FROM --platform=$BUILDPLATFORM golang:1.22 AS build"
ARGS = "ARG TARGETOS TARGETARCH\n"

FIX = [
    pytest.param(
        _df("CGO_ENABLED=0 go build -o /out/app ./cmd/app"),
        _df(XBUILD, BP, ARGS),
        id="adds-platform-args-and-prefix",
    ),
    pytest.param(
        _df("CGO_ENABLED=0 GOOS=linux go build -o /out/app ./cmd/app"),
        _df(
            "CGO_ENABLED=0 GOOS=linux GOARCH=$TARGETARCH go build -o /out/app ./cmd/app",
            BP,
            "ARG TARGETARCH\n",
        ),
        id="goos-linux-kept-goarch-added",
    ),
    pytest.param(
        _df("CGO_ENABLED=0 go build -o /out/app ./cmd/app", BP),
        _df(XBUILD, BP, ARGS),
        id="already-on-buildplatform-wrong-arch",
    ),
    pytest.param(
        _df("CGO_ENABLED=0 go build -o /out/app ./cmd/app", BP, ARGS),
        _df(XBUILD, BP, ARGS),
        id="args-already-declared",
    ),
    pytest.param(
        _df("go build -o /out/app ./cmd/app", extra="ENV CGO_ENABLED=0\n"),
        _df(
            "GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app ./cmd/app",
            BP,
            ARGS + "ENV CGO_ENABLED=0\n",
        ),
        id="cgo-off-by-env",
    ),
    pytest.param(
        _df("env CGO_ENABLED=0 go build -o /out/app ./cmd/app"),
        _df(
            "env CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app ./cmd/app",
            BP,
            ARGS,
        ),
        id="env-wrapper",
    ),
    pytest.param(
        _df("go mod download && \\\n    CGO_ENABLED=0 \\\n    go build -o /out/app ./cmd/app"),
        _df(
            "go mod download && \\\n    CGO_ENABLED=0 \\\n"
            "    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app ./cmd/app",
            BP,
            ARGS,
        ),
        id="continuation-lines",
    ),
    pytest.param(
        _df("CGO_ENABLED=0 go build -o /out/app ./cmd/app").replace("\n", "\r\n"),
        _df(XBUILD, BP, ARGS).replace("\n", "\r\n"),
        id="crlf",
    ),
    pytest.param(
        "from golang:1.22 as build\nrun CGO_ENABLED=0 go build -o /out/app .\n"
        "from scratch\ncopy --from=build /out/app /app\n"
        "copy --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\n",
        "from --platform=$BUILDPLATFORM golang:1.22 as build\narg TARGETOS TARGETARCH\n"
        "run CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .\n"
        "from scratch\ncopy --from=build /out/app /app\n"
        "copy --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\n",
        id="lower-case-and-ca-certificates",
    ),
    pytest.param(
        _df(
            "CGO_ENABLED=0 go build -o /out/app ./cmd/app && go install tool@v1.0.0 && tool"
        ).replace("COPY --from=build /out/app /app", "COPY --from=build /out /app"),
        _df(
            "CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app ./cmd/app"
            " && go install tool@v1.0.0 && tool",
            BP,
            ARGS,
        ).replace("COPY --from=build /out/app /app", "COPY --from=build /out /app"),
        id="tool-built-and-run-natively-output-dir-copied",
    ),
]


@pytest.mark.parametrize(("before", "after"), FIX)
def test_fix(before: str, after: str) -> None:
    assert_fix("GC204", before, after)


NOOP = [
    pytest.param(POLICY_FOLLOWING, id="policy-following"),
    pytest.param(
        _df("go build -o /out/app ./cmd/app", BP, ARGS + "ENV GOOS=$TARGETOS GOARCH=$TARGETARCH\n"),
        id="goarch-from-env",
    ),
    pytest.param(
        _df("go build ./... && go build -o /out/app ./cmd/app", BP, ARGS).replace(
            "RUN go build ./... && go build", "RUN go build ./... && GOARCH=$TARGETARCH go build"
        ),
        id="several-packages-write-no-binary",
    ),
    pytest.param(
        _df("CGO_ENABLED=0 GOOS=windows go build -o /out/app.exe .").replace(
            "/out/app /app", "/out/app.exe /app.exe"
        ),
        id="other-os-on-purpose",
    ),
    pytest.param(
        "FROM golang:1.22 AS build\n"
        "RUN GOARCH=amd64 go build -o /dist/app-amd64 . && \\\n"
        "    GOARCH=arm64 go build -o /dist/app-arm64 .\n"
        "FROM alpine\nCOPY --from=build /dist/ /dist/\n",
        id="release-bundle-of-architectures",
    ),
    pytest.param(
        "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /out/tool ./tools/gen\n"
        "FROM scratch\nCOPY --from=build /out/app /app\n",
        id="binary-not-shipped",
    ),
    pytest.param(
        "FROM golang:1.22 AS build\nARG TARGETARCH\nRUN GOARCH=${TARGETARCH} xx-go build -o /a .\n"
        "FROM scratch\nCOPY --from=build /a /a\n",
        id="xx-go-is-not-go",
    ),
    pytest.param(
        "FROM myorg/builder AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\n"
        "FROM scratch\nCOPY --from=build /out/app /app\n",
        id="unknown-builder-image-may-set-goarch",
    ),
    pytest.param(
        "FROM golang:1.22-alpine AS build\nRUN go install golang.org/x/crypto/ssh "
        "github.com/coder/websocket\nARG TARGETARCH\nRUN GOARCH=$TARGETARCH go install ./cmd/d\n"
        "FROM alpine\nCOPY --from=build /go/bin/* /usr/local/bin/\n",
        id="dependency-warm-up-install-through-a-glob",
    ),
]


@pytest.mark.parametrize("text", NOOP)
def test_noop(text: str) -> None:
    assert_noop("GC204", text)


REPORT = [
    pytest.param(_df("go build -o /out/app ./cmd/app"), "not explicitly off", id="cgo-unset"),
    pytest.param(
        _df("CGO_ENABLED=1 go build -o /out/app ./cmd/app"), "C cross toolchain", id="cgo-on"
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o myapp .\n"
        'CMD ["./myapp"]\n',
        "final stage",
        id="single-stage-final-builds-itself",
    ),
    pytest.param(
        "ARG GO_VERSION\n"
        + _df("CGO_ENABLED=0 go build -o /out/app .", "FROM golang:${GO_VERSION} AS build"),
        "uses the ARG",
        id="arg-valued-image",
    ),
    pytest.param(
        _df(
            "CGO_ENABLED=0 go build -o /out/app .",
            "FROM --platform=linux/amd64 golang:1.22 AS build",
        ),
        "--platform=linux/amd64",
        id="fixed-platform",
    ),
    pytest.param(
        _df("CGO_ENABLED=0 go build -o /out/app . && /out/app --version"),
        "runs the binary",
        id="stage-runs-the-binary",
    ),
    pytest.param(
        _df(
            "CGO_ENABLED=0 go build -o /out/app .",
            extra="RUN apt-get update && apt-get install -y tini\n",
        )
        + "COPY --from=build /usr/bin/tini /tini\n",
        "`/usr/bin/tini`",
        id="copies-a-platform-dependent-file",
    ),
    pytest.param(
        _df("CGO_ENABLED=0 go build -o /out/app .").replace(
            "\nFROM gcr", "FROM build AS test\nRUN go test ./...\n\nFROM gcr"
        ),
        "built FROM this stage",
        id="child-stage",
    ),
    pytest.param(
        "FROM golang:1.22 AS build\nENV CGO_ENABLED=0\nRUN go install ./cmd/app\n"
        "FROM scratch\nCOPY --from=build /go/bin/app /app\n",
        "go install",
        id="go-install",
    ),
    pytest.param(
        _df('["go", "build", "-o", "/out/app", "."]', extra="ENV CGO_ENABLED=0\n"),
        "exec-form",
        id="exec-form",
    ),
    pytest.param(
        "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build\n"
        "FROM scratch\nCOPY --from=build /src/app /app\n",
        "not known",
        id="binary-path-unknown",
    ),
]


@pytest.mark.parametrize(("text", "reason"), REPORT)
def test_report_only(text: str, reason: str) -> None:
    result = assert_report_only("GC204", text)
    (f,) = [f for f in result.findings if f.code == "GC204"]
    assert f.note is not None and reason in f.note, f.note


def test_hard_coded_goarch_is_reported_without_edit() -> None:
    text = _df("CGO_ENABLED=0 GOARCH=amd64 go build -o /out/app .")
    (f,) = assert_report_only("GC204", text).findings
    assert "hard-codes `GOARCH=amd64`" in f.message
    assert not f.fixable and f.note is not None and "on purpose" in f.note


def test_buildplatform_without_goarch_says_wrong_binary() -> None:
    text = _df("go build -o /out/app .", BP)
    (f,) = assert_report_only("GC204", text).findings
    assert "binary for the build machine" in f.message


def test_severity_is_info() -> None:
    (f,) = assert_report_only("GC204", _df("go build -o /out/app .")).findings
    assert f.severity == "info"
