"""The vocabulary of problems: what a rule reports (`Violation`, with an optional `Fix`) and
what the engine reports (`Finding`).

This module imports nothing of gocomply but `rewriters.edits`, so every other module — the
registry, the edit helpers, the engine, the pragmas and the bot — can depend on it without an
import cycle.

Invariants of `Finding`:
- It is the one type a problem has from the engine to every output (CLI text/JSON/SARIF, the
  scan result, the proposal, the PR body and commit messages); nothing rebuilds it from a
  look-alike.
- Lines and columns (1-based) and ``start``/``end`` (offsets) describe the original text of
  the file.
- `Finding.to_dict` / `Finding.from_dict` are the persisted form (the store, the sweep JSON).
  That form keeps what the bot reads after a scan and drops the fix's edits, the end column
  and the offsets (the file's texts before and after the fixes are persisted next to it):
  ``Finding.from_dict(f.to_dict()) == f.persisted()``, and ``to_dict`` of a finding read back
  is the dict it was read from.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from rewriters.edits import Edit, Span

Severity = Literal["error", "warning", "info"]
Applicability = Literal["safe", "unsafe", "none"]
SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")
_WS = re.compile(r"\s+")


def severity_rank(severity: Severity) -> int:
    return SEVERITIES.index(severity)


def fingerprint(code: str, path: str, snippet: str) -> str:
    """Stable id of one finding: ``CODE:path:hash`` over the rule, the path and the flagged text
    with whitespace normalised, so it survives unrelated edits elsewhere in the file (line
    moves) but changes when the flagged text itself changes."""
    norm = _WS.sub(" ", snippet).strip()
    digest = hashlib.sha256(f"{code}\0{path}\0{norm}".encode()).hexdigest()[:12]
    return f"{code}:{path}:{digest}"


@dataclass(frozen=True)
class Fix:
    """Edits that resolve one violation, with a one-line description for tables and diffs."""

    edits: tuple[Edit, ...]
    description: str
    applicability: Applicability = "safe"


class Unfixable(Exception):
    """A fix cannot be built safely here; ``reason`` tells the user why (one sentence, no
    trailing period). Raised by edit helpers and rule code inside a fix builder; the engine
    turns it into a finding without a fix whose note is the reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


FixBuilder = Callable[[], "Fix | None"]


@dataclass(frozen=True)
class Violation:
    """What a rule reports: where, what goes wrong (one sentence), and optionally a fix.

    Instead of ``fix``, a rule may pass ``build``: a function of no arguments that returns the
    fix (or None) and raises `Unfixable` when the edit cannot be proven safe. The engine calls
    it once (`resolved`) and reports the reason as the note, so every refusal is worded by
    the helper that refused.

    ``note`` explains why no fix is offered when a fix exists for other files (the reason a
    fix degraded to a report), so users see why this file was left alone.
    """

    span: Span
    message: str
    fix: Fix | None = None
    note: str | None = None
    build: FixBuilder | None = field(default=None, compare=False, repr=False)

    def resolved(self) -> Violation:
        """This violation with its fix built (`Unfixable` becomes the note)."""
        if self.build is None:
            return self
        try:
            built = self.build()
        except Unfixable as exc:
            return Violation(self.span, self.message, None, self.note or exc.reason)
        return Violation(self.span, self.message, built, self.note)


@dataclass(frozen=True)
class Finding:
    """One reported problem in a file, located in the original text.

    ``fingerprint`` identifies the finding across runs (see `fingerprint`); the engine sets it
    from the file's path and the flagged text.
    """

    code: str
    name: str
    severity: Severity
    line: int
    end_line: int
    column: int
    end_column: int
    message: str
    fixable: bool
    fix_applied: bool = False
    fix: Fix | None = None
    note: str | None = None
    start: int = 0
    end: int = 0
    fingerprint: str = ""

    @property
    def suggestion(self) -> bool:
        """A fix exists but was not applied (unsafe without opt-in, or refused)."""
        return self.fix is not None and not self.fix_applied

    @property
    def applicability(self) -> Applicability | None:
        """The fix's applicability, None without a fix."""
        return None if self.fix is None else self.fix.applicability

    def persisted(self) -> Finding:
        """This finding as the store gives it back: no edits, no offsets, no end column."""
        fix = None if self.fix is None else replace(self.fix, edits=())
        return replace(self, end_column=self.column, fix=fix, start=0, end=0)

    def to_dict(self) -> dict[str, Any]:
        """The persisted form (keys and order are part of the sweep's JSON output)."""
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "line": self.line,
            "end_line": self.end_line,
            "column": self.column,
            "message": self.message,
            "fixable": self.fixable,
            "fix_applied": self.fix_applied,
            "fix": None if self.fix is None else self.fix.description,
            "applicability": self.applicability,
            "note": self.note,
            "fingerprint": self.fingerprint,
        }

    @staticmethod
    def from_dict(d: Mapping[str, Any]) -> Finding:
        """A finding from `to_dict`'s form (also rows stored before ``end_line`` existed)."""
        fix = None
        if d.get("fix") is not None:
            fix = Fix((), str(d["fix"]), d.get("applicability") or "safe")
        line = int(d["line"])
        column = int(d["column"])
        return Finding(
            code=d["code"],
            name=d["name"],
            severity=d["severity"],
            line=line,
            end_line=int(d.get("end_line", line)),
            column=column,
            end_column=column,
            message=d["message"],
            fixable=bool(d.get("fixable", fix is not None)),
            fix_applied=bool(d.get("fix_applied")),
            fix=fix,
            note=d.get("note"),
            fingerprint=d.get("fingerprint", ""),
        )
