"""GC202 toolchain-in-runtime: when the final stage is a Go toolchain image, the unsafe fix that
moves the binary onto distroless, and every case where it stays silent or only reports."""

from __future__ import annotations

import pytest

from rewriters.options import Options
from tests.rules.helpers import (
    POLICY_FOLLOWING,
    assert_fix,
    assert_report_only,
    run_rule,
)

UNSAFE = Options(unsafe_fixes=("GC202",))
STATIC = "FROM gcr.io/distroless/static-debian12:nonroot\n"
CC = "FROM gcr.io/distroless/cc-debian12:nonroot\n"
ALPINE = "FROM golang:1.22-alpine\nWORKDIR /src\nCOPY . .\nRUN go build -o myapp .\n"

FIX = [
    pytest.param(
        ALPINE + 'CMD ["./myapp"]\n',
        "FROM golang:1.22-alpine AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o myapp .\n\n"
        + STATIC
        + 'COPY --from=build /src/myapp /myapp\nCMD ["/myapp"]\n',
        id="alpine-cgo-off-implicit-exec-cmd",
    ),
    pytest.param(
        ALPINE + "CMD ./myapp --port 8080\n",
        "FROM golang:1.22-alpine AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o myapp .\n\n"
        + STATIC
        + 'COPY --from=build /src/myapp /myapp\nCMD ["/myapp", "--port", "8080"]\n',
        id="shell-form-plain-words-to-exec",
    ),
    pytest.param(
        "FROM golang:1.22 AS builder\nWORKDIR /src\n"
        "ENV GOFLAGS=-mod=mod APP_ENV=prod GOMEMLIMIT=1GiB\n"
        "LABEL org.opencontainers.image.source=https://github.com/acme/app\n"
        "COPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\n"
        "RUN CGO_ENABLED=0 go build -trimpath -o /out/server ./cmd/server\nEXPOSE 8080\n"
        'ENTRYPOINT ["/out/server"]\nCMD ["--port", "8080"]\n',
        "FROM golang:1.22 AS builder\nWORKDIR /src\n"
        "ENV GOFLAGS=-mod=mod APP_ENV=prod GOMEMLIMIT=1GiB\n"
        "LABEL org.opencontainers.image.source=https://github.com/acme/app\n"
        "COPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\n"
        "RUN CGO_ENABLED=0 go build -trimpath -o /out/server ./cmd/server\n\n"
        + STATIC
        + "ENV APP_ENV=prod GOMEMLIMIT=1GiB\n"
        "LABEL org.opencontainers.image.source=https://github.com/acme/app\n"
        "EXPOSE 8080\nCOPY --from=builder /out/server /server\n"
        'ENTRYPOINT ["/server"]\nCMD ["--port", "8080"]\n',
        id="named-stage-env-label-expose-entrypoint-cmd",
    ),
    pytest.param(
        "FROM golang:1.22-bookworm\nWORKDIR /app\nCOPY . .\nRUN go build -o bin/api ./cmd/api\n"
        "CMD bin/api\n",
        "FROM golang:1.22-bookworm AS build\nWORKDIR /app\nCOPY . .\n"
        "RUN go build -o bin/api ./cmd/api\n\n" + CC + "COPY --from=build /app/bin/api /api\n"
        'CMD ["/api"]\n',
        id="debian-cgo-default-on-cc",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nRUN apk add --no-cache git\nWORKDIR /src\nCOPY . .\n"
        "RUN go build -o /usr/local/bin/app . && go vet ./...\n"
        'RUN apk add --no-cache ca-certificates tzdata\nCMD ["app"]\n',
        "FROM golang:1.22-alpine AS build\nRUN apk add --no-cache git\nWORKDIR /src\nCOPY . .\n"
        "RUN go build -o /usr/local/bin/app . && go vet ./...\n"
        "RUN apk add --no-cache ca-certificates tzdata\n\n"
        + STATIC
        + 'COPY --from=build /usr/local/bin/app /app\nCMD ["/app"]\n',
        id="program-on-path-and-certs-distroless-ships",
    ),
    pytest.param(
        '# escape=`\nFROM golang:1.22-alpine\nWORKDIR /src\nENV MSG="a b"\nCOPY . .\n'
        'RUN go build `\n    -o myapp .\nCMD ["./myapp"]\n',
        '# escape=`\nFROM golang:1.22-alpine AS build\nWORKDIR /src\nENV MSG="a b"\nCOPY . .\n'
        "RUN go build `\n    -o myapp .\n\n" + STATIC + 'ENV MSG="a b"\n'
        'COPY --from=build /src/myapp /myapp\nCMD ["/myapp"]\n',
        id="escape-directive-continuation-quoted-env",
    ),
    pytest.param(
        ALPINE.replace("\n", "\r\n") + 'CMD ["./myapp"]\r\nEXPOSE 80\r\n',
        "FROM golang:1.22-alpine AS build\r\nWORKDIR /src\r\nCOPY . .\r\n"
        "RUN go build -o myapp .\r\n"
        "\r\nFROM gcr.io/distroless/static-debian12:nonroot\r\nEXPOSE 80\r\n"
        'COPY --from=build /src/myapp /myapp\r\nCMD ["/myapp"]\r\n',
        id="crlf",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nRUN mkdir -p /app\nADD . /app\nWORKDIR /app\n"
        'RUN go build -o main .\n\n# the port\nEXPOSE 8080\n\n# start it\nCMD ["/app/main"]\n',
        "FROM golang:1.22-alpine AS build\nRUN mkdir -p /app\nADD . /app\nWORKDIR /app\n"
        "RUN go build -o main .\n\n"
        + STATIC
        + "# the port\nEXPOSE 8080\nCOPY --from=build /app/main /main\n"
        '# start it\nCMD ["/main"]\n',
        id="mkdir-add-sources-comments-move-with-their-lines",
    ),
    pytest.param(
        'from golang:1.22-alpine\nworkdir /src\ncopy . .\nrun go build -o myapp .\ncmd ["./myapp"]',
        "from golang:1.22-alpine as build\nworkdir /src\ncopy . .\nrun go build -o myapp .\n\n"
        "from gcr.io/distroless/static-debian12:nonroot\n"
        'copy --from=build /src/myapp /myapp\ncmd ["/myapp"]\n',
        id="lower-case-no-final-newline",
    ),
]


