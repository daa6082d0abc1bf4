"""The vocabulary of problems: what a rule reports (`Violation`, with an optional `Fix`) and
what the engine reports (`Finding`).

This module imports nothing of gocomply but `rewriters.edits`, so every other module — the
registry, the edit helpers, the engine, the pragmas and the bot — can depend on it without an
import cycle.

Invariants of `Finding`:
- Lines and columns (1-based) and ``start``/``end`` (offsets) describe the original text of
  the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from rewriters.edits import Edit, Span

Severity = Literal["error", "warning", "info"]
Applicability = Literal["safe", "unsafe", "none"]
SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")


def severity_rank(severity: Severity) -> int:
    return SEVERITIES.index(severity)


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
    """One reported problem in a file, located in the original text."""

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

    @property
    def suggestion(self) -> bool:
        """A fix exists but was not applied (unsafe without opt-in, or refused)."""
        return self.fix is not None and not self.fix_applied
