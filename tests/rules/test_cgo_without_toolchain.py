"""GC104 cgo-without-toolchain: every setting form, where the compiler goes, and what stays."""

from __future__ import annotations

import pytest

from rewriters.options import Options
from tests.rules.helpers import assert_fix, assert_noop, assert_report_only, run_rule

UNSAFE = Options(unsafe_fixes=("GC104",))
APK = "RUN apk add --no-cache gcc musl-dev\n"
APT = (
    "RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev"
    " && rm -rf /var/lib/apt/lists/*\n"
)

FIX = [
    pytest.param(
        "FROM golang:1.22-alpine AS build\nENV CGO_ENABLED=1\nRUN apk add --no-cache git\n"
        "COPY . .\nRUN go build -o /out/app ./cmd/app\n",
        "FROM golang:1.22-alpine AS build\nENV CGO_ENABLED=1\n"
        "RUN apk add --no-cache git gcc musl-dev\nCOPY . .\nRUN go build -o /out/app ./cmd/app\n",
        None,
        id="env-merged-into-apk-add",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nENV CGO_ENABLED=1\nRUN go build ./...\n",
        "FROM golang:1.22-alpine\n" + APK + "ENV CGO_ENABLED=1\nRUN go build ./...\n",
        None,
        id="env-new-run-after-from",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nENV CGO_ENABLED 1\nRUN go build ./...\n",
        "FROM golang:1.22-alpine\n" + APK + "ENV CGO_ENABLED 1\nRUN go build ./...\n",
        None,
        id="legacy-env-form",
    ),
    pytest.param(
        "FROM golang:1.22-alpine AS build\nARG VERSION\nARG TARGETOS\nENV CGO_ENABLED=1\n"
        "RUN go build ./...\n",
        "FROM golang:1.22-alpine AS build\nARG VERSION\nARG TARGETOS\n"
        + APK
        + "ENV CGO_ENABLED=1\nRUN go build ./...\n",
        None,
        id="new-run-after-following-args",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nARG CGO_ENABLED=1\nRUN go build ./...\n",
        "FROM golang:1.22-alpine\nARG CGO_ENABLED=1\n" + APK + "RUN go build ./...\n",
        None,
        id="arg-default",
    ),
    pytest.param(
        "ARG CGO_ENABLED=1\nFROM golang:1.22-alpine\nARG CGO_ENABLED\nRUN go build ./...\n",
        "ARG CGO_ENABLED=1\nFROM golang:1.22-alpine\nARG CGO_ENABLED\n"
        + APK
        + "RUN go build ./...\n",
        None,
        id="global-arg-default-redeclared",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nRUN export CGO_ENABLED=1 && go build ./...\n",
        "FROM golang:1.22-alpine\n" + APK + "RUN export CGO_ENABLED=1 && go build ./...\n",
        None,
        id="export",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nRUN CGO_ENABLED=1 go build ./...\n",
        "FROM golang:1.22-alpine\n" + APK + "RUN CGO_ENABLED=1 go build ./...\n",
        None,
        id="inline",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nRUN env CGO_ENABLED=1 go test -race ./...\n",
        "FROM golang:1.22-alpine\n" + APK + "RUN env CGO_ENABLED=1 go test -race ./...\n",
        None,
        id="env-command-go-test",
    ),
    pytest.param(
        "FROM golang:1.22-alpine AS base\nRUN go env -w CGO_ENABLED=1\n"
        "FROM base AS build\nRUN go build ./...\n",
        "FROM golang:1.22-alpine AS base\nRUN go env -w CGO_ENABLED=1\n"
        "FROM base AS build\n" + APK + "RUN go build ./...\n",
        None,
        id="go-env-w-persists-into-child-stage",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nRUN apk add --no-cache make git\nCOPY . .\n"
        "RUN make build CGO_ENABLED=1\n",
        "FROM golang:1.22-alpine\nRUN apk add --no-cache make git gcc musl-dev\nCOPY . .\n"
        "RUN make build CGO_ENABLED=1\n",
        None,
        id="make-variable",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nENV CGO_ENABLED=1\n"
        "RUN --mount=type=cache,target=/root/.cache/go-build <<EOF\napk add --no-cache \\\n"
        "  git\ngo build ./...\nEOF\n",
        "FROM golang:1.22-alpine\nENV CGO_ENABLED=1\n"
        "RUN --mount=type=cache,target=/root/.cache/go-build <<EOF\napk add --no-cache \\\n"
        "  git \\\n  gcc \\\n  musl-dev\ngo build ./...\nEOF\n",
        None,
        id="heredoc-install-one-package-per-line",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nENV CGO_ENABLED=1\nRUN apk add --no-cache \\\n    git \\\n"
        "    # build tools\n    make\nRUN go build ./...\n",
        "FROM golang:1.22-alpine\nENV CGO_ENABLED=1\nRUN apk add --no-cache \\\n    git \\\n"
        "    # build tools\n    make \\\n    gcc \\\n    musl-dev\nRUN go build ./...\n",
        None,
        id="comment-in-continued-run-survives",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\r\nENV CGO_ENABLED=1\r\nRUN go build ./...\r\n",
        "FROM golang:1.22-alpine\r\nRUN apk add --no-cache gcc musl-dev\r\n"
        "ENV CGO_ENABLED=1\r\nRUN go build ./...\r\n",
        None,
        id="crlf-new-line",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\r\nENV CGO_ENABLED=1\r\nRUN apk add --no-cache \\\r\n"
        "    git\r\nRUN go build ./...\r\n",
        "FROM golang:1.22-alpine\r\nENV CGO_ENABLED=1\r\nRUN apk add --no-cache \\\r\n"
        "    git \\\r\n    gcc \\\r\n    musl-dev\r\nRUN go build ./...\r\n",
        None,
        id="crlf-merged",
    ),
    pytest.param(
        "# escape=`\nFROM golang:1.22-alpine\nENV CGO_ENABLED=1\nRUN apk add --no-cache `\n"
        "    git `\n    # vcs\n    make\nRUN go build ./...\n",
        "# escape=`\nFROM golang:1.22-alpine\nENV CGO_ENABLED=1\nRUN apk add --no-cache `\n"
        "    git `\n    # vcs\n    make `\n    gcc `\n    musl-dev\nRUN go build ./...\n",
        None,
        id="backtick-escape",
    ),
    pytest.param(
        "from golang:1.22-alpine\nenv CGO_ENABLED=1\nrun go build ./...\n",
        "from golang:1.22-alpine\nrun apk add --no-cache gcc musl-dev\n"
        "env CGO_ENABLED=1\nrun go build ./...\n",
        None,
        id="lowercase-keywords",
    ),
    pytest.param(
        "FROM debian:12\nENV CGO_ENABLED=1\nRUN apt-get update && apt-get install -y \\\n"
        "    git \\\n    curl && rm -rf /var/lib/apt/lists/*\nRUN go build ./cmd/app\n",
        "FROM debian:12\nENV CGO_ENABLED=1\nRUN apt-get update && apt-get install -y \\\n"
        "    git \\\n    curl \\\n    gcc \\\n    libc6-dev && rm -rf /var/lib/apt/lists/*\n"
        "RUN go build ./cmd/app\n",
        None,
        id="debian-merged-into-apt-get-install",
    ),
    pytest.param(
        "FROM ubuntu:22.04\nENV CGO_ENABLED=1\nRUN go build .\n",
        "FROM ubuntu:22.04\n" + APT + "ENV CGO_ENABLED=1\nRUN go build .\n",
        None,
        id="ubuntu-new-run",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nRUN apk add --no-cache musl-dev\nENV CGO_ENABLED=1\n"
        "RUN go build .\n",
        "FROM golang:1.22-alpine\nRUN apk add --no-cache musl-dev gcc\nENV CGO_ENABLED=1\n"
        "RUN go build .\n",
        None,
        id="only-missing-packages-added",
    ),
    pytest.param(
        "FROM golang:1.22-alpine AS base\nENV CGO_ENABLED=1\nRUN apk add git\n"
        "FROM base AS a\nRUN go build ./a\nFROM base AS b\nRUN go build ./b\n",
        "FROM golang:1.22-alpine AS base\nENV CGO_ENABLED=1\nRUN apk add git gcc musl-dev\n"
        "FROM base AS a\nRUN go build ./a\nFROM base AS b\nRUN go build ./b\n",
        None,
        id="inherited-env-fixed-once-in-shared-parent",
    ),
    pytest.param(
        "FROM golang:1.22-alpine AS base\nENV CGO_ENABLED=1\n"
        "FROM base AS build\nRUN go build ./a\nFROM base AS lint\nRUN echo lint\n",
        "FROM golang:1.22-alpine AS base\nENV CGO_ENABLED=1\n"
        "FROM base AS build\n" + APK + "RUN go build ./a\nFROM base AS lint\nRUN echo lint\n",
        None,
        id="compiler-added-to-the-stage-that-builds",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nRUN apk add --virtual .deps git && go mod download"
        " && apk del .deps\nENV CGO_ENABLED=1\nRUN go build .\n",
        "FROM golang:1.22-alpine\n" + APK + "RUN apk add --virtual .deps git && go mod download"
        " && apk del .deps\nENV CGO_ENABLED=1\nRUN go build .\n",
        None,
        id="never-merged-into-a-virtual-package-that-is-deleted",
    ),
    pytest.param(
        'FROM golang:1.22-alpine\nENV CGO_ENABLED=1\nCMD ["go", "run", "."]\n',
        "FROM golang:1.22-alpine\n" + APK + 'ENV CGO_ENABLED=1\nCMD ["go", "run", "."]\n',
        None,
        id="go-run-at-container-start",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nONBUILD RUN echo later\nENV CGO_ENABLED=1\n"
        'RUN ["go", "build", "."]\n',
        "FROM golang:1.22-alpine\n" + APK + "ONBUILD RUN echo later\nENV CGO_ENABLED=1\n"
        'RUN ["go", "build", "."]\n',
        None,
        id="exec-form-build",
    ),
    pytest.param(
        'FROM gcr.io/distroless/static-debian12\nENV CGO_ENABLED=1\nRUN ["go", "build", "."]\n',
        'FROM gcr.io/distroless/static-debian12\nENV CGO_ENABLED=0\nRUN ["go", "build", "."]\n',
        UNSAFE,
        id="unsafe-opt-in-no-package-manager",
    ),
]

