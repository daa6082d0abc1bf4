"""Inline waivers.

- ``# gocomply:ignore GC105 reason="uses the vendored toolchain"`` on the comment line(s)
  directly above an instruction suppresses those rules (codes or names, comma or space
  separated, or ``all``) for every line of that instruction.
- ``# gocomply:ignore-file GC102 reason="…"`` in the comments before the first instruction
  suppresses them for the whole file.
- ``until=YYYY-MM-DD`` makes a waiver expire: from that day on the finding returns, with a note
  saying the waiver expired. Without a known date (``today`` None) waivers never expire.
- A waiver without ``reason="…"`` still works, but is itself reported (rule ``GC001``), and
  a waiver naming no rule it can silence or with a bad date is reported (rule ``GC002``), so
  waivers stay reviewable. Those rules (family ``GC0``) are never silenced by a waiver — an
  ``ignore-file all`` without a reason would otherwise hide its own finding; configuration
  (``rules: {GC001: off}``) turns them off.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from rewriters.document import Comment, Document, Instruction
from rewriters.registry import WAIVER_FAMILY, Rule, family_of

_PRAGMA_RE = re.compile(r"#\s*gocomply:(ignore-file|ignore)\b(.*)$")


@dataclass(frozen=True)
class Waiver:
    keys: tuple[str, ...]
    reason: str | None
    until: date | None
    first_line: int  # lines the waiver covers (1-based, inclusive)
    last_line: int
    pragma_line: int
    pragma_start: int
    pragma_end: int
    bad_until: str | None = None

    def covers(self, r: Rule) -> bool:
        if family_of(r.code) == WAIVER_FAMILY:
            return False
        return any(k == "all" or _names(k, r) for k in self.keys)

    def unknown_keys(self, rules: Iterable[Rule]) -> tuple[str, ...]:
        """The keys that name no rule this waiver can silence (in the order written)."""
        waivable = [r for r in rules if family_of(r.code) != WAIVER_FAMILY]
        return tuple(k for k in self.keys if k != "all" and not any(_names(k, r) for r in waivable))

    def expired(self, today: date | None) -> bool:
        return self.until is not None and today is not None and today > self.until


@dataclass(frozen=True)
class Waivers:
    waivers: tuple[Waiver, ...]
    today: date | None

    @staticmethod
    def parse(doc: Document, today: date | None) -> Waivers:
        found: list[Waiver] = []
        pending: list[tuple[int, int, int, str, str]] = []  # line, start, end, kind, args
        seen_instruction = False
        last_line = doc.line_of(len(doc.text)) if doc.text else 1
        for node in doc.nodes:
            if isinstance(node, Comment):
                line_text = node.span.slice(doc.text).strip()
                m = _PRAGMA_RE.search(line_text)
                if m is None:
                    continue
                line = doc.line_of(node.span.start)
                kind, args = m.group(1), m.group(2)
                if kind == "ignore-file":
                    if not seen_instruction:
                        found.append(
                            _waiver(args, 1, last_line, line, node.span.start, node.span.end)
                        )
                    continue
                pending.append((line, node.span.start, node.span.end, kind, args))
                continue
            if isinstance(node, Instruction):
                seen_instruction = True
                for line, start, end, _kind, args in pending:
                    found.append(_waiver(args, node.start_line, node.end_line, line, start, end))
            pending = []  # a blank line or an instruction ends "directly above"
        return Waivers(tuple(found), today)

    def waiver_for(self, r: Rule, line: int) -> Waiver | None:
        for w in self.waivers:
            if w.first_line <= line <= w.last_line and w.covers(r):
                return w
        return None

    def suppresses(self, r: Rule, line: int) -> bool:
        w = self.waiver_for(r, line)
        return w is not None and not w.expired(self.today)

    def expired_note(self, r: Rule, line: int) -> str | None:
        w = self.waiver_for(r, line)
        if w is not None and w.expired(self.today) and w.until is not None:
            return f"the waiver on line {w.pragma_line} expired on {w.until.isoformat()}"
        return None


def _names(key: str, r: Rule) -> bool:
    return key.upper() == r.code or key.lower() == r.name


def _waiver(args: str, first: int, last: int, line: int, start: int, end: int) -> Waiver:
    try:
        tokens = shlex.split(args)
    except ValueError:
        tokens = args.split()
    keys: list[str] = []
    reason: str | None = None
    until: date | None = None
    bad_until: str | None = None
    for tok in tokens:
        if tok.startswith("reason="):
            reason = tok[len("reason=") :].strip() or None
        elif tok.startswith("until="):
            raw = tok[len("until=") :]
            try:
                until = date.fromisoformat(raw)
            except ValueError:
                bad_until = raw
        else:
            keys.extend(k for k in tok.split(",") if k)
    return Waiver(tuple(keys), reason, until, first, last, line, start, end, bad_until)
