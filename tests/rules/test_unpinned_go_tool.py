"""GC106 unpinned-go-tool: remote tools at moving versions in every RUN form; what is pinned."""

from __future__ import annotations

import pytest

from rewriters.gocmd import is_pinned, is_remote, split_version
from tests.rules.helpers import POLICY_FOLLOWING, assert_noop, assert_report_only

G = "FROM golang:1.22\n"
LINT = "github.com/golangci/golangci-lint/cmd/golangci-lint"

REPORT = [
    pytest.param(G + f"RUN go install {LINT}@latest\n", 1, "@latest", id="at-latest"),
    pytest.param(G + f"RUN go install {LINT}@master\n", 1, "@master", id="at-branch"),
    pytest.param(G + f"RUN go install {LINT}@main\n", 1, "@main", id="at-main"),
    pytest.param(G + f"RUN go install {LINT}@v1\n", 1, "@v1", id="major-only"),
    pytest.param(G + f"RUN go install {LINT}@v1.59\n", 1, "@v1.59", id="partial-semver"),
    pytest.param(G + f"RUN go install {LINT}@upgrade\n", 1, "@upgrade", id="at-upgrade"),
    pytest.param(G + f"RUN go install {LINT}@1a2b3c4\n", 1, "@1a2b3c4", id="short-hash"),
    pytest.param(G + f"RUN go install {LINT}@1.59.1\n", 1, "@1.59.1", id="semver-without-v"),
    pytest.param(
        G + "RUN go install github.com/golang/dep/cmd/dep\n", 1, "names no version", id="no-version"
    ),
    pytest.param(
        G + "RUN go run github.com/acme/gen@latest -out x.go\n", 1, "go run", id="go-run-latest"
    ),
    pytest.param(
        G + "RUN go install -v -ldflags='-s -w' golang.org/x/tools/gopls@latest\n",
        1,
        "gopls@latest",
        id="flags-before-package",
    ),
    pytest.param(
        G + "RUN go install golang.org/x/tools/cmd/goimports@latest golang.org/x/tools/gopls\n",
        2,
        "goimports@latest",
        id="two-packages",
    ),
    pytest.param(G + f'RUN ["go", "install", "{LINT}@latest"]\n', 1, "@latest", id="exec-form"),
    # a flag word that is not literal is still a flag: the package after it is the one go runs
    pytest.param(
        G + 'RUN go run -ldflags="-X main.v=$V" github.com/acme/gen@latest -out x.go\n',
        1,
        "gen@latest",
        id="go-run-after-dynamic-flag",
    ),
    pytest.param(
        G + f'RUN ["sh", "-c", "go install {LINT}@latest && golangci-lint run"]\n',
        1,
        "@latest",
        id="exec-sh-c",
    ),
    pytest.param(
        G + f"RUN <<EOF\nset -e\ngo install {LINT}@latest\nEOF\n", 1, "@latest", id="heredoc"
    ),
    pytest.param(G + f"ONBUILD RUN go install {LINT}@latest\n", 1, "@latest", id="onbuild"),
    pytest.param(
        G + f"RUN apk add git && \\\n    go install \\\n    {LINT}@latest && \\\n    echo ok\n",
        1,
        "@latest",
        id="continuation-and-chain",
    ),
    pytest.param(G + f"RUN cd /tmp && go install {LINT}@latest\n", 1, "@latest", id="cd-first"),
    pytest.param(f"FROM golang:1.22\r\nRUN go install {LINT}@latest\r\n", 1, "@latest", id="crlf"),
    pytest.param(
        f"# escape=`\nFROM golang:1.22\nRUN go install `\n    {LINT}@latest\n",
        1,
        "@latest",
        id="backtick-escape",
    ),
    pytest.param(
        G + f"RUN go install \\\n    # the linter\n    {LINT}@latest\n",
        1,
        "@latest",
        id="comment-line-in-continued-run",
    ),
    pytest.param(
        G + f"ARG LINT_VERSION=latest\nRUN go install {LINT}@${{LINT_VERSION}}\n",
        1,
        "@latest",
        id="version-from-arg-default",
    ),
    pytest.param(
        G + "CMD go run github.com/acme/server@latest\n", 1, "container starts", id="cmd-go-run"
    ),
    pytest.param(
        G + "ENV GO111MODULE=off\nCOPY go.mod ./\nRUN go install github.com/acme/tool\n",
        1,
        "names no version",
        id="gopath-mode-ignores-go-mod",
    ),
]


