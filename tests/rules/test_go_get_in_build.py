"""GC101 go-get-in-build: every RUN form, the rewrites that keep the build, what stays a report."""

from __future__ import annotations

import csv

import pytest

from rewriters.artifacts import consumers, products
from rewriters.document import Document
from rewriters.engine import analyze
from rewriters.model import Model
from rewriters.registry import find_rule
from tests.corpus import CORPUS, read_text, real_files
from tests.rules.helpers import POLICY_FOLLOWING, assert_fix, assert_noop, assert_report_only

G = "FROM golang:1.22\n"
TOOL_BEFORE = (
    "FROM golang:1.22 AS tools\n"
    "RUN go get -u github.com/acme/tool/cmd/tool@v1.2.3\n"
    "FROM alpine:3.20\n"
    "COPY --from=tools /go/bin/tool /usr/local/bin/tool\n"
)
TOOL_AFTER = TOOL_BEFORE.replace("go get -u", "go install")

FIX = [
    pytest.param(G + "RUN go get -u ./...\n", G + "RUN go mod download\n", id="u-dots"),
    pytest.param(G + "RUN go get -u all\n", G + "RUN go mod download\n", id="u-all"),
    pytest.param(G + "RUN go get -u\n", G + "RUN go mod download\n", id="u-no-args"),
    pytest.param(G + "RUN go get ./...\n", G + "RUN go mod download\n", id="dots"),
    pytest.param(G + "RUN go get -d ./...\n", G + "RUN go mod download\n", id="d-dots"),
    pytest.param(G + "RUN go get -d -v ./...\n", G + "RUN go mod download\n", id="d-v-dots"),
    pytest.param(G + "RUN go get -v -u ./...\n", G + "RUN go mod download\n", id="v-u-dots"),
    pytest.param(G + "RUN go get -u=patch ./...\n", G + "RUN go mod download\n", id="u-patch"),
    pytest.param(G + "RUN go get -t -u .\n", G + "RUN go mod download\n", id="t-u-dot"),
    # a rooted path is a directory pattern like ./… (`go help packages`; gocmd.is_local)
    pytest.param(G + "RUN go get -u /src/...\n", G + "RUN go mod download\n", id="rooted-path"),
    pytest.param(
        G + 'RUN go get -tags "netgo osusergo" -u ./...\n',
        G + "RUN go mod download\n",
        id="tags-dropped",
    ),
    pytest.param(G + "RUN go get -x -u ./...\n", G + "RUN go mod download -x\n", id="x-kept"),
    pytest.param(G + "RUN go get -u -x ./...\n", G + "RUN go mod download -x\n", id="x-kept-mid"),
    pytest.param(
        G + "RUN go get -u ./... && go build -o /out/app ./cmd/app\n",
        G + "RUN go mod download && go build -o /out/app ./cmd/app\n",
        id="and-chain",
    ),
    pytest.param(
        G + "RUN apk add git && go get -u ./... && go build ./...\n",
        G + "RUN apk add git && go mod download && go build ./...\n",
        id="middle-of-chain",
    ),
    pytest.param(
        G + "RUN go get -u \\\n    ./... && \\\n    go build ./...\n",
        G + "RUN go mod download && \\\n    go build ./...\n",
        id="continuation",
    ),
    pytest.param(
        G + "RUN cd /src && go get -u ./...\n",
        G + "RUN cd /src && go mod download\n",
        id="cd-first",
    ),
    pytest.param(
        G + "RUN GO111MODULE=on go get -u ./...\n",
        G + "RUN GO111MODULE=on go mod download\n",
        id="module-mode-explicit",
    ),
    pytest.param(
        G + "RUN /usr/local/go/bin/go get -u ./...\n",
        G + "RUN /usr/local/go/bin/go mod download\n",
        id="go-by-path",
    ),
    pytest.param(
        G + 'RUN ["go", "get", "-u", "./..."]\n',
        G + 'RUN ["go", "mod", "download"]\n',
        id="exec-form",
    ),
    pytest.param(
        G + 'RUN ["go","get","-x","-u","./..."]\n',
        G + 'RUN ["go","mod","download","-x"]\n',
        id="exec-form-compact-keeps-x",
    ),
    pytest.param(
        G + 'RUN ["sh", "-c", "go get -u ./... && go build ./..."]\n',
        G + 'RUN ["sh", "-c", "go mod download && go build ./..."]\n',
        id="exec-sh-c",
    ),
    pytest.param(
        G + 'RUN ["sh", "-c", "go get -tags \\"a b\\" -u \\"./...\\" && go build"]\n',
        G + 'RUN ["sh", "-c", "go mod download && go build"]\n',
        id="exec-sh-c-json-escapes-stay-valid",
    ),
    pytest.param(
        G + "RUN <<EOF\nset -e\ngo get -u ./...\ngo build ./...\nEOF\n",
        G + "RUN <<EOF\nset -e\ngo mod download\ngo build ./...\nEOF\n",
        id="heredoc",
    ),
    pytest.param(
        G + "RUN bash -ex <<'EOF'\ngo get -u \\\n  ./...\nEOF\n",
        G + "RUN bash -ex <<'EOF'\ngo mod download\nEOF\n",
        id="heredoc-stdin-shell-continuation",
    ),
    pytest.param(
        G + "ONBUILD RUN go get -u ./...\n",
        G + "ONBUILD RUN go mod download\n",
        id="onbuild",
    ),
    pytest.param(
        "FROM golang:1.22\r\nWORKDIR /src\r\nRUN go get -u \\\r\n    ./... && go build\r\n",
        "FROM golang:1.22\r\nWORKDIR /src\r\nRUN go mod download && go build\r\n",
        id="crlf",
    ),
    pytest.param(
        "# escape=`\nFROM golang:1.22\nRUN go get -u `\n    ./... && `\n    go build\n",
        "# escape=`\nFROM golang:1.22\nRUN go mod download && `\n    go build\n",
        id="backtick-escape",
    ),
    pytest.param(
        G + "RUN apk add git \\\n    # fetch modules\n    && go get -u ./... \\\n    && go build\n",
        G + "RUN apk add git \\\n    # fetch modules\n    && go mod download \\\n    && go build\n",
        id="comment-line-in-continued-run-survives",
    ),
    pytest.param(
        G + "RUN go get -u \\\n    # every package\n    ./...\nRUN go build\n",
        G + "RUN go mod download\n    # every package\nRUN go build\n",
        id="comment-between-words-survives",
    ),
    pytest.param(
        "# escape=`\nFROM golang:1.22\nRUN go get -u `\n    # all of them\n    ./... && go build\n",
        "# escape=`\nFROM golang:1.22\nRUN go mod download `\n    # all of them\n    && go build\n",
        id="comment-between-words-backtick",
    ),
    pytest.param(
        G + "RUN go get -u \\\n    # note\n    ./... 2>&1 | tee /log\n",
        G + "RUN go mod download \\\n    # note\n    2>&1 | tee /log\n",
        id="comment-between-words-rest-of-line-kept",
    ),
    pytest.param(
        "FROM golang:1.22-alpine\nRUN go get -u ./...\n",
        "FROM golang:1.22-alpine\nRUN go mod download\n",
        id="alpine-image",
    ),
    pytest.param(
        "FROM golang\nRUN go get -u ./...\n", "FROM golang\nRUN go mod download\n", id="latest"
    ),
    pytest.param(
        "ARG GO_VERSION=1.22\nFROM golang:${GO_VERSION}-bookworm\nRUN go get -u ./...\n",
        "ARG GO_VERSION=1.22\nFROM golang:${GO_VERSION}-bookworm\nRUN go mod download\n",
        id="version-from-global-arg",
    ),
    pytest.param(
        "FROM golang:1.22 AS base\nFROM base AS build\nRUN go get -u ./...\n",
        "FROM golang:1.22 AS base\nFROM base AS build\nRUN go mod download\n",
        id="child-stage",
    ),
    # pinned tools become `go install` when a later step uses the binary
    pytest.param(TOOL_BEFORE, TOOL_AFTER, id="tool-copied-from-go-bin"),
    pytest.param(
        G + "RUN go get -v -u github.com/google/wire/cmd/wire@v0.6.0 && wire ./...\n",
        G + "RUN go install -v github.com/google/wire/cmd/wire@v0.6.0 && wire ./...\n",
        id="tool-run-later-in-same-run",
    ),
    pytest.param(
        G + "RUN go get golang.org/x/tools/cmd/stringer@v0.24.0\nRUN stringer -type=Kind ./...\n",
        G
        + "RUN go install golang.org/x/tools/cmd/stringer@v0.24.0\nRUN stringer -type=Kind ./...\n",
        id="tool-run-in-later-run",
    ),
    pytest.param(
        G + "RUN go get github.com/acme/gen@0123456789abcdef0123456789abcdef01234567\n"
        "RUN /go/bin/gen\n",
        G + "RUN go install github.com/acme/gen@0123456789abcdef0123456789abcdef01234567\n"
        "RUN /go/bin/gen\n",
        id="tool-pinned-by-commit",
    ),
    pytest.param(
        G + 'RUN go get -u github.com/acme/gen/v2@v2.0.0-rc.1\nENTRYPOINT ["gen"]\n',
        G + 'RUN go install github.com/acme/gen/v2@v2.0.0-rc.1\nENTRYPOINT ["gen"]\n',
        id="tool-major-suffix-prerelease",
    ),
    pytest.param(
        G + 'RUN ["go", "get", "-u", "github.com/acme/gen@v1.0.0"]\nRUN gen\n',
        G + 'RUN ["go", "install", "github.com/acme/gen@v1.0.0"]\nRUN gen\n',
        id="tool-exec-form",
    ),
    pytest.param(
        "FROM golang:1.22 AS build\nENV GOBIN=/out\n"
        "RUN go get github.com/acme/gen@v1.0.0\n"
        "FROM scratch\nCOPY --from=build /out/gen /gen\n",
        "FROM golang:1.22 AS build\nENV GOBIN=/out\n"
        "RUN go install github.com/acme/gen@v1.0.0\n"
        "FROM scratch\nCOPY --from=build /out/gen /gen\n",
        id="tool-with-gobin",
    ),
]

