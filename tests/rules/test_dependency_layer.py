"""GC201 dependency-layer: a module layer before the full copy, only with go.mod and go.sum."""

from __future__ import annotations

import pytest

from rewriters.context import BuildContext
from tests.rules.helpers import POLICY_FOLLOWING, assert_fix, assert_noop, assert_report_only

MOD = "module example.com/app\n\ngo 1.22\n"
BOTH = BuildContext(files=frozenset({"go.mod", "go.sum"}), go_mod=MOD, known=True)


def ctx(*files: str, dockerignore: str | None = None, go_mod: str | None = MOD) -> BuildContext:
    return BuildContext(
        files=frozenset(files),
        go_mod=go_mod,
        known=True,
        dockerignore=dockerignore,
        has_dockerignore=dockerignore is not None,
    )


FIX = [
    pytest.param(
        "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app ./cmd/app\n",
        "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\n"
        "COPY . .\nRUN go build -o /out/app ./cmd/app\n",
        BOTH,
        id="plain",
    ),
    pytest.param(
        "FROM golang:1.22\r\nWORKDIR /src\r\nADD . .\r\nRUN go test ./...\r\n",
        "FROM golang:1.22\r\nWORKDIR /src\r\nCOPY go.mod go.sum ./\r\nRUN go mod download\r\n"
        "ADD . .\r\nRUN go test ./...\r\n",
        BOTH,
        id="crlf-add",
    ),
    pytest.param(
        "FROM golang:1.22\nCOPY --chown=1000:1000 --link . /src\nWORKDIR /src\n"
        "RUN go build -o /app .\n",
        "FROM golang:1.22\nCOPY --chown=1000:1000 --link go.mod go.sum /src/\n"
        "RUN cd /src && go mod download\nCOPY --chown=1000:1000 --link . /src\nWORKDIR /src\n"
        "RUN go build -o /app .\n",
        BOTH,
        id="absolute-destination-flags-carried",
    ),
    pytest.param(
        "# escape=`\nfrom golang:1.22\nworkdir /src\n  copy . .\nrun go install `\n    ./cmd/app\n",
        "# escape=`\nfrom golang:1.22\nworkdir /src\n  copy go.mod go.sum ./\n"
        "  run go mod download\n  copy . .\nrun go install `\n    ./cmd/app\n",
        BOTH,
        id="escape-case-indent-continuation",
    ),
    pytest.param(
        "FROM golang:1.22 AS src\nWORKDIR /src\nCOPY . .\nFROM src AS build\n"
        "RUN go build -o /app .\n",
        "FROM golang:1.22 AS src\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\n"
        "COPY . .\nFROM src AS build\nRUN go build -o /app .\n",
        BOTH,
        id="copy-in-parent-stage",
    ),
    pytest.param(
        "FROM golang:1.22\nENV SRC=/go/src/app\nWORKDIR $SRC\nCOPY . $SRC\nRUN go build .\n",
        "FROM golang:1.22\nENV SRC=/go/src/app\nWORKDIR $SRC\nCOPY go.mod go.sum $SRC/\n"
        "RUN go mod download\nCOPY . $SRC\nRUN go build .\n",
        BOTH,
        id="destination-from-env",
    ),
    pytest.param(
        "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nCOPY . .\nRUN go build .\n",
        "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\n"
        "COPY . .\nRUN go build .\n",
        BOTH,
        id="mod-files-copied-without-download",
    ),
    pytest.param(
        "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN go build .\n",
        "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\n"
        "COPY . .\nRUN go mod download\nRUN go build .\n",
        BOTH,
        id="download-after-full-copy",
    ),
    pytest.param(
        "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build .\n",
        "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\n"
        "COPY . .\nRUN go build .\n",
        ctx("go.mod", "go.sum", "vendor/modules.txt", dockerignore="vendor/\n"),
        id="vendor-excluded-by-dockerignore",
    ),
]


@pytest.mark.parametrize(("before", "after", "bc"), FIX)
def test_fix(before: str, after: str, bc: BuildContext) -> None:
    assert_fix("GC201", before, after, build_context=bc)


NOOP = [
    pytest.param(POLICY_FOLLOWING, BOTH, id="policy-following"),
    pytest.param(
        "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\n"
        "RUN go build .\n",
        BOTH,
        id="layer-present",
    ),
    pytest.param(
        "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build .\n",
        ctx("go.mod", "go.sum", "vendor/modules.txt"),
        id="vendored-by-default",
    ),
    pytest.param(
        "FROM golang:1.22\nENV GOFLAGS=-mod=vendor\nCOPY . .\nRUN go build .\n",
        BuildContext(),
        id="vendored-goflags-unknown-context",
    ),
    pytest.param(
        "FROM golang:1.22\nCOPY . .\nRUN go build -mod=vendor .\n", BOTH, id="vendored-flag"
    ),
    pytest.param(
        "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build .\n",
        ctx("go.mod"),
        id="no-go-sum-no-dependencies",
    ),
    pytest.param("FROM golang:1.22\nCOPY . .\nRUN go build .\n", ctx(), id="no-go-mod-in-context"),
    pytest.param(
        "FROM golang:1.22\nCOPY . .\nRUN go install golang.org/x/tools/cmd/stringer@v0.24.0\n",
        BOTH,
        id="remote-install",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN --mount=type=bind,target=/src cd /src && go build -o /app .\n",
        BOTH,
        id="bind-mounted-sources",
    ),
    pytest.param(
        "FROM golang:1.22\nCOPY ./cmd ./cmd\nRUN go build ./cmd/app\n", BOTH, id="partial-copy"
    ),
]


@pytest.mark.parametrize(("text", "bc"), NOOP)
def test_noop(text: str, bc: BuildContext) -> None:
    assert_noop("GC201", text, build_context=bc)


REPORT = [
    pytest.param(
        BuildContext(),
        "FROM golang:1.22\nCOPY . .\nRUN go build .\n",
        "the build context is not known, so go.mod and go.sum cannot be checked there",
        id="unknown-context",
    ),
    pytest.param(
        ctx("go.mod", "go.sum", "go.work"),
        "FROM golang:1.22\nCOPY . .\nRUN go build .\n",
        "a go.work at the build context root puts the build in workspace mode, which needs "
        "go.work, go.work.sum and each used module's go.mod and go.sum",
        id="go-work",
    ),
    pytest.param(
        BOTH,
        "FROM golang:1.22\nARG DEST\nCOPY . $DEST\nRUN go build .\n",
        "`$DEST` depends on a variable known only when the image is built",
        id="variable-destination",
    ),
    pytest.param(
        BOTH,
        "FROM golang:1.22\nCOPY . .\nRUN --mount=type=secret,id=netrc,target=/root/.netrc "
        "go build .\n",
        "the build on line 3 uses a secret mount, which the module download may need too",
        id="secret-mount",
    ),
    pytest.param(
        BOTH,
        "FROM golang:1.22\nCOPY . .\nENV GOPRIVATE=example.com/*\nRUN go build .\n",
        "GOPRIVATE changes between the copy on line 2 and the build on line 4",
        id="env-between-copy-and-build",
    ),
    pytest.param(
        BOTH,
        "FROM golang:1.22\nCOPY --exclude=*.md . .\nRUN go build .\n",
        "the copy's `--exclude` flag cannot be carried over to go.mod and go.sum",
        id="exclude-flag",
    ),
]


@pytest.mark.parametrize(("bc", "text", "note"), REPORT)
def test_report_only(bc: BuildContext, text: str, note: str) -> None:
    result = assert_report_only("GC201", text, build_context=bc)
    assert [f.note for f in result.findings] == [note]
