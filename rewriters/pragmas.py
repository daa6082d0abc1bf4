"""Inline waivers.

- ``# gocomply:ignore GC105 reason="uses the vendored toolchain"`` on the comment line(s)
  directly above an instruction suppresses those rules (codes or names, comma or space
  separated, or ``all``) for every line of that instruction.
- ``# gocomply:ignore-file GC102 reason="…"`` in the comments before the first instruction
  suppresses them for the whole file.
- ``until=YYYY-MM-DD`` makes a waiver expire: from that day on the finding returns, with a note
  saying the waiver expired. Without a known date (``today`` None) waivers never expire.
- A waiver without ``reason="…"`` still works, but is itself reported (``GC001``, info), and
  a waiver naming an unknown rule is reported (``GC002``, info), so waivers stay reviewable.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from datetime import date

from rewriters.document import Comment, Document, Instruction
from rewriters.findings import Finding
from rewriters.registry import Rule, all_rules

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
        return any(k == "all" or k.upper() == r.code or k.lower() == r.name for k in self.keys)

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


def pragma_findings(doc: Document, waivers: Waivers) -> list[Finding]:
    """Info findings about the waivers themselves (missing reason, unknown rule, bad date)."""
    known = all_rules()
    out: list[Finding] = []
    for w in waivers.waivers:
        problems: list[tuple[str, str, str]] = []
        if w.reason is None:
            problems.append(
                (
                    "GC001",
                    "waiver-without-reason",
                    'this waiver has no reason; add reason="…" so reviewers know why',
                )
            )
        unknown = [
            k
            for k in w.keys
            if k != "all" and not any(k.upper() == r.code or k.lower() == r.name for r in known)
        ]
        if unknown or not w.keys:
            what = ", ".join(unknown) if unknown else "no rule"
            problems.append(
                (
                    "GC002",
                    "unknown-rule-in-waiver",
                    f"this waiver names {what}; use rule codes (GC105) or names (goproxy-bypass)",
                )
            )
        if w.bad_until is not None:
            problems.append(
                (
                    "GC002",
                    "unknown-rule-in-waiver",
                    f"until={w.bad_until} is not a date (YYYY-MM-DD); the waiver never expires",
                )
            )
        for code, name, msg in problems:
            out.append(
                Finding(
                    code=code,
                    name=name,
                    severity="info",
                    line=w.pragma_line,
                    end_line=w.pragma_line,
                    column=1,
                    end_column=w.pragma_end - w.pragma_start + 1,
                    message=msg,
                    fixable=False,
                    start=w.pragma_start,
                    end=w.pragma_end,
                )
            )
    return out