REPORT = [
    pytest.param(G + "RUN go get -u github.com/acme/tool\n", "GC106", id="unversioned-remote"),
    pytest.param(G + "RUN go get github.com/acme/tool@latest\n", "GC106", id="at-latest"),
    pytest.param(G + "RUN go get -u github.com/acme/tool@master\n", "GC106", id="at-branch"),
    pytest.param(G + "RUN go get github.com/acme/tool@v1.2\n", "GC106", id="partial-semver"),
    pytest.param(
        G + "RUN go get -u github.com/acme/a@v1.0.0 github.com/acme/b\n", "GC106", id="one-unpinned"
    ),
    pytest.param(
        "FROM golang:1.22\nENV GO111MODULE=off\nRUN go get -u ./...\n",
        "GO111MODULE=off",
        id="gopath-mode-env",
    ),
    pytest.param(
        G + "RUN GO111MODULE=off go get -d ./...\n", "GO111MODULE=off", id="gopath-mode-inline"
    ),
    pytest.param(
        G + "RUN export GO111MODULE=off && go get -d ./...\n",
        "GO111MODULE=off",
        id="gopath-mode-export",
    ),
    pytest.param(
        G + "RUN go env -w GO111MODULE=auto\nRUN go get -d ./...\n",
        "GO111MODULE=auto",
        id="go-env-w-auto",
    ),
    pytest.param("FROM golang:1.11\nRUN go get -d -v ./...\n", "Go 1.11", id="old-toolchain"),
    pytest.param(
        "FROM ubuntu:22.04\nRUN apt-get install -y golang && go get -u ./...\n",
        "not known",
        id="unknown-toolchain",
    ),
    pytest.param(
        "ARG TAG\nFROM golang:${TAG}\nRUN go get -u ./...\n",
        "build argument",
        id="toolchain-from-arg-without-default",
    ),
    pytest.param(
        G + "RUN go mod init example.com/app\nRUN go get ./...\n", "go mod init", id="mod-init"
    ),
    pytest.param(
        G + "RUN go get github.com/acme/sdk@v0.7.2\nRUN go mod tidy\n",
        "may be a library",
        id="pinned-library-no-consumer",
    ),
    pytest.param(
        G + "RUN go get -d github.com/acme/gen@v1.0.0\nRUN gen\n", "download", id="pinned-with-d"
    ),
    pytest.param(
        G
        + "RUN go get github.com/acme/gen@v1.0.0\nRUN gen -version && go run github.com/acme/gen\n",
        "relies on the go.mod requirement",
        id="later-go-run-needs-requirement",
    ),
    pytest.param(
        G + "RUN go get github.com/acme/a@v1.0.0 github.com/acme/b@v1.0.0\n",
        "several packages",
        id="several-pinned",
    ),
    pytest.param(G + "RUN go get github.com/acme/a@none\n", "go.mod", id="at-none"),
    pytest.param(
        G + "RUN GO111MODULE=off go get github.com/acme/gen@v1.0.0\nRUN gen\n",
        "does not accept the `path@version` syntax",
        id="gopath-mode-with-version",
    ),
    pytest.param(G + "RUN go get $DEPS\n", "variables", id="dynamic-args"),
    pytest.param(G + "RUN go get -modfile=tools.mod ./...\n", "-modfile", id="unknown-flag"),
    pytest.param(
        G + "ONBUILD RUN go get github.com/acme/gen@v1.0.0\nONBUILD RUN gen\n",
        "ONBUILD",
        id="onbuild-tool",
    ),
    pytest.param(G + "RUN go get -u 2>/dev/null ./...\n", "redirection", id="redirect-between"),
    pytest.param(
        G + "RUN go get \\\n    # a\n    -u \\\n    # b\n    ./...\n",
        "clean word replacement",
        id="comment-cannot-be-kept",
    ),
]


