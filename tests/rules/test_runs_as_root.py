"""GC203 runs-as-root: which final stages run as root, where the USER goes, and when not."""

from __future__ import annotations

import pytest

from rewriters.options import Options
from rewriters.rules.runs_as_root import is_root_user
from tests.rules.helpers import (
    POLICY_FOLLOWING,
    assert_fix,
    assert_noop,
    assert_report_only,
    run_rule,
)

UNSAFE = Options(unsafe_fixes=("GC203",))
BUILD = "FROM golang:1.22 AS build\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/app .\n\n"
USER = "USER 65532:65532\n"

FIX = [
    pytest.param(
        BUILD + "FROM gcr.io/distroless/static-debian12\nCOPY --from=build /out/app /app\n"
        'ENTRYPOINT ["/app"]\n',
        BUILD
        + "FROM gcr.io/distroless/static-debian12\nCOPY --from=build /out/app /app\n"
        + USER
        + 'ENTRYPOINT ["/app"]\n',
        None,
        id="distroless-plain-tag",
    ),
    pytest.param(
        BUILD + 'FROM scratch\nCOPY --from=build /out/app /app\nEXPOSE 8080\nCMD ["/app"]\n',
        BUILD + "FROM scratch\nCOPY --from=build /out/app /app\n" + USER + "EXPOSE 8080\n"
        'CMD ["/app"]\n',
        None,
        id="scratch-high-port",
    ),
    pytest.param(
        "FROM golang:1.22 AS build\r\nRUN go build -o /app .\r\n\r\n"
        "FROM gcr.io/distroless/base-debian12:latest\r\n"
        "# the binary\r\nCOPY --from=build /app /app\r\n\r\n"
        'ENTRYPOINT ["/app"]\r\n',
        "FROM golang:1.22 AS build\r\nRUN go build -o /app .\r\n\r\n"
        "FROM gcr.io/distroless/base-debian12:latest\r\n"
        "# the binary\r\nCOPY --from=build /app /app\r\nUSER 65532:65532\r\n\r\n"
        'ENTRYPOINT ["/app"]\r\n',
        None,
        id="crlf-and-comment-kept",
    ),
    pytest.param(
        "from golang:1.22 as build\nrun go build -o /app .\nfrom scratch\n"
        'copy --from=build /app /app\nentrypoint ["/app"]\n',
        "from golang:1.22 as build\nrun go build -o /app .\nfrom scratch\n"
        'copy --from=build /app /app\nuser 65532:65532\nentrypoint ["/app"]\n',
        None,
        id="lower-case-file",
    ),
    pytest.param(
        BUILD + "FROM gcr.io/distroless/static-debian12 AS base\n"
        'COPY --from=build /out/app /app\n\nFROM base\nWORKDIR /data\nENTRYPOINT ["/app"]\n',
        BUILD + "FROM gcr.io/distroless/static-debian12 AS base\n"
        "COPY --from=build /out/app /app\n\nFROM base\nWORKDIR /data\n"
        + USER
        + 'ENTRYPOINT ["/app"]\n',
        None,
        id="from-stage-lineage-goes-into-final-stage",
    ),
    pytest.param(
        "FROM golang:1.22 AS build\nUSER nonroot\nRUN go build -o /tmp/app .\n"
        'FROM scratch\nCOPY --from=build /tmp/app /app\nENTRYPOINT ["/app"]',
        "FROM golang:1.22 AS build\nUSER nonroot\nRUN go build -o /tmp/app .\n"
        'FROM scratch\nCOPY --from=build /tmp/app /app\nUSER 65532:65532\nENTRYPOINT ["/app"]',
        None,
        id="user-of-an-unrelated-stage-is-not-inherited-no-final-newline",
    ),
    pytest.param(
        'FROM gcr.io/distroless/static-debian12\nENTRYPOINT ["/app"]',
        'FROM gcr.io/distroless/static-debian12\nUSER 65532:65532\nENTRYPOINT ["/app"]',
        None,
        id="after-from-when-nothing-is-copied",
    ),
    pytest.param(
        BUILD + "FROM gcr.io/distroless/static-debian12:debug\n"
        "COPY --from=build --chown=65532:65532 --chmod=755 /out/app /app\n"
        'ENTRYPOINT ["/app"]\n',
        BUILD + "FROM gcr.io/distroless/static-debian12:debug\n"
        "COPY --from=build --chown=65532:65532 --chmod=755 /out/app /app\n"
        + USER
        + 'ENTRYPOINT ["/app"]\n',
        None,
        id="chown-to-nonroot-and-readable-chmod",
    ),
    pytest.param(
        "FROM golang:1.22\r\nWORKDIR /src\r\nCOPY . .\r\nRUN go build -o /usr/local/bin/app .\r\n"
        'CMD ["app"]\r\n',
        "FROM golang:1.22\r\nWORKDIR /src\r\nCOPY . .\r\nRUN go build -o /usr/local/bin/app .\r\n"
        'USER 65532:65532\r\nCMD ["app"]\r\n',
        UNSAFE,
        id="unsafe-golang-single-stage-crlf",
    ),
    pytest.param(
        BUILD + "FROM alpine:3.20\nRUN apk add --no-cache ca-certificates\n"
        'COPY --from=build /out/app /usr/bin/app\nENTRYPOINT ["app"]\n',
        BUILD + "FROM alpine:3.20\nRUN apk add --no-cache ca-certificates\n"
        "COPY --from=build /out/app /usr/bin/app\n" + USER + 'ENTRYPOINT ["app"]\n',
        UNSAFE,
        id="unsafe-alpine-runtime",
    ),
    pytest.param(
        BUILD + "FROM gcr.io/distroless/static-debian12:debug\n"
        'RUN ["/busybox/mkdir", "/data"]\nCOPY --from=build /out/app /app\n'
        'ENTRYPOINT ["/app"]\n',
        BUILD + "FROM gcr.io/distroless/static-debian12:debug\n"
        'RUN ["/busybox/mkdir", "/data"]\nCOPY --from=build /out/app /app\n'
        + USER
        + 'ENTRYPOINT ["/app"]\n',
        UNSAFE,
        id="unsafe-distroless-with-a-run",
    ),
]


