"""GC002 unknown-rule-in-waiver: waivers naming nothing they can silence, or a bad expiry."""

from __future__ import annotations

import pytest

from tests.rules.helpers import POLICY_FOLLOWING, assert_noop, assert_report_only

G = "FROM golang:1.22\n"
R = 'reason="x"'

REPORT = [
    pytest.param(G + f"# gocomply:ignore GC999 {R}\nENV X=1\n", ["names GC999;"], id="code"),
    pytest.param(
        G + f"# gocomply:ignore GC105,nope {R}\nENV X=1\n", ["names nope;"], id="one-of-two"
    ),
    pytest.param(G + f"# gocomply:ignore {R}\nENV X=1\n", ["names no rule"], id="no-rule"),
    pytest.param(
        G + f"# gocomply:ignore GC105 {R} until=2026-13-01\nENV X=1\n",
        ["until=2026-13-01 is not a date"],
        id="bad-date",
    ),
    pytest.param(
        f"# gocomply:ignore-file gc150 {R} until=soon\n" + G,
        ["names gc150;", "until=soon is not a date"],
        id="file-both-in-order",
    ),
    pytest.param(
        G + f"# gocomply:ignore GC001 {R}\nENV X=1\n",
        ["names GC001, which no waiver can silence"],
        id="waiver-rule",
    ),
]


@pytest.mark.parametrize(("text", "expect"), REPORT)
def test_report(text: str, expect: list[str]) -> None:
    result = assert_report_only("GC002", text)
    found = [f for f in result.findings if f.code == "GC002"]
    assert len(found) == len(expect)
    for f, words in zip(found, expect, strict=True):
        assert words in f.message, f.message
        assert (f.severity, f.column, f.fix) == ("info", 1, None)


NOOP = [
    pytest.param(POLICY_FOLLOWING, id="policy-following"),
    pytest.param(G + f"# gocomply:ignore GC105 {R}\nENV GOSUMDB=off\n", id="code"),
    pytest.param(G + f"# gocomply:ignore goproxy-bypass,GC106 {R}\nENV X=1\n", id="names"),
    pytest.param(G + f"# gocomply:ignore gc105 {R} until=2026-12-31\nENV X=1\n", id="date"),
    pytest.param(G + f"# gocomply:ignore all {R}\nENV X=1\n", id="all"),
    pytest.param(G + "# gocomply:ignore GC105\nENV X=1\n", id="no-reason-is-GC001"),
]


@pytest.mark.parametrize("text", NOOP)
def test_noop(text: str) -> None:
    assert_noop("GC002", text)