@pytest.mark.parametrize(("before", "after"), FIX)
def test_fix(before: str, after: str) -> None:
    result = assert_fix("GC202", before, after, UNSAFE)
    (finding,) = result.findings
    assert finding.severity == "warning" and finding.fix_applied


def test_unsafe_fix_needs_opt_in() -> None:
    text = ALPINE + 'CMD ["./myapp"]\n'
    result = assert_report_only("GC202", text)
    (finding,) = result.findings
    assert finding.suggestion and finding.applicability == "unsafe"
    assert "unsafe_fixes: [GC202]" in (finding.note or "")


def test_configured_runtime_image() -> None:
    opts = Options(unsafe_fixes=("GC202",), runtime_image="cgr.dev/chainguard/static:latest")
    result = run_rule("GC202", ALPINE + 'CMD ["./myapp"]\n', opts)
    assert "FROM cgr.dev/chainguard/static:latest\n" in result.new_text


NOOP = [
    pytest.param(ALPINE + 'ENTRYPOINT ["go", "run", "."]\n', "Dockerfile", id="entrypoint-go-run"),
    pytest.param(ALPINE + "CMD go test ./...\n", "Dockerfile", id="cmd-go-test"),
    pytest.param(ALPINE + 'CMD ["make", "test"]\n', "Dockerfile", id="cmd-make"),
    pytest.param(ALPINE, "Dockerfile", id="no-cmd-build-environment"),
    pytest.param(ALPINE + 'CMD ["bash"]\n', "Dockerfile", id="cmd-bash-build-environment"),
    pytest.param(ALPINE + 'CMD ["./myapp"]\n', "Dockerfile.dev", id="dockerfile-dev"),
    pytest.param(ALPINE + 'CMD ["./myapp"]\n', "svc/api.dev.Dockerfile", id="dev-dockerfile"),
    pytest.param(ALPINE + 'CMD ["./myapp"]\n', "test/e2e/Dockerfile", id="under-test"),
    pytest.param(ALPINE + 'CMD ["./myapp"]\n', ".devcontainer/Dockerfile", id="devcontainer"),
    pytest.param(
        "FROM golang:1.22-alpine AS build\nCOPY . .\nRUN go build -o /out/app .\n\n"
        + STATIC
        + 'COPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n',
        "Dockerfile",
        id="already-multistage-distroless",
    ),
    pytest.param(POLICY_FOLLOWING, "Dockerfile", id="policy-following"),
    pytest.param(
        'FROM alpine:3.20\nCOPY app /app\nCMD ["/app"]\n', "Dockerfile", id="not-toolchain"
    ),
]