@pytest.mark.parametrize(("before", "after", "options"), FIX)
def test_fix(before: str, after: str, options: Options | None) -> None:
    result = assert_fix("GC203", before, after, options)
    [finding] = [f for f in result.findings if f.code == "GC203"]
    assert finding.fix_applied
    assert finding.severity == "warning"


NOOP = [
    pytest.param(POLICY_FOLLOWING, id="policy-following"),
    pytest.param(
        BUILD + "FROM gcr.io/distroless/static-debian12:nonroot\n"
        'COPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n',
        id="distroless-nonroot-without-user",
    ),
    pytest.param(
        'FROM gcr.io/distroless/base-debian12:debug-nonroot\nENTRYPOINT ["/app"]\n',
        id="distroless-debug-nonroot",
    ),
    pytest.param('FROM cgr.dev/chainguard/static:latest\nENTRYPOINT ["/app"]\n', id="chainguard"),
    pytest.param(
        'FROM cgr.dev/chainguard/glibc-dynamic\nENTRYPOINT ["/app"]\n', id="chainguard-glibc"
    ),
    pytest.param('FROM golang:1.22\nUSER nobody\nCMD ["app"]\n', id="named-user"),
    pytest.param('FROM alpine\nUSER 1000:1000\nCMD ["app"]\n', id="numeric-user"),
    pytest.param(
        'FROM alpine AS base\nRUN adduser -D app\nUSER app\nFROM base\nCMD ["app"]\n',
        id="user-inherited-through-from-stage",
    ),
    pytest.param(
        'FROM alpine\nUSER root\nRUN apk add git\nUSER app\nCMD ["app"]\n',
        id="root-for-installs-then-back",
    ),
    pytest.param('FROM alpine\nARG RUN_AS\nUSER $RUN_AS\nCMD ["app"]\n', id="arg-valued-user"),
    pytest.param('FROM corp.example.com/base:1\nCMD ["app"]\n', id="unknown-image"),
    pytest.param('ARG BASE\nFROM $BASE\nCMD ["app"]\n', id="arg-valued-image"),
    pytest.param(
        'ARG TAG\nFROM gcr.io/distroless/static:${TAG}\nENTRYPOINT ["/app"]\n',
        id="distroless-tag-unknown",
    ),
    pytest.param(
        "FROM golang:1.22 AS build\nRUN go build -o /out/app .\n"
        "FROM scratch\nCOPY --from=build /out/app /\n",
        id="scratch-export-stage",
    ),
    pytest.param(
        'FROM golang:1.22-windowsservercore-ltsc2022\nCMD ["app.exe"]\n', id="windows-image"
    ),
]


@pytest.mark.parametrize("text", NOOP)
def test_noop(text: str) -> None:
    assert_noop("GC203", text)
    assert_noop("GC203", text, UNSAFE)