NOOP = [
    # a repository tag (`@edge`) is not part of the package name (rewriters.pkgmgr)
    pytest.param(
        "FROM golang:1.22-alpine\nRUN apk add gcc@edge musl-dev\nENV CGO_ENABLED=1\n"
        "RUN go build ./...\n",
        id="gcc-from-tagged-repository",
    ),
    pytest.param(
        "FROM golang:1.22-alpine AS base\nRUN apk add --no-cache build-base\n"
        "FROM base AS build\nENV CGO_ENABLED=1\nRUN go build ./...\n",
        id="child-stage-inherits-gcc",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nRUN apk add --no-cache build-base\nENV CGO_ENABLED=1\n"
        "RUN go build ./...\n",
        id="build-base-installed",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nENV CGO_ENABLED=1\nRUN apk add gcc musl-dev\n"
        "RUN go build ./...\n",
        id="gcc-musl-dev-installed-before-build",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\n"
        "RUN apk add --no-cache gcc musl-dev && CGO_ENABLED=1 go build .\n",
        id="installed-earlier-in-the-same-run",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nRUN apk add --no-cache clang lld\nENV CGO_ENABLED=1\n"
        "RUN go build .\n",
        id="clang-installed",
    ),
    pytest.param(
        "FROM --platform=$BUILDPLATFORM golang:1.22-alpine\nARG TARGETPLATFORM\n"
        "RUN xx-apk add musl-dev gcc\nENV CGO_ENABLED=1\nRUN xx-go build .\n",
        id="xx-apk-cross-compiler",
    ),
    pytest.param(
        "FROM ubuntu:22.04\nRUN apt-get -y update && apt-get -y install build-essential\n"
        "ENV CGO_ENABLED=1\nRUN go build .\n",
        id="build-essential-installed",
    ),
    pytest.param(
        "FROM golang:1.22\nENV CGO_ENABLED=1\nRUN go build -race ./...\n",
        id="debian-golang-image-ships-gcc",
    ),
    pytest.param(
        "FROM golang:${GO_IMAGE_TAG}\nENV CGO_ENABLED=1\nRUN go build ./...\n",
        id="unknown-variant",
    ),
    pytest.param(
        "FROM mycorp/builder\nENV CGO_ENABLED=1\nRUN go build ./...\n", id="unknown-base-image"
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nENV CGO_ENABLED=1\nRUN CGO_ENABLED=0 go build ./...\n",
        id="overridden-for-the-build",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nENV CGO_ENABLED=1\nRUN CC=/opt/cross/bin/cc go build ./...\n",
        id="own-cc",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nENV CGO_ENABLED=1\nRUN go mod download\n",
        id="no-build-with-it",
    ),
    pytest.param(
        "ARG CGO_ENABLED=1\nFROM golang:1.22-alpine\nRUN go build ./...\n",
        id="global-arg-not-redeclared-is-not-visible",
    ),
    pytest.param(
        'FROM golang:1.22-alpine\nARG PKGS="gcc musl-dev"\nRUN apk add $PKGS\n'
        "ENV CGO_ENABLED=1\nRUN go build .\n",
        id="packages-from-arg",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nRUN echo CGO_ENABLED=1\nRUN go build .\n",
        id="echo-is-not-a-setting",
    ),
    pytest.param(
        "FROM golang:1.22-alpine AS build\nENV CGO_ENABLED=0\nWORKDIR /src\nCOPY . .\n"
        "RUN go build -trimpath -o /out/app ./cmd/app\n"
        "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/app /app\n"
        'USER 65532:65532\nENTRYPOINT ["/app"]\n',
        id="clean-dockerfile",
    ),
]


