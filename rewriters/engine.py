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
- An edit may name another file (`Edit.path`, e.g. the context's ``.dockerignore``): its
  current state must be known from the `BuildContext`, the edits must apply to it, and the
  result must pass `verify_side` (a ``.dockerignore`` parses and keeps go.mod, go.sum,
  vendor/modules.txt and the Dockerfile in the context), or the rule's edits are all dropped
  the same way. Later passes and rules see the side files as the fixes left them; the changes
  come back in ``FileResult.side_files``.
- Only fixes with applicability ``safe`` are applied, plus ``unsafe`` ones for codes the options
  opt into; ``none`` is never applied.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import dockerfile

from rewriters.context import BuildContext, RuleContext
from rewriters.dockerignore import verify_dockerignore
from rewriters.document import Document, Instruction
from rewriters.edits import (
    Edit,
    OverlappingEditsError,
    SideFile,
    apply_edits,
    by_path,
    check_overlaps,
)
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
    side_files: tuple[SideFile, ...] = ()  # other files the verified fixes change (.dockerignore)

    @property
    def changed(self) -> bool:
        """The fixes change the Dockerfile or another file."""
        return self.new_text != self.text or bool(self.side_files)


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


def _fix_rule(
    current: Document, first: _Run, r: Rule, ctx: RuleContext, sides: Mapping[str, str]
) -> tuple[Document, dict[str, str]] | str | None:
    """Apply ``r``'s fixes to ``current`` (and to the side files, whose texts so far are
    ``sides``) pass by pass: the fixed document and side texts, None when there is nothing to
    do, or the reason the fix had to be dropped."""
    doc = current
    state = dict(sides)
    for _ in range(MAX_FIX_PASSES):
        pctx = _with_sides(ctx, state)
        run = first if doc is first.doc and not state else _Run(doc, [r], pctx)
        edits = _fix_edits(run.by_rule[r.code], r, ctx.options)
        if not edits:
            return None if doc is current and state == sides else (doc, state)
        groups = by_path(
            replace(e, path=None) if e.path is not None and _same(e.path, ctx.path) else e
            for e in edits
        )
        main = groups.pop(None, [])
        candidate = doc
        if main:
            try:
                candidate = Document.parse(apply_edits(doc.text, main))
            except OverlappingEditsError as exc:  # pragma: no cover - _fix_edits prevents it
                return f"its edits overlap ({exc})"
            reason = _verify(doc, candidate, main)
            if reason is not None:
                return reason
        for side_path, side_edits in groups.items():
            assert side_path is not None
            outcome = _fix_side(side_path, side_edits, pctx)
            if outcome[1] is not None:
                return outcome[1]
            state[posixpath.normpath(side_path)] = outcome[0]
        doc = candidate
    return "a further pass would change the file again (the fix does not converge)"


def _same(a: str, b: str) -> bool:
    return posixpath.normpath(a) == posixpath.normpath(b)


def _with_sides(ctx: RuleContext, sides: Mapping[str, str]) -> RuleContext:
    """``ctx`` as the side files are after the fixes so far (rules then see what they wrote)."""
    if not sides:
        return ctx
    bc = ctx.build_context
    for path, text in sides.items():
        bc = bc.with_side_file(path, text)
    return replace(ctx, build_context=bc)


def _fix_side(path: str, edits: Sequence[Edit], ctx: RuleContext) -> tuple[str, str | None]:
    """(new text, None) for edits to a file other than the Dockerfile, or ("", why not).

    The file's current state must be known; a creating edit needs it absent, any other edit
    needs its text; the result must pass that kind of file's own check (`verify_side`).
    """
    exists, text = ctx.build_context.side_file(path)
    creating = any(e.create for e in edits)
    if exists is None:
        return "", f"{path}: whether it exists is unknown, so the change cannot be checked"
    if creating and exists:
        return "", f"{path} already exists; the fix meant to create it"
    if not creating and not exists:
        return "", f"{path} does not exist; the fix meant to edit it"
    if not creating and text is None:
        return "", f"{path} could not be read, so the change cannot be checked"
    try:
        new = apply_edits("" if creating else (text or ""), edits)
    except ValueError as exc:
        return "", f"its edits to {path} do not apply ({exc})"
    reason = verify_side(path, new, ctx)
    return (new, None) if reason is None else ("", reason)


def verify_side(path: str, text: str, ctx: RuleContext) -> str | None:
    """Why the new ``text`` of a side file cannot be kept, or None.

    A ``.dockerignore`` must parse as Docker reads it and must keep in the build context what
    the Go build needs: ``go.mod``, ``go.sum``, ``vendor/modules.txt`` and the Dockerfile.
    """
    bc = ctx.build_context
    if posixpath.basename(path) != ".dockerignore":
        return f"{path}: gocomply cannot check changes to this kind of file"
    dockerfile = bc.inside(ctx.path)
    return verify_dockerignore(text, () if dockerfile is None else (dockerfile,))


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
    sides: dict[str, str] = {}
    side_steps: dict[str, list[tuple[str, str]]] = {}
    if fix:
        for r in active:
            outcome = _fix_rule(current, first, r, ctx, sides)
            if isinstance(outcome, tuple):
                current, new_sides = outcome
                applied.append(r.code)
                steps.append((r.code, current.text))
                for p, t in new_sides.items():
                    if sides.get(p) != t:
                        side_steps.setdefault(p, []).append((r.code, t))
                sides = new_sides
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
        side_files=_side_files(ctx.build_context, sides, side_steps),
    )


def _side_files(
    bc: BuildContext, sides: Mapping[str, str], steps: Mapping[str, Sequence[tuple[str, str]]]
) -> tuple[SideFile, ...]:
    out = []
    for path in sorted(sides):
        exists, before = bc.side_file(path)
        if before != sides[path]:
            out.append(SideFile(path, before if exists else None, sides[path], tuple(steps[path])))
    return tuple(out)


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
