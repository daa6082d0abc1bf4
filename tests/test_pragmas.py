"""Waivers: per instruction, per file, expiry, and findings about the waivers themselves."""

from __future__ import annotations

from datetime import date

from rewriters.engine import FileResult
from rewriters.engine import analyze as analyze_all
from tests.catalogue import machinery_rules

BASE = "FROM golang:1.22\n"


def analyze(text: str, **kwargs: object) -> FileResult:
    """The engine on GC0xx/GC1xx rules (see tests/catalogue.py)."""
    return analyze_all(text, rules=machinery_rules(), **kwargs)  # type: ignore[arg-type]


def codes(text: str, today: date | None = None) -> list[tuple[str, int]]:
    return [(f.code, f.line) for f in analyze(text, today=today, fix=False).findings]


def test_ignore_above_instruction_suppresses_only_that_instruction() -> None:
    text = (
        BASE
        + '# gocomply:ignore GC105 reason="mirror is down"\nENV GOSUMDB=off\nENV GOPROXY=direct\n'
    )
    assert codes(text) == [("GC105", 4)]


def test_ignore_by_name_and_multiple_comment_lines() -> None:
    text = BASE + '# gocomply:ignore goproxy-bypass reason="x"\n# other note\nENV GOSUMDB=off\n'
    assert codes(text) == []


def test_blank_line_breaks_directly_above() -> None:
    text = BASE + '# gocomply:ignore GC105 reason="x"\n\nENV GOSUMDB=off\n'
    assert ("GC105", 4) in codes(text)


def test_ignore_file() -> None:
    text = '# gocomply:ignore-file GC105 reason="legacy image"\n' + BASE + "ENV GOSUMDB=off\n"
    assert codes(text) == []


def test_ignored_instruction_is_not_fixed() -> None:
    text = BASE + '# gocomply:ignore GC105 reason="x"\nENV GOSUMDB=off\n'
    assert analyze(text).new_text == text


def test_expired_waiver_returns_the_finding_with_a_note() -> None:
    text = BASE + '# gocomply:ignore GC105 reason="x" until=2026-01-31\nENV GOSUMDB=off\n'
    assert codes(text, today=date(2026, 1, 31)) == []
    findings = analyze(text, today=date(2026, 2, 1), fix=False).findings
    assert [(f.code, f.line) for f in findings] == [("GC105", 3)]
    assert findings[0].note is not None and "expired on 2026-01-31" in findings[0].note


def test_waiver_without_reason_is_an_info_finding() -> None:
    text = BASE + "# gocomply:ignore GC105\nENV GOSUMDB=off\n"
    findings = analyze(text, fix=False).findings
    assert [(f.code, f.severity, f.line) for f in findings] == [("GC001", "info", 2)]


def test_waiver_naming_unknown_rule_is_reported() -> None:
    text = BASE + '# gocomply:ignore GC999 reason="x"\nRUN go build\n'
    findings = analyze(text, fix=False).findings
    assert [(f.code, f.line) for f in findings] == [("GC002", 2)]
    assert "GC999" in findings[0].message
