"""Run rules over a document, apply the fixes that may be applied, and verify every fix.

Invariants:
- `analyze` never raises on text input: a file that BuildKit's parser rejects comes back with
  ``error`` set and no findings.
- Findings always describe the original text (lines and columns of the file as it was), and
  each carries its `rewriters.findings.fingerprint` over ``path`` and the flagged text.
- Fixes are applied one rule at a time, in code order, each on the text the previous one left.
  A rule's edits are kept only if the result passes `verify_fix`: our parser and BuildKit's
  both accept it, every instruction outside the edits is unchanged, the rule no longer offers a
  fix there, and a second pass changes nothing. Otherwise the rule's edits for this file are
  dropped, its findings stay, and ``refused`` records why.
- Only fixes with applicability ``safe`` are applied, plus ``unsafe`` ones for codes the options
  opt into; ``none`` is never applied.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

import dockerfile

from rewriters.context import BuildContext, RuleContext
from rewriters.document import Document, Instruction
from rewriters.edits import Edit, OverlappingEditsError, apply_edits, check_overlaps
from rewriters.findings import Finding, Fix, Severity, Violation, fingerprint
from rewriters.model import Model
from rewriters.options import Options
from rewriters.pragmas import Waivers
from rewriters.registry import Rule, all_rules
from rewriters.shell import scripts_for_run


@dataclass(frozen=True)
class FileResult:
    """Everything gocomply learned about one file."""

    path: str
    text: str
    new_text: str
    findings: tuple[Finding, ...]
    error: str | None = None
    skipped: str | None = None
    applied: tuple[str, ...] = ()
    refused: tuple[tuple[str, str], ...] = ()
    steps: tuple[tuple[str, str], ...] = ()  # (code, text after that rule's fixes), in order

    @property
    def changed(self) -> bool:
        return self.new_text != self.text


def buildkit_error(text: str) -> str | None:
    """BuildKit's own parser's complaint about ``text``, or None when it accepts it."""
    try:
        dockerfile.parse_string(text)
    except dockerfile.GoParseError as exc:
        return str(exc)
    except (UnicodeDecodeError, ValueError) as exc:  # the binding's own limits
        return f"not accepted by the BuildKit parser binding: {exc}"
    return None


def is_go_build(doc: Document, model: Model | None = None) -> bool:
    """Does this Dockerfile build or run Go? (a Go toolchain stage or a ``go`` command)."""
    stages = (model or Model.build(doc)).stages
    if any(stage.base_facts.go_toolchain for stage in stages):
        return True
    return any(ins.name == "RUN" and _mentions_go(ins, doc.text) for ins in doc.walk())


def _mentions_go(ins: Instruction, file_text: str) -> bool:
    for script in scripts_for_run(ins, file_text):
        for cmd in script.commands:
            name = cmd.name
            if name is not None and (name == "go" or name.endswith("/go")):
                return True
    return False


class _Run:
    """One analysis pass over a text with a set of rules."""

    def __init__(self, doc: Document, rules: Sequence[Rule], ctx: RuleContext) -> None:
        self.doc = doc
        self.ctx = ctx
        self.waivers = Waivers.parse(self.doc, ctx.today)
        self.by_rule: dict[str, list[Violation]] = {}
        self.failed: dict[str, str] = {}
        for r in rules:
            kept: list[Violation] = []
            try:
                for raw in r.check(self.doc, ctx):
                    v = raw.resolved()
                    line = self.doc.line_of(v.span.start)
                    if self.waivers.suppresses(r, line):
                        continue
                    expired = self.waivers.expired_note(r, line)
                    kept.append(v if expired is None else replace(v, note=expired))
            except Exception as exc:  # a bug in one rule must not hide the others' results
                self.failed[r.code] = f"internal error in the rule ({type(exc).__name__}: {exc})"
                kept = []
            self.by_rule[r.code] = kept


def _level(rule: Rule, options: Options) -> Severity | None:
    lvl = options.level(rule.code)
    if lvl == "off":
        return None
    return rule.severity if lvl is None else lvl


def _allowed(fix: Fix | None, rule: Rule, options: Options) -> bool:
    if fix is None or not fix.edits:
        return False
    if fix.applicability == "safe":
        return True
    return fix.applicability == "unsafe" and options.allows_unsafe(rule.code)


MAX_FIX_PASSES = 8


def _fix_edits(violations: Iterable[Violation], rule: Rule, options: Options) -> list[Edit]:
    """Edits of the applicable fixes that can go together in one pass.

    A fix is taken whole or not at all; a fix whose edits overlap an edit already taken waits
    for the next pass (on the text this pass produces), like ruff's fix loop. Identical edits
    shared by two findings are taken once.
    """
    chosen: list[Edit] = []
    for v in violations:
        if not _allowed(v.fix, rule, options):
            continue
        assert v.fix is not None
        new = [e for e in v.fix.edits if e not in chosen]
        try:
            check_overlaps([*chosen, *new])
        except OverlappingEditsError:
            continue
        chosen.extend(new)
    return chosen


def _shift(offset: int, edits: Sequence[Edit]) -> int:
    delta = 0
    for e in edits:
        if e.span.end <= offset:
            delta += len(e.replacement) - len(e.span)
    return offset + delta


def verify_step(before: str, after: str, edits: Sequence[Edit]) -> str | None:
    """Why the text produced by applying ``edits`` to ``before`` cannot be kept, or None.

    Both parsers must accept it, and every instruction the edits do not touch must still be
    there, unchanged, at its shifted position.
    """
    return _verify(Document.parse(before), Document.parse(after), edits)


def _verify(old: Document, new: Document, edits: Sequence[Edit]) -> str | None:
    """`verify_step` on documents already parsed (each pass parses its text once)."""
    if new.error is not None:
        return f"the fixed file does not parse ({new.error})"
    bk = buildkit_error(new.text)
    if bk is not None:
        return f"BuildKit's parser rejects the fixed file ({bk})"
    starts = {ins.span.start: ins for ins in new.instructions}
    for ins in old.instructions:
        if any(
            e.span.overlaps(ins.span) or ins.span.start < e.span.start < ins.span.end for e in edits
        ):
            continue
        moved = starts.get(_shift(ins.span.start, edits))
        if moved is None or _signature(moved) != _signature(ins):
            return f"the fix changed line {ins.start_line} ({ins.name}), outside its edits"
    if len(new.instructions) < len(old.instructions) - sum(
        1 for ins in old.instructions if any(e.span.contains(ins.span) for e in edits)
    ):
        return "the fix removed instructions it did not mean to"
    return None


def _fix_rule(current: Document, first: _Run, r: Rule, ctx: RuleContext) -> Document | str | None:
    """Apply ``r``'s fixes to ``current`` pass by pass: the fixed document, None when there is
    nothing to do, or the reason the fix had to be dropped."""
    doc = current
    for _ in range(MAX_FIX_PASSES):
        run = first if doc is first.doc else _Run(doc, [r], ctx)
        edits = _fix_edits(run.by_rule[r.code], r, ctx.options)
        if not edits:
            return None if doc is current else doc
        try:
            candidate = Document.parse(apply_edits(doc.text, edits))
        except OverlappingEditsError as exc:  # pragma: no cover - _fix_edits prevents it
            return f"its edits overlap ({exc})"
        reason = _verify(doc, candidate, edits)
        if reason is not None:
            return reason
        doc = candidate
    return "a further pass would change the file again (the fix does not converge)"


def _signature(ins: Instruction) -> tuple[object, ...]:
    return (
        ins.name,
        ins.node_values(),
        tuple(f.processed for f in ins.flags),
        ins.json,
        tuple((h.name, h.content) for h in ins.heredocs),
    )


def analyze(
    text: str,
    *,
    path: str = "Dockerfile",
    options: Options | None = None,
    build_context: BuildContext | None = None,
    rules: Sequence[Rule] | None = None,
    fix: bool = True,
    scope_all: bool = True,
    today: date | None = None,
) -> FileResult:
    """Check ``text`` and, when ``fix`` is set, compute the verified fixed text.

    ``scope_all=False`` skips files that build no Go (``skipped="no Go build"``). ``today``
    makes waivers with ``until=`` expire; without it they never do.
    """
    opts = options or Options()
    ctx = RuleContext(
        path=path,
        options=opts,
        build_context=build_context or BuildContext(),
        today=today,
    )
    doc = Document.parse(text)
    if doc.error is not None:
        return FileResult(path, text, text, (), error=f"parse error: {doc.error}")
    bk = buildkit_error(text)
    if bk is not None:
        return FileResult(path, text, text, (), error=f"parse error: {bk}")
    if not scope_all and not is_go_build(doc, ctx.model(doc)):
        return FileResult(path, text, text, (), skipped="no Go build")

    active = [r for r in (all_rules() if rules is None else rules) if _level(r, opts) is not None]
    first = _Run(doc, active, ctx)
    current = doc
    applied: list[str] = []
    refused: list[tuple[str, str]] = []
    steps: list[tuple[str, str]] = []
    if fix:
        for r in active:
            outcome = _fix_rule(current, first, r, ctx)
            if isinstance(outcome, Document):
                current = outcome
                applied.append(r.code)
                steps.append((r.code, current.text))
            elif outcome is not None:
                refused.append((r.code, outcome))

    refused.extend(first.failed.items())
    refused_codes = dict(refused)
    findings: list[Finding] = []
    for r in active:
        sev = _level(r, opts)
        assert sev is not None
        for v in first.by_rule[r.code]:
            allowed = _allowed(v.fix, r, opts)
            note = v.note
            if v.fix is not None and r.code in refused_codes:
                note = f"fix not applied: {refused_codes[r.code]}"
            elif v.fix is not None and not allowed and v.fix.applicability == "unsafe":
                note = note or f"unsafe fix not applied; allow it with unsafe_fixes: [{r.code}]"
            findings.append(_finding(first.doc, r, sev, v, allowed and r.code in applied, note))
    findings.sort(key=lambda f: (f.line, f.column, f.code))
    return FileResult(
        path,
        text,
        current.text,
        tuple(
            replace(f, fingerprint=fingerprint(f.code, path, text[f.start : f.end]))
            for f in findings
        ),
        applied=tuple(applied),
        refused=tuple(refused),
        steps=tuple(steps),
    )


def _finding(
    doc: Document, r: Rule, sev: Severity, v: Violation, applied: bool, note: str | None
) -> Finding:
    end = max(v.span.start, v.span.end - 1)
    return Finding(
        code=r.code,
        name=r.name,
        severity=sev,
        line=doc.line_of(v.span.start),
        end_line=doc.line_of(end),
        column=doc.column_of(v.span.start),
        end_column=doc.column_of(end) + (1 if v.span.end > v.span.start else 0),
        message=v.message,
        fixable=v.fix is not None and bool(v.fix.edits),
        fix_applied=applied,
        fix=v.fix,
        note=note,
        start=v.span.start,
        end=v.span.end,
    )