@pytest.mark.parametrize(("text", "path"), NOOP)
def test_noop(text: str, path: str) -> None:
    from rewriters.engine import analyze
    from rewriters.registry import find_rule

    r = find_rule("GC202")
    assert r is not None
    result = analyze(text, path=path, options=UNSAFE, rules=[r])
    assert result.error is None
    assert [f for f in result.findings if f.code == "GC202"] == []
    assert result.new_text == text


def test_toolchain_images_glob_silences_and_empty_list_reports() -> None:
    from rewriters.engine import analyze
    from rewriters.registry import find_rule

    r = find_rule("GC202")
    assert r is not None
    text = ALPINE + 'CMD ["./myapp"]\n'
    tools = Options(unsafe_fixes=("GC202",), toolchain_images=("tools/release/*",))
    assert analyze(text, path="tools/release/Dockerfile", options=tools, rules=[r]).findings == ()
    assert analyze(text, path="cmd/Dockerfile", options=tools, rules=[r]).findings != ()
    # replacing the list drops the defaults: a Dockerfile.dev is then reported
    dev = analyze(text, path="Dockerfile.dev", options=tools, rules=[r])
    assert [f.code for f in dev.findings] == ["GC202"]


REPORT = [
    pytest.param(ALPINE + "CMD ./myapp $PORT\n", "not a plain word list", id="shell-variable"),
    pytest.param(ALPINE + "CMD ./myapp && echo done\n", "not a plain word list", id="shell-and"),
    pytest.param(
        "FROM golang:1.22-alpine\nRUN apk add --no-cache gcc musl-dev\nWORKDIR /src\nCOPY . .\n"
        'RUN go build -o myapp .\nCMD ["./myapp"]\n',
        "musl",
        id="alpine-cgo-musl",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nENV CGO_ENABLED=1\nWORKDIR /src\nCOPY . .\n"
        'RUN go build -o myapp .\nCMD ["./myapp"]\n',
        "musl",
        id="alpine-cgo-explicit",
    ),
    pytest.param(
        ALPINE + 'RUN apk add --no-cache ffmpeg\nCMD ["./myapp"]\n',
        "installs ffmpeg",
        id="runtime-package-after-build",
    ),
    pytest.param(
        ALPINE + 'RUN adduser -D app\nCMD ["./myapp"]\n',
        "`adduser` on line 5",
        id="adduser-after-build",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nWORKDIR /src\nCOPY . .\nCOPY config.yaml /etc/app/\n"
        'RUN go build -o myapp .\nCMD ["./myapp"]\n',
        "outside the source tree",
        id="copy-runtime-config",
    ),
    pytest.param(
        ALPINE + 'COPY templates/ /src/templates/\nCMD ["./myapp"]\n',
        "after the build",
        id="copy-after-build",
    ),
    pytest.param(
        ALPINE + 'HEALTHCHECK CMD curl -f http://localhost/ || exit 1\nCMD ["./myapp"]\n',
        "HEALTHCHECK",
        id="healthcheck-curl",
    ),
    pytest.param(ALPINE + 'USER app\nCMD ["./myapp"]\n', "USER", id="user"),
    pytest.param(ALPINE + 'VOLUME /data\nCMD ["./myapp"]\n', "VOLUME", id="volume"),
    pytest.param(
        'FROM golang:1.22-alpine\nWORKDIR /src\nCOPY . .\nRUN go build .\nCMD ["./src"]\n',
        "no `go build -o`",
        id="binary-not-identified",
    ),
    pytest.param(ALPINE + 'CMD ["./other"]\n', "no `go build -o`", id="cmd-runs-another-file"),
    pytest.param(
        'FROM golang:1.22-alpine\nWORKDIR /src\nCOPY . .\nRUN go install ./cmd/app\nCMD ["app"]\n',
        "go install",
        id="go-install-destination",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN apt-get update && apt-get install -y libsqlite3-dev\nWORKDIR /src\n"
        'COPY . .\nRUN go build -o app .\nCMD ["./app"]\n',
        "libsqlite3-dev",
        id="debian-cgo-c-library",
    ),
    pytest.param(
        "FROM golang:1.22-alpine AS base\nWORKDIR /src\nCOPY . .\nFROM base\n"
        'RUN go build -o myapp .\nCMD ["./myapp"]\n',
        "FROM another stage",
        id="final-from-stage",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nWORKDIR /src\nCOPY . .\nRUN go build -race -o myapp .\n"
        'CMD ["./myapp"]\n',
        "-race",
        id="race-build",
    ),
    pytest.param(
        ALPINE + 'ENTRYPOINT /src/myapp\nCMD ["--v"]\n', "ignores CMD", id="shell-entrypoint-cmd"
    ),
    pytest.param(
        "FROM golang:1.22-alpine AS build\nCOPY . .\nRUN go build -o /out/app .\n"
        'FROM golang:1.22-alpine\nCOPY --from=build /out/app /app\nCMD ["/app"]\n',
        "no `go build -o`",
        id="runtime-stage-from-golang-copies-binary",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nRUN mkdir /data\nWORKDIR /src\nCOPY . .\n"
        'RUN go build -o myapp .\nCMD ["./myapp"]\n',
        "`mkdir` on line 2",
        id="mkdir-outside-source-tree",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nWORKDIR /src\nADD assets.tar.gz .\nCOPY . .\n"
        'RUN go build -o myapp .\nCMD ["./myapp"]\n',
        "the ADD on line 3",
        id="add-archive",
    ),
]


