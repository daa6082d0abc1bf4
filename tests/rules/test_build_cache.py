"""GC206 build-cache: mounts at the effective caches, all-or-nothing module cache mounts."""

from __future__ import annotations

import pytest

from rewriters.context import BuildContext
from tests.rules.helpers import (
    POLICY_FOLLOWING,
    assert_fix,
    assert_noop,
    assert_report_only,
    run_rule,
)

MOD = "--mount=type=cache,target=/go/pkg/mod"
BUILD = "--mount=type=cache,target=/root/.cache/go-build"
VENDORED = BuildContext(
    files=frozenset({"go.mod", "go.sum", "vendor/modules.txt"}),
    go_mod="module x\n\ngo 1.22\n",
    known=True,
    has_dockerignore=False,
)

FIX = [
    pytest.param(
        "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\n"
        "COPY . .\nRUN go build -o /out/app ./cmd/app\n",
        f"FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN {MOD} go mod download\n"
        f"COPY . .\nRUN {MOD} {BUILD} go build -o /out/app ./cmd/app\n",
        None,
        id="download-and-build",
    ),
    pytest.param(
        "FROM golang:1.22\nCOPY . .\nRUN --mount=type=cache,target=/go/pkg/mod \\\n"
        "    go build ./...\n",
        f"FROM golang:1.22\nCOPY . .\nRUN --mount=type=cache,target=/go/pkg/mod {BUILD} \\\n"
        "    go build ./...\n",
        None,
        id="merged-with-existing-mount-continuation",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN --mount=type=bind,target=/src,rw \\\n"
        "    --mount=type=cache,target=/go/pkg/mod \\\n    cd /src && go build ./...\n",
        "FROM golang:1.22\nRUN --mount=type=bind,target=/src,rw \\\n"
        f"    --mount=type=cache,target=/go/pkg/mod \\\n    {BUILD} \\\n"
        "    cd /src && go build ./...\n",
        None,
        id="flags-one-per-line",
    ),
    pytest.param(
        "FROM golang:1.22\r\nCOPY . .\r\nRUN go test ./... -run TestX\r\n",
        f"FROM golang:1.22\r\nCOPY . .\r\nRUN {MOD} {BUILD} go test ./... -run TestX\r\n",
        None,
        id="crlf-go-test",
    ),
    pytest.param(
        "FROM golang:1.22\nENV GOPATH=/gopath\nCOPY . .\nRUN go install ./cmd/app\n",
        "FROM golang:1.22\nENV GOPATH=/gopath\nCOPY . .\n"
        f"RUN --mount=type=cache,target=/gopath/pkg/mod {BUILD} go install ./cmd/app\n",
        None,
        id="env-gopath",
    ),
    pytest.param(
        "FROM golang:1.22\nENV GOCACHE=/cache/build GOMODCACHE=/cache/mod\nCOPY . .\n"
        "RUN go build .\n",
        "FROM golang:1.22\nENV GOCACHE=/cache/build GOMODCACHE=/cache/mod\nCOPY . .\n"
        "RUN --mount=type=cache,target=/cache/mod --mount=type=cache,target=/cache/build "
        "go build .\n",
        None,
        id="env-gocache-gomodcache",
    ),
    pytest.param(
        "FROM golang:1.22\nUSER nobody\nUSER root\nENV HOME=/home/builder\nCOPY . .\n"
        "RUN go build .\n",
        "FROM golang:1.22\nUSER nobody\nUSER root\nENV HOME=/home/builder\nCOPY . .\n"
        f"RUN {MOD} --mount=type=cache,target=/home/builder/.cache/go-build go build .\n",
        None,
        id="home-changes-gocache",
    ),
    pytest.param(
        "FROM golang:1.22 AS base\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\n"
        "FROM base AS build\nCOPY . .\nRUN go build -o /out/app .\n"
        "FROM scratch\nCOPY --from=build /out/app /app\n",
        "FROM golang:1.22 AS base\nWORKDIR /src\nCOPY go.mod go.sum ./\n"
        f"RUN {MOD} go mod download\n"
        f"FROM base AS build\nCOPY . .\nRUN {MOD} {BUILD} go build -o /out/app .\n"
        "FROM scratch\nCOPY --from=build /out/app /app\n",
        None,
        id="multi-stage-lineage-both-runs",
    ),
    pytest.param(
        "FROM golang:1.22\nCOPY . .\nRUN go build -mod=vendor -o /app .\n",
        f"FROM golang:1.22\nCOPY . .\nRUN {BUILD} go build -mod=vendor -o /app .\n",
        None,
        id="vendored-flag-gocache-only",
    ),
    pytest.param(
        "FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\n",
        f"FROM golang:1.22\nCOPY . .\nRUN {BUILD} go build -o /app .\n",
        VENDORED,
        id="vendor-modules-txt-gocache-only",
    ),
    pytest.param(
        "FROM golang:1.22\nCOPY . .\nRUN go mod download\nRUN make build\nRUN go build -o /app .\n",
        "FROM golang:1.22\nCOPY . .\nRUN go mod download\nRUN make build\n"
        f"RUN {BUILD} go build -o /app .\n",
        None,
        id="make-keeps-module-cache-in-layers-gocache-still-added",
    ),
    pytest.param(
        "FROM golang:1.22\nCOPY . .\nRUN <<EOF\ngo mod download\ngo build -o /app .\nEOF\n",
        f"FROM golang:1.22\nCOPY . .\nRUN {MOD} {BUILD} <<EOF\ngo mod download\n"
        "go build -o /app .\nEOF\n",
        None,
        id="heredoc",
    ),
]