NOOP = [
    pytest.param(POLICY_FOLLOWING, id="follows-rules-md"),
    pytest.param(G + "RUN go mod download\n", id="mod-download"),
    pytest.param(G + "RUN go install github.com/acme/tool@v1.2.3\n", id="go-install-pinned"),
    pytest.param(G + "RUN go run build/ci.go install\n", id="go-run-ci-install"),
    pytest.param(G + "RUN echo go get -u ./...\n", id="echo-mentions-it"),
    pytest.param(G + "RUN git get -u\n", id="not-go"),
    pytest.param(G + "# RUN go get -u ./...\nRUN go build\n", id="commented-out"),
    pytest.param(G + 'RUN echo "run go get -u later"\n', id="quoted-text"),
    pytest.param(G + "RUN go mod tidy && go build\n", id="other-go-commands"),
    pytest.param(G + 'CMD ["go", "get", "-u", "./..."]\n', id="cmd-is-not-build-time"),
]


@pytest.mark.parametrize(("before", "after"), FIX)
def test_fix(before: str, after: str) -> None:
    assert_fix("GC101", before, after)


@pytest.mark.parametrize(("text", "expected"), REPORT)
def test_report(text: str, expected: str) -> None:
    result = assert_report_only("GC101", text)
    findings = [f for f in result.findings if f.code == "GC101"]
    assert findings and all(f.severity == "error" and not f.fix_applied for f in findings)
    assert any(expected in f"{f.message} {f.note}" for f in findings), findings


