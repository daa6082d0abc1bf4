"""bot.output with hand-built findings: exact text, the JSON contract, valid SARIF, diffs."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bot.output import (
    INFORMATION_URI,
    artifact_location,
    render_json,
    render_sarif,
    render_text,
    summarize,
    summary_line,
    unified_diff,
)
from rewriters.edits import Edit, Span
from rewriters.engine import FileResult
from rewriters.findings import Finding
from rewriters.registry import Fix, Rule, RuleDoc, Violation

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-2.1.0.json").read_text())
TEXT = "FROM golang:1.22\nENV GOPROXY=direct GOSUMDB=off\nRUN go build -o /app .\n"


def _check(doc: object, ctx: object) -> Iterator[Violation]:
    yield from ()


RULE = Rule(
    code="GC105",
    name="goproxy-bypass",
    severity="error",
    fix="safe",
    check=_check,
    doc=RuleDoc(
        what="Finds settings that bypass the module proxy. More text.",
        why="Because.",
        example="```dockerfile\nENV GOPROXY=direct\n```",
        fix_safety="Safe.",
    ),
    module="tests",
)
RULE2 = Rule("GC203", "runs-as-root", "warning", "unsafe", _check, RULE.doc, "tests")


def finding(
    code: str = "GC105",
    *,
    line: int = 2,
    column: int = 5,
    end_column: int = 19,
    severity: str = "error",
    fix: Fix | None = None,
    applied: bool = False,
    note: str | None = None,
    message: str = "`GOPROXY=direct` bypasses the module proxy.",
) -> Finding:
    return Finding(
        code=code,
        name="goproxy-bypass" if code == "GC105" else "runs-as-root",
        severity=severity,  # type: ignore[arg-type]
        line=line,
        end_line=line,
        column=column,
        end_column=end_column,
        message=message,
        fixable=fix is not None and bool(fix.edits),
        fix_applied=applied,
        fix=fix,
        note=note,
    )


DROP = Fix((Edit(Span(21, 36), ""),), "`GOPROXY=direct` removed", "safe")
USER = Fix((Edit.insert(len(TEXT), "USER 65532:65532\n"),), "add `USER 65532:65532`", "unsafe")


def results() -> list[FileResult]:
    return [
        FileResult(
            "svc/Dockerfile",
            TEXT,
            TEXT,
            (
                finding(fix=DROP),
                finding(
                    column=20,
                    end_column=31,
                    message="`GOSUMDB=off` turns off checksum verification.",
                    note="fix not applied: the fix changed line 3 (RUN), outside its edits",
                ),
                finding("GC203", line=3, column=1, end_column=23, severity="warning", fix=USER),
            ),
        ),
        FileResult("a/Dockerfile", "", "", (), skipped="no Go build"),
        FileResult("bad/Dockerfile", "", "", (), error="not valid UTF-8 (byte 0xff at offset 3)"),
        FileResult("ok/Dockerfile", "FROM golang\n", "FROM golang\n", ()),
    ]


def test_text_report_exact() -> None:
    rs = results()
    out = render_text(rs, summarize(rs))
    assert out.splitlines() == [
        "svc/Dockerfile:2:5: GC105 [error] `GOPROXY=direct` bypasses the module proxy.",
        "  fix: `GOPROXY=direct` removed (safe)",
        "svc/Dockerfile:2:20: GC105 [error] `GOSUMDB=off` turns off checksum verification.",
        "  note: fix not applied: the fix changed line 3 (RUN), outside its edits",
        "svc/Dockerfile:3:1: GC203 [warning] `GOPROXY=direct` bypasses the module proxy.",
        "  fix: add `USER 65532:65532` (unsafe: apply with `gocomply fix --unsafe`)",
        "a/Dockerfile: skipped: no Go build",
        "Found 3 findings (2 errors, 1 warning) in 2 files; 2 fixable with `gocomply fix`, "
        "1 skipped (no Go build), 1 could not be checked.",
    ]


@pytest.mark.parametrize(("fail_on", "code"), [("error", 2), ("never", 2)], ids=["error", "never"])
def test_exit_code_errors_win(fail_on: str, code: int) -> None:
    assert summarize(results(), fail_on=fail_on).exit_code == code  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fail_on", "code"),
    [("error", 0), ("warning", 1), ("info", 1), ("never", 0)],
)
def test_exit_code_fail_on(fail_on: str, code: int) -> None:
    rs = [FileResult("D", "", "", (finding("GC203", severity="warning"),))]
    assert summarize(rs, fail_on=fail_on).exit_code == code  # type: ignore[arg-type]


def test_summary_lines() -> None:
    none = summarize([FileResult("D", "x", "x", ())])
    assert summary_line(none) == "No findings in 1 file."
    fixed = [FileResult("D", "x", "y", (finding(fix=DROP, applied=True),))]
    assert summary_line(summarize(fixed), mode="fix") == (
        "Fixed 1 finding. No findings remaining in 1 file."
    )
    assert summary_line(summarize(fixed), mode="diff") == (
        "Would fix 1 finding. No findings remaining in 1 file."
    )
    mixed = [FileResult("D", "x", "y", (finding(fix=DROP, applied=True), finding()))]
    assert summary_line(summarize(mixed), mode="fix") == (
        "Fixed 1 finding. 1 finding remaining (1 error) in 1 file."
    )


def test_json_contract() -> None:
    rs = results()
    doc = json.loads(render_json(rs, summarize(rs)))
    assert doc["version"] == 1
    assert [f["path"] for f in doc["files"]] == [
        "svc/Dockerfile",
        "a/Dockerfile",
        "bad/Dockerfile",
        "ok/Dockerfile",
    ]
    first = doc["files"][0]
    assert first["error"] is None and first["skipped"] is None
    required = {
        "code", "name", "severity", "line", "end_line", "column", "message", "fixable",
        "fix_applied",
    }  # fmt: skip
    for f in first["findings"]:
        assert required <= set(f)
    assert {k: first["findings"][0][k] for k in sorted(required)} == {
        "code": "GC105",
        "column": 5,
        "end_line": 2,
        "fix_applied": False,
        "fixable": True,
        "line": 2,
        "message": "`GOPROXY=direct` bypasses the module proxy.",
        "name": "goproxy-bypass",
        "severity": "error",
    }
    assert first["findings"][0]["fix"] == {
        "description": "`GOPROXY=direct` removed",
        "applicability": "safe",
    }
    assert doc["files"][1] == {
        "path": "a/Dockerfile",
        "findings": [],
        "error": None,
        "skipped": "no Go build",
        "applied": [],
    }
    assert doc["files"][2]["error"] == "not valid UTF-8 (byte 0xff at offset 3)"
    assert doc["summary"]["findings"] == 3
    assert doc["summary"]["by_severity"] == {"error": 2, "warning": 1, "info": 0}
    assert doc["summary"]["exit_code"] == 2


def sarif() -> dict[str, Any]:
    out: dict[str, Any] = json.loads(render_sarif(results(), [RULE, RULE2]))
    return out


def test_sarif_is_valid_against_the_schema() -> None:
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    errors = sorted(jsonschema.Draft4Validator(SCHEMA).iter_errors(sarif()), key=str)
    assert errors == []


def test_sarif_schema_rejects_a_broken_log() -> None:
    # guard against a vacuous schema: a result without a message is invalid SARIF
    broken = sarif()
    del broken["runs"][0]["results"][0]["message"]
    assert not jsonschema.Draft4Validator(SCHEMA).is_valid(broken)


def test_sarif_content() -> None:
    run = sarif()["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "gocomply"
    assert driver["informationUri"] == INFORMATION_URI
    rule = driver["rules"][0]
    assert rule["id"] == "GC105" and rule["name"] == "goproxy-bypass"
    assert rule["shortDescription"] == {"text": "Finds settings that bypass the module proxy."}
    assert rule["help"]["markdown"].startswith("## What it does\n\nFinds settings")
    assert rule["defaultConfiguration"] == {"level": "error"}
    assert driver["rules"][1]["defaultConfiguration"] == {"level": "warning"}
    first = run["results"][0]
    assert first["ruleId"] == "GC105" and first["ruleIndex"] == 0 and first["level"] == "error"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "svc/Dockerfile", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 2, "startColumn": 5, "endLine": 2, "endColumn": 19},
    }
    change = first["fixes"][0]["artifactChanges"][0]
    assert change["replacements"] == [
        {"deletedRegion": {"charOffset": 21, "charLength": 15}, "insertedContent": {"text": ""}}
    ]
    assert "fixes" not in run["results"][1]
    assert run["results"][1]["message"]["text"].endswith("outside its edits)")
    assert run["results"][2]["level"] == "warning" and run["results"][2]["ruleIndex"] == 1
    inv = run["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert inv["toolExecutionNotifications"][0]["message"]["text"] == (
        "bad/Dockerfile: error: not valid UTF-8 (byte 0xff at offset 3)"
    )


def test_sarif_fix_applies_to_the_text() -> None:
    # Applying the SARIF replacements to the original text gives the fixed text.
    r = sarif()["runs"][0]["results"][0]["fixes"][0]["artifactChanges"][0]["replacements"][0]
    start, length = r["deletedRegion"]["charOffset"], r["deletedRegion"]["charLength"]
    fixed = TEXT[:start] + r["insertedContent"]["text"] + TEXT[start + length :]
    assert fixed == "FROM golang:1.22\nENV GOSUMDB=off\nRUN go build -o /app .\n"


def test_sarif_pseudo_rule_for_waiver_findings() -> None:
    f = Finding("GC001", "waiver-without-reason", "info", 1, 1, 1, 10, "m", False)
    log = json.loads(render_sarif([FileResult("D", "", "", (f,))], [RULE]))
    assert jsonschema.Draft4Validator(SCHEMA).is_valid(log)
    run = log["runs"][0]
    assert run["tool"]["driver"]["rules"][1]["id"] == "GC001"
    assert run["results"][0]["ruleIndex"] == 1 and run["results"][0]["level"] == "note"
    assert run["invocations"][0]["executionSuccessful"] is True


def test_artifact_locations() -> None:
    assert artifact_location("./a b/Dockerfile") == {
        "uri": "a%20b/Dockerfile",
        "uriBaseId": "%SRCROOT%",
    }
    assert artifact_location("/abs/Dockerfile") == {"uri": "file:///abs/Dockerfile"}


def test_diff_keeps_crlf_and_applies(tmp_path: Path) -> None:
    old = "FROM golang:1.22\r\nENV GOPROXY=direct\r\nRUN go build\r\n"
    new = "FROM golang:1.22\r\nRUN go build\r\n"
    d = unified_diff("svc/Dockerfile", old, new)
    assert d == (
        "--- a/svc/Dockerfile\n"
        "+++ b/svc/Dockerfile\n"
        "@@ -1,3 +1,2 @@\n"
        " FROM golang:1.22\r\n"
        "-ENV GOPROXY=direct\r\n"
        " RUN go build\r\n"
    )
    _git_apply(tmp_path, "svc/Dockerfile", old, new, d)


def test_diff_without_final_newline(tmp_path: Path) -> None:
    old = "FROM golang:1.22\nENV GOPROXY=direct"
    new = "FROM golang:1.22\nENV GOPROXY=https://proxy.corp.example"
    d = unified_diff("Dockerfile", old, new)
    assert d.endswith(
        "-ENV GOPROXY=direct\n\\ No newline at end of file\n"
        "+ENV GOPROXY=https://proxy.corp.example\n\\ No newline at end of file\n"
    )
    _git_apply(tmp_path, "Dockerfile", old, new, d)
    assert unified_diff("Dockerfile", old, old) == ""


def _git_apply(tmp: Path, name: str, old: str, new: str, diff: str) -> None:
    target = tmp / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(old.encode())
    (tmp / "p.diff").write_bytes(diff.encode())
    subprocess.run(["git", "apply", "p.diff"], cwd=tmp, check=True, capture_output=True)
    assert target.read_bytes() == new.encode()