@pytest.mark.parametrize(("before", "after", "bc"), FIX)
def test_fix(before: str, after: str, bc: BuildContext | None) -> None:
    assert_fix("GC206", before, after, build_context=bc)


NOOP = [
    pytest.param(POLICY_FOLLOWING, id="policy-following"),
    pytest.param(
        "FROM golang:1.22\nRUN go install golang.org/x/tools/cmd/stringer@v0.24.0\n",
        id="remote-tool-install",
    ),
    pytest.param(
        "FROM golang:1.22\nCOPY . .\nRUN --mount=type=cache,id=gomod,target=/go/pkg/mod/ "
        "--mount=type=cache,dst=/root/.cache/go-build,sharing=locked go build .\n",
        id="mounts-present-other-options",
    ),
    pytest.param("FROM golang:1.22\nRUN go version && go env\n", id="no-cache-command"),
    pytest.param(
        "FROM golang:1.22\nARG CACHE\nRUN --mount=type=cache,target=$CACHE go build .\n",
        id="mount-target-unknown",
    ),
]


@pytest.mark.parametrize("text", NOOP)
def test_noop(text: str) -> None:
    assert_noop("GC206", text)


REPORT = [
    pytest.param(
        "FROM golang:1.22\nCOPY . .\nRUN go mod download\nRUN make build\n",
        "`make` on line 4 may run go commands that need the modules",
        id="make-after-download",
    ),
    pytest.param(
        'FROM golang:1.22\nCOPY . .\nRUN go mod download\nCMD ["go", "run", "."]\n',
        "the image runs `go run .` (line 4), which may need the modules",
        id="image-runs-go",
    ),
    pytest.param(
        "FROM golang:1.22 AS build\nCOPY . .\nRUN go mod download\n"
        "FROM golang:1.22\nCOPY --from=build /go /go\n",
        "line 5 copies `/go` from a stage that downloads modules",
        id="stage-copies-module-cache",
    ),
    pytest.param(
        "ARG IMG\nFROM $IMG\nCOPY . .\nRUN go build .\n",
        "GOMODCACHE for `go build` on line 4 is not known here",
        id="arg-image-unknown",
    ),
    pytest.param(
        "FROM golang:1.22\nARG GOMODCACHE\nCOPY . .\nRUN go mod download\n",
        "GOMODCACHE for `go mod download` on line 4 is not known here",
        id="arg-gomodcache-unknown",
    ),
    pytest.param(
        "FROM golang:1.22\nUSER 1000\nCOPY . .\nRUN go mod download\n",
        "the RUN runs as USER `1000`, and a cache mount is owned by root unless `uid=` says "
        "otherwise",
        id="non-root-user",
    ),
    pytest.param(
        "FROM golang:1.22\nCOPY . .\nRUN --mount=type=bind,target=/go/pkg/mod go mod download\n",
        "another kind of mount already uses `/go/pkg/mod`",
        id="bind-mount-at-target",
    ),
    pytest.param(
        "FROM golang:1.22-windowsservercore\nCOPY . .\nRUN go mod download\n",
        "the stage builds on a Windows image, and gocomply only rewrites Linux images",
        id="windows",
    ),
]


@pytest.mark.parametrize(("text", "note"), REPORT)
def test_report_only(text: str, note: str) -> None:
    result = assert_report_only("GC206", text)
    assert [f.note for f in result.findings] == [note]


def test_output_into_cache_keeps_module_cache_out() -> None:
    text = "FROM golang:1.22\nCOPY . .\nRUN go build -o /go/pkg/mod/app .\n"
    result = run_rule("GC206", text)
    assert (
        result.new_text
        == f"FROM golang:1.22\nCOPY . .\nRUN {BUILD} go build -o /go/pkg/mod/app .\n"
    )
    (finding,) = result.findings
    assert finding.note is not None and "inside the cache `/go/pkg/mod`" in finding.note