@pytest.mark.parametrize("text", NOOP)
def test_noop(text: str) -> None:
    assert_noop("GC101", text)


def test_tool_binary_still_found_after_fix() -> None:
    """The rewritten `go install` produces exactly the path the later COPY --from reads."""
    assert_fix("GC101", TOOL_BEFORE, TOOL_AFTER)
    doc = Document.parse(TOOL_AFTER)
    model = Model.build(doc)
    produced = {(p.path, p.stage.index) for p in products(doc, model)}
    copied = [c for c in consumers(doc, model) if c.kind == "copy-from"]
    assert copied and all(
        c.from_stage is not None and (c.path, c.from_stage.index) in produced for c in copied
    )


def test_messages_state_the_facts() -> None:
    result = assert_fix("GC101", G + "RUN go get -u ./...\n", G + "RUN go mod download\n")
    (f,) = result.findings
    assert (f.line, f.severity, f.fix_applied) == (2, "error", True)
    assert "rewrites go.mod/go.sum to whatever dependency versions are newest at build time" in (
        f.message
    )
    assert "two builds of one commit differ" in f.message
    assert f.fix is not None and f.fix.description == "`go get -u ./...` → `go mod download`"

    tool = assert_report_only("GC101", G + "RUN go get -u github.com/acme/tool\n").findings[0]
    assert "GC106" in (tool.note or "") and "go install github.com/acme/tool@vX.Y.Z" in (
        tool.note or ""
    )

    pinned = assert_fix(
        "GC101",
        G + "RUN go get github.com/acme/gen@v1.0.0\nRUN gen\n",
        G + "RUN go install github.com/acme/gen@v1.0.0\nRUN gen\n",
    ).findings[0]
    assert pinned.message.startswith("Since Go 1.18 `go get github.com/acme/gen@v1.0.0` only edits")


def test_two_commands_in_one_run_are_both_fixed() -> None:
    assert_fix(
        "GC101",
        G + "RUN go get -u ./... && go get -u github.com/acme/gen@v1.0.0 && gen\n",
        G + "RUN go mod download && go install github.com/acme/gen@v1.0.0 && gen\n",
    )


# -- corpus --------------------------------------------------------------------------------

# MANIFEST P1 files GC101 does not find, with the reason (none today).
KNOWN_P1_MISSES: dict[str, str] = {}


def _manifest() -> dict[str, str]:
    with open(CORPUS / "MANIFEST.tsv", encoding="utf-8", newline="") as fh:
        return {row["file"]: row["patterns"] for row in csv.DictReader(fh, delimiter="\t")}


@pytest.mark.corpus
def test_corpus_p1_found_and_fixes_verified() -> None:
    rules = [find_rule("GC101"), find_rule("GC106")]
    assert all(r is not None for r in rules)
    manifest = _manifest()
    misses: dict[str, str] = {}
    for path in real_files():
        text = read_text(path)
        result = analyze(text, path=path.name, rules=[r for r in rules if r is not None])
        if result.error is not None:
            continue
        assert result.refused == (), (path.name, result.refused)
        if result.changed:
            again = analyze(result.new_text, rules=[r for r in rules if r is not None])
            assert again.new_text == result.new_text, path.name
        found = any(f.code == "GC101" for f in result.findings)
        if "P1" in manifest.get(path.name, "").split(",") and not found:
            misses[path.name] = "not found"
    assert {k: v for k, v in misses.items() if k not in KNOWN_P1_MISSES} == {}
