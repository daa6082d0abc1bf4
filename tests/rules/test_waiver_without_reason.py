"""GC001 waiver-without-reason: waivers that give no reason, and what is not reported."""

from __future__ import annotations

import pytest

from tests.rules.helpers import POLICY_FOLLOWING, assert_noop, assert_report_only

G = "FROM golang:1.22\n"

# end_column counts the line break (the comment node's span), as GC001 always reported it
REPORT = [
    pytest.param(G + "# gocomply:ignore GC105\nENV GOSUMDB=off\n", 2, 1, 25, id="instruction"),
    pytest.param("# gocomply:ignore-file GC105\n" + G, 1, 1, 30, id="file"),
    pytest.param(G + '# gocomply:ignore GC105 reason=""\nENV X=1\n', 2, 1, 35, id="empty-reason"),
    pytest.param(G + "#gocomply:ignore all\r\nRUN go build\r\n", 2, 1, 23, id="all-crlf"),
    # an ignore-file waiver of every rule cannot silence its own finding
    pytest.param("# gocomply:ignore-file all\n" + G, 1, 1, 28, id="ignore-file-all"),
]


@pytest.mark.parametrize(("text", "line", "column", "end_column"), REPORT)
def test_report(text: str, line: int, column: int, end_column: int) -> None:
    result = assert_report_only("GC001", text)
    (f,) = [f for f in result.findings if f.code == "GC001"]
    assert (f.line, f.column, f.end_column, f.severity) == (line, column, end_column, "info")
    assert 'reason="…"' in f.message and f.fix is None


NOOP = [
    pytest.param(POLICY_FOLLOWING, id="policy-following"),
    pytest.param(G + '# gocomply:ignore GC105 reason="mirror"\nENV GOSUMDB=off\n', id="reason"),
    pytest.param('# gocomply:ignore-file GC105 reason="legacy"\n' + G, id="file-reason"),
    pytest.param(G + "# gocomply: ignore GC105\nENV X=1\n", id="not-a-pragma"),
    pytest.param(G + "# gocomply:ignore GC105\n\nENV X=1\n", id="detached-by-blank-line"),
    pytest.param(G + "ENV X=1\n# gocomply:ignore-file GC105\n", id="ignore-file-too-late"),
]


@pytest.mark.parametrize("text", NOOP)
def test_noop(text: str) -> None:
    assert_noop("GC001", text)