@pytest.mark.parametrize(("before", "after", "options"), FIX)
def test_fix(before: str, after: str, options: Options | None) -> None:
    assert_fix("GC104", before, after, options)


@pytest.mark.parametrize("text", NOOP)
def test_noop(text: str) -> None:
    assert_noop("GC104", text)


def test_message_names_the_build_line_and_the_failure() -> None:
    result = assert_fix(
        "GC104",
        "FROM golang:1.22-alpine\nENV CGO_ENABLED=1\nCOPY . .\nRUN go build ./cmd/app\n",
        "FROM golang:1.22-alpine\n" + APK + "ENV CGO_ENABLED=1\nCOPY . .\nRUN go build ./cmd/app\n",
    )
    (f,) = result.findings
    assert (f.line, f.severity, f.fix_applied) == (2, "error", True)
    assert "`go build` on line 4" in f.message
    assert "`golang:1.22-alpine` ships no C compiler" in f.message
    assert 'cgo: C compiler "gcc" not found' in f.message
    assert "runtime/cgo" in f.message


def test_no_package_manager_is_report_only_with_unsafe_suggestion() -> None:
    text = 'FROM gcr.io/distroless/static-debian12\nENV CGO_ENABLED=1\nRUN ["go", "build", "."]\n'
    result = assert_report_only("GC104", text)
    (f,) = result.findings
    assert f.fix is not None and f.fix.applicability == "unsafe" and not f.fix_applied
    assert f.note is not None and "no package manager" in f.note and "unsafe_fixes" in f.note


def test_non_root_user_is_report_only() -> None:
    text = (
        "FROM golang:1.22-alpine AS base\nUSER nobody\n"
        "FROM base\nENV CGO_ENABLED=1\nRUN go build ./...\n"
    )
    result = assert_report_only("GC104", text)
    (f,) = result.findings
    assert f.note is not None and "non-root" in f.note


def test_each_setting_reported_once_at_its_line() -> None:
    text = (
        "FROM golang:1.22-alpine AS base\nENV CGO_ENABLED=1\n"
        "FROM base AS a\nRUN go build ./a\nFROM base AS b\nRUN go vet ./b\n"
    )
    result = run_rule("GC104", text)
    assert [f.line for f in result.findings] == [2]
    assert result.new_text == (
        "FROM golang:1.22-alpine AS base\n" + APK + "ENV CGO_ENABLED=1\n"
        "FROM base AS a\nRUN go build ./a\nFROM base AS b\nRUN go vet ./b\n"
    )
