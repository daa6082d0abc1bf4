"""GC105 goproxy-bypass: every place a bypass can be set, and the cases that must stay."""

from __future__ import annotations

import pytest

from rewriters.options import Options
from tests.rules.helpers import assert_fix, assert_noop, assert_report_only

ORG = Options(goproxy="https://goproxy.acme.internal", private_patterns=("github.com/acme/*",))

FIX = [
    pytest.param(
        "FROM golang:1.22\nENV CGO_ENABLED=0 \\\n    GOPROXY=direct \\\n    # why\n"
        "    GOSUMDB=off \\\n    GOFLAGS=-trimpath\n",
        "FROM golang:1.22\nENV CGO_ENABLED=0 \\\n    # why\n    GOFLAGS=-trimpath\n",
        None,
        id="own-line-pairs-removed-whole-comment-kept",
    ),
    pytest.param(
        "FROM golang:1.22\nENV GOPROXY=direct\nRUN go build\n",
        "FROM golang:1.22\nRUN go build\n",
        None,
        id="env-only-pair-drops-instruction",
    ),
    pytest.param(
        "FROM golang:1.22\nENV GOPROXY=direct GOSUMDB=off CGO_ENABLED=0\n",
        "FROM golang:1.22\nENV CGO_ENABLED=0\n",
        None,
        id="env-multi-pair-keeps-others",
    ),
    pytest.param(
        "FROM golang:1.22\nENV GOPROXY=direct \\\n    GOSUMDB=off \\\n    CGO_ENABLED=0\n",
        "FROM golang:1.22\nENV CGO_ENABLED=0\n",
        None,
        id="env-continuation",
    ),
    pytest.param(
        "FROM golang:1.22\nENV CGO_ENABLED=0 \\\n    GOSUMDB=off\n",
        "FROM golang:1.22\nENV CGO_ENABLED=0\n",
        None,
        id="env-continuation-last-pair",
    ),
    pytest.param(
        "FROM golang:1.22\nENV A=1 \\\n    # keep me\n    GOSUMDB=off\n",
        "FROM golang:1.22\nENV A=1\n    # keep me\n",
        None,
        id="comment-in-continuation-survives",
    ),
    pytest.param(
        "FROM golang:1.22\r\nENV GOPROXY=direct GOFLAGS=-mod=mod\r\nRUN go build\r\n",
        "FROM golang:1.22\r\nENV GOFLAGS=-mod=mod\r\nRUN go build\r\n",
        None,
        id="crlf",
    ),
    pytest.param(
        "FROM golang:1.22\nENV GOPROXY direct\n", "FROM golang:1.22\n", None, id="legacy-env-form"
    ),
    pytest.param(
        "FROM golang:1.22\nENV GOPROXY=direct\n",
        "FROM golang:1.22\nENV GOPROXY=https://goproxy.acme.internal\n",
        ORG,
        id="org-proxy-replaces-value",
    ),
    pytest.param(
        'FROM golang:1.22\nENV GOPROXY="direct"\n',
        'FROM golang:1.22\nENV GOPROXY="https://goproxy.acme.internal"\n',
        ORG,
        id="quoted-value-keeps-quotes",
    ),
    pytest.param(
        "ARG GOPROXY=direct\nFROM golang:1.22\nARG GOPROXY\nRUN go build\n",
        "ARG GOPROXY\nFROM golang:1.22\nARG GOPROXY\nRUN go build\n",
        None,
        id="global-arg-default-dropped-arg-kept",
    ),
    pytest.param(
        "FROM golang:1.22\nARG GOPROXY=direct\n",
        "FROM golang:1.22\nARG GOPROXY\n",
        None,
        id="stage-arg-default",
    ),
    pytest.param(
        "FROM golang:1.22\nARG GOPROXY=direct\n",
        "FROM golang:1.22\nARG GOPROXY=https://goproxy.acme.internal\n",
        ORG,
        id="stage-arg-org-proxy",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN export GOPROXY=direct && go build ./...\n",
        "FROM golang:1.22\nRUN go build ./...\n",
        None,
        id="export-in-list",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN GOSUMDB=off go mod download\n",
        "FROM golang:1.22\nRUN go mod download\n",
        None,
        id="inline-assignment",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN env GOSUMDB=off go mod download\n",
        "FROM golang:1.22\nRUN env go mod download\n",
        None,
        id="env-command",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN go env -w GOPROXY=direct && go build\n",
        "FROM golang:1.22\nRUN go build\n",
        None,
        id="go-env-w",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN go env -w GOPROXY=direct\nRUN go build\n",
        "FROM golang:1.22\nRUN go build\n",
        None,
        id="go-env-w-only-command",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN go env -w GOPRIVATE=github.com/acme/* GOSUMDB=off\n",
        "FROM golang:1.22\nRUN go env -w GOPRIVATE=github.com/acme/*\n",
        None,
        id="go-env-w-keeps-private",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN <<EOF\nexport GOSUMDB=off\ngo build\nEOF\n",
        "FROM golang:1.22\nRUN <<EOF\ngo build\nEOF\n",
        None,
        id="heredoc-body",
    ),
    pytest.param(
        "FROM golang:1.22\nONBUILD RUN GOSUMDB=off go build\n",
        "FROM golang:1.22\nONBUILD RUN go build\n",
        None,
        id="onbuild",
    ),
    pytest.param(
        "FROM golang:1.22\nENV GOPRIVATE=github.com/acme/*,*\n",
        "FROM golang:1.22\nENV GOPRIVATE=github.com/acme/*\n",
        None,
        id="goprivate-star-keeps-patterns",
    ),
    pytest.param(
        'FROM golang:1.22\nENV GOFLAGS="-mod=mod -insecure"\n',
        'FROM golang:1.22\nENV GOFLAGS="-mod=mod"\n',
        None,
        id="goflags-insecure",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN make build GOSUMDB=off\n",
        "FROM golang:1.22\nRUN make build\n",
        None,
        id="make-variable",
    ),
    pytest.param(
        "FROM golang:1.22\nENV GONOSUMCHECK=1 GONOSUMDB=*\n",
        "FROM golang:1.22\n",
        None,
        id="gonosumcheck-and-match-all",
    ),
    pytest.param(
        "# escape=`\nFROM golang:1.22\nENV GOPROXY=direct `\n    CGO_ENABLED=0\n",
        "# escape=`\nFROM golang:1.22\nENV CGO_ENABLED=0\n",
        None,
        id="backtick-escape",
    ),
]

NOOP = [
    pytest.param(
        "FROM golang:1.22\nENV GOPROXY=https://proxy.golang.org,direct\n", None, id="default-proxy"
    ),
    pytest.param(
        "FROM golang:1.22\nENV GOPROXY=https://goproxy.acme.internal\n", None, id="internal-proxy"
    ),
    pytest.param(
        "FROM golang:1.22\nCOPY . .\nRUN go mod download\nRUN GOPROXY=off go build ./...\n",
        None,
        id="goproxy-off-after-download",
    ),
    pytest.param(
        "FROM golang:1.22\nENV GOPRIVATE=github.com/acme/*\n", None, id="goprivate-specific"
    ),
    pytest.param(
        "FROM golang:1.22\nENV GONOSUMDB=github.com/acme/*\n",
        ORG,
        id="gonosumdb-covered-by-private-patterns",
    ),
    pytest.param("FROM golang:1.22\nENV GOPROXY=$PROXY\n", None, id="unknown-variable"),
    pytest.param("FROM golang:1.22\nRUN echo GOPROXY=direct\n", None, id="echo-is-not-a-setting"),
]


@pytest.mark.parametrize(("before", "after", "options"), FIX)
def test_fix(before: str, after: str, options: Options | None) -> None:
    assert_fix("GC105", before, after, options)


@pytest.mark.parametrize(("text", "options"), NOOP)
def test_noop(text: str, options: Options | None) -> None:
    assert_noop("GC105", text, options)


def test_value_from_arg_is_reported_without_edit() -> None:
    result = assert_report_only("GC105", "FROM golang:1.22\nARG PROXY=direct\nENV GOPROXY=$PROXY\n")
    f = next(f for f in result.findings if f.line == 3)
    assert f.note is not None and "PROXY" in f.note


def test_private_looking_gonosumdb_is_reported_not_removed() -> None:
    result = assert_report_only("GC105", "FROM golang:1.22\nENV GONOSUMDB=github.com/other/*\n")
    assert "private_patterns" in (result.findings[0].note or "")


def test_message_names_line_and_setting() -> None:
    result = assert_fix("GC105", "FROM golang:1.22\nENV GOSUMDB=off\n", "FROM golang:1.22\n")
    (f,) = result.findings
    assert (f.line, f.severity, f.fix_applied) == (2, "error", True)
    assert "`GOSUMDB=off` turns off Go's checksum database" in f.message
