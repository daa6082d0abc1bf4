"""Waivers: per instruction, per file, expiry, and findings about the waivers themselves."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bot import cli
from bot.config import parse_repo_config, repo_schema
from rewriters.engine import FileResult
from rewriters.engine import analyze as analyze_all
from tests.catalogue import WITHOUT_GC2, machinery_rules

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


# --------------------------------------------------------------------------- GC001/GC002 as rules

WAIVERS = (
    BASE
    + "# gocomply:ignore GC105\nENV GOSUMDB=off\n"
    + '# gocomply:ignore GC999 reason="x"\nRUN go build -o /app .\n'
)


def _check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], cfg: str
) -> tuple[int, list[tuple[str, str]]]:
    (tmp_path / "Dockerfile").write_text(WAIVERS, encoding="utf-8")
    if cfg:
        (tmp_path / ".gocomply.yml").write_text(cfg, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    # without the GC2 family, like every machinery test (tests/catalogue.py)
    status = cli.main(["check", "--format", "json", "--fail-on", "info", *WITHOUT_GC2, "."])
    doc = json.loads(capsys.readouterr().out)
    return status, [(f["code"], f["severity"]) for f in doc["files"][0]["findings"]]


@pytest.mark.parametrize(
    ("cfg", "expect"),
    [
        pytest.param("", [("GC001", "info"), ("GC002", "info")], id="defaults"),
        pytest.param("rules: {GC001: off}\n", [("GC002", "info")], id="GC001-off"),
        pytest.param("rules: {unknown-rule-in-waiver: off}\n", [("GC001", "info")], id="by-name"),
        pytest.param("rules: {GC001: off, GC002: off}\n", [], id="both-off"),
        pytest.param("rules: {GC002: error}\n", [("GC001", "info"), ("GC002", "error")], id="lvl"),
    ],
)
def test_waiver_rules_follow_the_configuration_through_the_cli(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    cfg: str,
    expect: list[tuple[str, str]],
) -> None:
    status, found = _check(tmp_path, monkeypatch, capsys, cfg)
    assert found == expect
    assert status == (1 if expect else 0)


@pytest.mark.parametrize("key", ["GC001", "waiver-without-reason", "GC002"])
def test_waiver_rules_are_listed_and_explained(
    key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["explain", key]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[2] == "severity: info · fix: none · family: waiver"
    headings = [line for line in out if line.startswith("## ")]
    assert headings == ["## What it does", "## Why is this bad?", "## Example", "## Fix safety"]
    assert cli.main(["rules"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert {"GC001", "GC002"} <= set(listed)


def test_the_schema_accepts_the_waiver_rules() -> None:
    props = repo_schema()["properties"]["rules"]["properties"]
    assert {"GC001", "GC002", "waiver-without-reason", "unknown-rule-in-waiver"} <= set(props)
    assert (
        parse_repo_config("rules: {GC001: off}\n", ".gocomply.yml").options().level("GC001")
        == "off"
    )


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("# gocomply:ignore-file all\n" + BASE, id="ignore-file-all"),
        pytest.param(
            '# gocomply:ignore-file GC001 reason="x"\n# gocomply:ignore-file GC105\n' + BASE,
            id="named",
        ),
    ],
)
def test_no_waiver_silences_a_waiver_finding(text: str) -> None:
    assert "GC001" in [f.code for f in analyze(text, fix=False).findings]