REPORT = [
    pytest.param(
        'FROM alpine\nUSER app\nUSER root\nCMD ["app"]\n', "on purpose", None, id="user-root-last"
    ),
    pytest.param(
        'FROM gcr.io/distroless/static-debian12\nUSER 0:0\nENTRYPOINT ["/app"]\n',
        "on purpose",
        UNSAFE,
        id="uid-0-on-distroless",
    ),
    pytest.param(
        'FROM alpine AS base\nUSER root:root\nFROM base\nCMD ["app"]\n',
        "on purpose",
        UNSAFE,
        id="root-inherited-through-from-stage",
    ),
    pytest.param(
        BUILD + 'FROM scratch\nCOPY --from=build /out/app /app\nEXPOSE 443/tcp\nCMD ["/app"]\n',
        "port 443",
        None,
        id="privileged-port",
    ),
    pytest.param(
        BUILD + "FROM scratch\nARG PORT\nCOPY --from=build /out/app /app\nEXPOSE $PORT\n"
        'CMD ["/app"]\n',
        "known only when the image is built",
        None,
        id="port-from-arg",
    ),
    pytest.param(
        'FROM gcr.io/distroless/static\nVOLUME /data\nENTRYPOINT ["/app"]\n',
        "VOLUME on line 2",
        None,
        id="volume",
    ),
    pytest.param(
        BUILD + 'FROM scratch\nCOPY --from=build --chown=app:app /out/app /app\nCMD ["/app"]\n',
        "--chown=app:app",
        None,
        id="chown-to-another-user",
    ),
    pytest.param(
        BUILD + 'FROM scratch\nCOPY --from=build --chmod=700 /out/app /app\nCMD ["/app"]\n',
        "--chmod=700",
        None,
        id="chmod-not-readable-by-others",
    ),
    pytest.param(
        'FROM gcr.io/distroless/static\nADD https://example.com/app /app\nENTRYPOINT ["/app"]\n',
        "readable by root only",
        None,
        id="add-url",
    ),
    pytest.param(
        'FROM alpine\nONBUILD RUN echo hi\nCMD ["app"]\n', "ONBUILD trigger", UNSAFE, id="onbuild"
    ),
    pytest.param(
        'FROM golang:1.22\nCOPY . .\nCMD ["go", "run", "."]\n',
        "runs `go` itself",
        UNSAFE,
        id="go-run-entrypoint",
    ),
    pytest.param(
        'FROM alpine\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n',
        "starts a script",
        UNSAFE,
        id="entrypoint-script",
    ),
    pytest.param(
        'FROM alpine\nRUN apk add su-exec\nCMD ["su-exec", "app", "/app"]\n',
        "`su-exec` (line 2)",
        UNSAFE,
        id="drops-privileges-itself",
    ),
    pytest.param(
        'FROM gcr.io/distroless/static:debug\nRUN ["/busybox/mkdir", "/d"]\nENTRYPOINT ["/a"]\n',
        "RUN on line 2 may create files only root can write",
        None,
        id="distroless-with-run-is-unsafe",
    ),
    pytest.param(
        'FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]\n',
        "is an unsafe fix",
        None,
        id="unsafe-not-opted-in",
    ),
]


@pytest.mark.parametrize(("text", "note", "options"), REPORT)
def test_report_only(text: str, note: str, options: Options | None) -> None:
    result = assert_report_only("GC203", text, options)
    [finding] = [f for f in result.findings if f.code == "GC203"]
    assert finding.note is not None and note in finding.note, finding.note
    assert not finding.fix_applied


def test_unsafe_fix_is_a_suggestion_without_opt_in() -> None:
    text = 'FROM alpine:3.20\nCOPY app /usr/bin/app\nCMD ["app"]\n'
    [finding] = run_rule("GC203", text).findings
    assert finding.fix is not None and finding.fix.applicability == "unsafe"
    assert finding.suggestion
    assert finding.line == 1 and "`alpine:3.20` runs as uid 0" in finding.message


def test_explicit_root_is_reported_on_its_user_line() -> None:
    text = 'FROM alpine AS base\nUSER 0\nFROM base\nCMD ["app"]\n'
    [finding] = run_rule("GC203", text).findings
    assert finding.line == 2
    assert finding.fix is None
    assert "inherited from an earlier stage" in finding.message


def test_only_the_final_stage_counts() -> None:
    text = 'FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]\n'  # noqa: E501
    assert run_rule("GC203", text).findings == ()


@pytest.mark.parametrize(
    ("user", "root"),
    [
        ("root", True),
        ("0", True),
        ("00", True),
        ("0:0", True),
        ("root:65532", True),
        ("65532:0", False),
        ("nonroot", False),
        ("1000", False),
        ("rooty", False),
    ],
)
def test_is_root_user(user: str, root: bool) -> None:
    assert is_root_user(user) is root