NOOP = [
    pytest.param(POLICY_FOLLOWING, id="follows-rules-md"),
    pytest.param(G + "RUN go run build/ci.go install\n", id="go-run-ci-install"),
    pytest.param(G + "RUN cd /src && go run build/ci.go install -static ./cmd/geth\n", id="ci-go"),
    pytest.param(G + "RUN go run main.go\n", id="go-run-file"),
    pytest.param(G + "RUN go run .\n", id="go-run-dot"),
    pytest.param(G + "RUN go install ./cmd/app\n", id="local-package"),
    pytest.param(G + "RUN go install -v ./...\n", id="local-pattern"),
    pytest.param(G + "RUN go install cmd/vet\n", id="std-package"),
    pytest.param(G + f"RUN go install {LINT}@v1.59.1\n", id="semver"),
    pytest.param(G + f"RUN go install {LINT}@v1.60.0-rc.1\n", id="prerelease"),
    pytest.param(
        G + "RUN go install github.com/acme/gen@v0.0.0-20240101000000-0123456789ab\n",
        id="pseudo-version",
    ),
    pytest.param(G + "RUN go install github.com/acme/old@v2.1.0+incompatible\n", id="incompatible"),
    pytest.param(
        G + "RUN go install github.com/acme/gen@0123456789abcdef0123456789abcdef01234567\n",
        id="commit-hash",
    ),
    pytest.param(G + "RUN go install github.com/acme/gen@none\n", id="at-none"),
    pytest.param(
        G + "ARG LINT_VERSION=v1.59.1\nRUN go install " + LINT + "@${LINT_VERSION}\n",
        id="version-from-arg-pinned",
    ),
    pytest.param(
        G + "ARG LINT_VERSION\nRUN go install " + LINT + "@${LINT_VERSION}\n",
        id="version-unknown-no-claim",
    ),
    pytest.param(
        G + "COPY go.mod go.sum ./\nRUN go install golang.org/x/crypto/ssh gvisor.dev/gvisor/pkg\n",
        id="versionless-after-go-mod-copy",
    ),
    pytest.param(
        G + "COPY . .\nRUN go mod download\nRUN go run github.com/acme/gen -out x.go\n",
        id="versionless-after-mod-download",
    ),
    pytest.param(G + f"RUN go get -u {LINT}@latest\n", id="go-get-is-gc101"),
    pytest.param(G + "RUN go build github.com/acme/tool\n", id="go-build"),
    pytest.param(G + f"RUN echo go install {LINT}@latest\n", id="echo"),
    pytest.param(G + 'ENTRYPOINT ["go", "run", "."]\n', id="entrypoint-local"),
]


@pytest.mark.parametrize(("text", "count", "expected"), REPORT)
def test_report(text: str, count: int, expected: str) -> None:
    result = assert_report_only("GC106", text)
    findings = [f for f in result.findings if f.code == "GC106"]
    assert len(findings) == count
    assert all(f.severity == "warning" and f.fix is None for f in findings)
    assert any(expected in f.message for f in findings), [f.message for f in findings]
    assert all("@vX.Y.Z" in f.message and "40+ hex" in f.message for f in findings)


@pytest.mark.parametrize("text", NOOP)
def test_noop(text: str) -> None:
    assert_noop("GC106", text)


def test_message_names_package_line_and_pin_format() -> None:
    result = assert_report_only("GC106", G + "RUN go install golang.org/x/tools/gopls@latest\n")
    (f,) = result.findings
    assert (f.line, f.column) == (2, 16)
    assert f.message == (
        "`go install golang.org/x/tools/gopls@latest` does not pin golang.org/x/tools/gopls: go "
        "resolves `@latest` when the image is built, so two builds of one commit can get different "
        "code; pin it as `golang.org/x/tools/gopls@vX.Y.Z` (a full semantic version `@vX.Y.Z` or "
        "a commit hash of 40+ hex digits, the forms OpenSSF Scorecard accepts)."
    )


@pytest.mark.parametrize(
    ("arg", "remote", "pinned"),
    [
        ("golang.org/x/tools/gopls@v0.16.1", True, True),
        ("github.com/acme/x@latest", True, False),
        ("gopkg.in/yaml.v3@v3.0.1", True, True),
        ("example.com@v1.0.0", True, True),
        ("./cmd/x", False, None),
        ("build/ci.go", False, None),
        ("main.go", False, None),
        ("cmd/vet", False, None),
        ("k8s.io/code-generator/cmd/deepcopy-gen@v0.30.0", True, True),
    ],
)
def test_remote_and_pinned(arg: str, remote: bool, pinned: bool | None) -> None:
    path, version = split_version(arg)
    assert is_remote(path) is remote
    if pinned is not None:
        assert version is not None and is_pinned(version) is pinned
