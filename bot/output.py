"""Rendering results as text, JSON, SARIF 2.1.0 and unified diffs. Pure: strings in, strings out.

Invariants:
- Output is a function of the results passed in, in the order given: no clock, no cwd, no env.
- Findings with ``fix_applied`` are "fixed"; every other finding "remains". Text and SARIF show
  what remains; JSON shows every finding with its ``fix_applied`` flag.
- The JSON keys required by the issue (``version``, ``files[].path/findings/error``, and per
  finding ``code, name, severity, line, end_line, column, message, fixable, fix_applied``) are
  never renamed; new keys may be added.
- SARIF locations use 1-based lines and columns counted in Unicode code points
  (``columnKind: unicodeCodePoints``); fix replacements use ``charOffset``/``charLength`` in the
  same units over the text the findings describe.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote

from rewriters.engine import FileResult
from rewriters.findings import Finding
from rewriters.registry import SEVERITIES, Rule, Severity, severity_rank

FailOn = Literal["error", "warning", "info", "never"]
TOOL_NAME = "gocomply"
# Where users read about gocomply; the project's public home once it has one.
INFORMATION_URI = "https://github.com/gocomply/gocomply"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def tool_version() -> str:
    from importlib import metadata  # ≈20 ms; only the reports that name the version pay it

    try:
        return metadata.version("gocomply")
    except metadata.PackageNotFoundError:
        return "0.1.0"


def remaining(result: FileResult) -> tuple[Finding, ...]:
    return tuple(f for f in result.findings if not f.fix_applied)


def at_or_above(severity: Severity, fail_on: FailOn) -> bool:
    if fail_on == "never":
        return False
    return severity_rank(severity) >= severity_rank(fail_on)


@dataclass(frozen=True)
class Summary:
    files: int
    checked: int
    skipped: int
    failed: int
    findings: int
    by_severity: dict[str, int] = field(compare=False)
    fixable: int
    fixed: int
    failing: int
    fail_on: FailOn
    skipped_reasons: tuple[tuple[str, int], ...] = ()

    @property
    def exit_code(self) -> int:
        """0 clean, 1 findings at or above ``fail_on``, 2 a file could not be checked."""
        if self.failed:
            return 2
        return 1 if self.failing else 0

    def as_json(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "checked": self.checked,
            "skipped": self.skipped,
            "errors": self.failed,
            "findings": self.findings,
            "by_severity": {s: self.by_severity.get(s, 0) for s in reversed(SEVERITIES)},
            "fixable": self.fixable,
            "fixed": self.fixed,
            "fail_on": self.fail_on,
            "failing": self.failing,
            "exit_code": self.exit_code,
        }


def summarize(
    results: Sequence[FileResult], *, fail_on: FailOn = "warning", fixed: int | None = None
) -> Summary:
    """Counts over ``results``; ``fixed`` overrides the count of applied fixes when the
    results shown are a re-analysis of the fixed files."""
    left = [f for r in results for f in remaining(r)]
    by_sev = Counter(f.severity for f in left)
    reasons = Counter(r.skipped for r in results if r.skipped is not None and r.error is None)
    return Summary(
        files=len(results),
        checked=sum(1 for r in results if r.error is None and r.skipped is None),
        skipped=sum(reasons.values()),
        failed=sum(1 for r in results if r.error is not None),
        findings=len(left),
        by_severity={str(k): v for k, v in by_sev.items()},
        fixable=sum(1 for f in left if f.fixable),
        fixed=(
            sum(1 for r in results for f in r.findings if f.fix_applied) if fixed is None else fixed
        ),
        failing=sum(1 for f in left if at_or_above(f.severity, fail_on)),
        fail_on=fail_on,
        skipped_reasons=tuple(sorted(reasons.items())),
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _severity_counts(s: Summary) -> str:
    parts = []
    for sev in reversed(SEVERITIES):
        n = s.by_severity.get(sev, 0)
        if n:
            parts.append(f"{n} {sev}" if sev == "info" else _plural(n, sev))
    return ", ".join(parts)


def summary_line(s: Summary, *, mode: Literal["check", "fix", "diff"] = "check") -> str:
    """One line saying what was found (and fixed), for the end of the text report."""
    head: list[str] = []
    if mode == "fix" and s.fixed:
        head.append(f"Fixed {_plural(s.fixed, 'finding')}.")
    elif mode == "diff" and s.fixed:
        head.append(f"Would fix {_plural(s.fixed, 'finding')}.")
    word = "remaining" if mode != "check" and s.fixed else ""
    checked = _plural(s.checked, "file")
    if s.findings:
        sev = _severity_counts(s)
        found = f"{_plural(s.findings, 'finding')}{' ' + word if word else ''} ({sev})"
        main = f"Found {found} in {checked}" if mode == "check" else f"{found} in {checked}"
    else:
        main = f"No findings{' ' + word if word else ''} in {checked}"
    extras: list[str] = []
    if s.fixable and mode == "check":
        extras.append(f"{s.fixable} fixable with `gocomply fix`")
    for reason, n in s.skipped_reasons:
        extras.append(f"{n} skipped ({reason})")
    if s.failed:
        extras.append(f"{s.failed} could not be checked")
    line = main + ("; " + ", ".join(extras) if extras else "") + "."
    return " ".join([*head, line])


def render_text(
    results: Sequence[FileResult],
    summary: Summary,
    *,
    mode: Literal["check", "fix", "diff"] = "check",
) -> str:
    """ruff/hadolint-style lines: ``path:line:col: CODE [severity] message`` + fix/note lines.

    Errors are not included (the CLI prints them to stderr, one line per file).
    """
    out: list[str] = []
    for r in results:
        if r.error is not None:
            continue
        if r.skipped is not None:
            out.append(f"{r.path}: skipped: {r.skipped}")
            continue
        for f in remaining(r):
            out.append(f"{r.path}:{f.line}:{f.column}: {f.code} [{f.severity}] {f.message}")
            if f.fixable and f.fix is not None:
                out.append(f"  fix: {f.fix.description} ({_applicability(f)})")
            if f.note:
                out.append(f"  note: {f.note}")
    out.append(summary_line(summary, mode=mode))
    return "\n".join(out) + "\n"


def _applicability(f: Finding) -> str:
    assert f.fix is not None
    if f.fix.applicability == "unsafe":
        return "unsafe: apply with `gocomply fix --unsafe`"
    return f.fix.applicability


def error_line(path: str, message: str) -> str:
    """The one line printed for a file that could not be checked."""
    return f"{path}: error: {message}"


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "code": f.code,
        "name": f.name,
        "severity": f.severity,
        "line": f.line,
        "end_line": f.end_line,
        "column": f.column,
        "end_column": f.end_column,
        "message": f.message,
        "fixable": f.fixable,
        "fix_applied": f.fix_applied,
        "fix": (
            None
            if f.fix is None
            else {"description": f.fix.description, "applicability": f.fix.applicability}
        ),
        "note": f.note,
    }


def render_json(results: Sequence[FileResult], summary: Summary) -> str:
    doc = {
        "version": 1,
        "tool": {"name": TOOL_NAME, "version": tool_version()},
        "files": [
            {
                "path": r.path,
                "findings": [finding_json(f) for f in r.findings],
                "error": r.error,
                "skipped": r.skipped,
                "applied": list(r.applied),
            }
            for r in results
        ],
        "summary": summary.as_json(),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def artifact_location(path: str) -> dict[str, Any]:
    """A SARIF artifactLocation: relative URIs against ``%SRCROOT%``, absolute as file URIs."""
    if path.startswith("/"):
        return {"uri": "file://" + quote(path, safe="/")}
    rel = path[2:] if path.startswith("./") else path
    return {"uri": quote(rel, safe="/"), "uriBaseId": SRCROOT}


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    doc = rule.doc
    plain = "\n\n".join(
        f"{title}\n\n{body.strip()}"
        for title, body in (
            ("What it does", doc.what),
            ("Why is this bad?", doc.why),
            ("Example", doc.example),
            ("Fix safety", doc.fix_safety),
        )
    )
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": doc.summary},
        "fullDescription": {"text": " ".join(doc.what.split())},
        "help": {"text": plain, "markdown": doc.markdown()},
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
        "properties": {"tags": [rule.family], "fix": rule.fix},
    }


def _pseudo_descriptor(f: Finding) -> dict[str, Any]:
    """A descriptor for codes outside the rule catalog (pragma findings such as GC001)."""
    return {
        "id": f.code,
        "name": f.name,
        "shortDescription": {"text": f.name.replace("-", " ").capitalize() + "."},
        "defaultConfiguration": {"level": _SARIF_LEVEL[f.severity]},
        "properties": {"tags": ["waiver"], "fix": "none"},
    }


def _region(f: Finding) -> dict[str, int]:
    return {
        "startLine": f.line,
        "startColumn": f.column,
        "endLine": f.end_line,
        "endColumn": max(f.end_column, 1),
    }


def _sarif_fix(path: str, f: Finding) -> dict[str, Any] | None:
    if f.fix is None or not f.fix.edits or f.fix_applied:
        return None
    desc = f.fix.description
    if f.fix.applicability != "safe":
        desc = f"{desc} ({f.fix.applicability})"
    return {
        "description": {"text": desc},
        "artifactChanges": [
            {
                "artifactLocation": artifact_location(path),
                "replacements": [
                    {
                        "deletedRegion": {
                            "charOffset": e.span.start,
                            "charLength": e.span.end - e.span.start,
                        },
                        "insertedContent": {"text": e.replacement},
                    }
                    for e in sorted(f.fix.edits, key=lambda e: (e.span.start, e.span.end))
                ],
            }
        ],
    }


def render_sarif(results: Sequence[FileResult], rules: Iterable[Rule]) -> str:
    """A SARIF 2.1.0 log with one run: the rule catalog, remaining findings and their fixes."""
    descriptors = [_rule_descriptor(r) for r in rules]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    sarif_results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for r in results:
        if r.error is not None:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": error_line(r.path, r.error)},
                    "locations": [
                        {"physicalLocation": {"artifactLocation": artifact_location(r.path)}}
                    ],
                }
            )
            continue
        for f in remaining(r):
            if f.code not in index:
                index[f.code] = len(descriptors)
                descriptors.append(_pseudo_descriptor(f))
            text = f.message if not f.note else f"{f.message} ({f.note})"
            res: dict[str, Any] = {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": _SARIF_LEVEL[f.severity],
                "message": {"text": text},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": artifact_location(r.path),
                            "region": _region(f),
                        }
                    }
                ],
            }
            fix = _sarif_fix(r.path, f)
            if fix is not None:
                res["fixes"] = [fix]
            sarif_results.append(res)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": tool_version(),
                        "informationUri": INFORMATION_URI,
                        "rules": descriptors,
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not notifications,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "columnKind": "unicodeCodePoints",
                "results": sarif_results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


_LINE_RE = re.compile(r"[^\n]*\n|[^\n]+")


def _lines(text: str) -> list[str]:
    """Lines split on LF only, each keeping its ending (so CRLF stays in the diff)."""
    return _LINE_RE.findall(text)


def unified_diff(path: str, old: str, new: str) -> str:
    """A ``git apply``-able unified diff of one file, ``a/path`` → ``b/path``."""
    import difflib  # only for diffs: not at import

    if old == new:
        return ""
    name = path.lstrip("/")
    if name.startswith("./"):
        name = name[2:]
    out: list[str] = []
    for line in difflib.unified_diff(
        _lines(old), _lines(new), fromfile=f"a/{name}", tofile=f"b/{name}"
    ):
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)