@pytest.mark.parametrize(("text", "reason"), REPORT)
def test_report_only(text: str, reason: str) -> None:
    result = assert_report_only("GC202", text, UNSAFE)
    (finding,) = [f for f in result.findings if f.code == "GC202"]
    assert finding.fix is None
    assert reason in (finding.note or ""), finding.note


def test_final_stage_from_toolchain_stage_is_reported() -> None:
    text = (
        "FROM golang:1.22-alpine AS base\nWORKDIR /src\nCOPY . .\nFROM base\n"
        'RUN go build -o myapp .\nCMD ["./myapp"]\n'
    )
    result = run_rule("GC202", text, UNSAFE)
    (finding,) = result.findings
    assert finding.line == 4
    assert "`golang:1.22-alpine`" in finding.message


def test_config_key_reaches_the_rule() -> None:
    from bot.config import RepoConfig, builtin_defaults, effective_config, parse_repo_config
    from rewriters.options import DEFAULT_TOOLCHAIN_IMAGES

    assert RepoConfig().options().toolchain_images == DEFAULT_TOOLCHAIN_IMAGES
    effective = effective_config(builtin_defaults(), None, "app", None)
    assert effective.options().toolchain_images == DEFAULT_TOOLCHAIN_IMAGES
    repo = parse_repo_config("toolchain_images: [tools/**]\n")
    layered = effective_config(builtin_defaults(), None, "app", repo)
    assert layered.options().toolchain_images == ("tools/**",)
    assert layered.options().is_toolchain_image("tools/release/Dockerfile")
    assert not layered.options().is_toolchain_image("Dockerfile.dev")
