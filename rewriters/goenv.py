"""Where a Dockerfile sets a Go environment variable, in every form Docker and the shell allow.

`find_settings` returns one `Setting` per place that gives a variable a value:

- ``ENV K=V`` (and legacy ``ENV K V``, multi-pair and continued ENV), ``ARG K=V`` defaults
  (an ARG is an environment variable of later RUNs in its stage);
- in RUN bodies (shell form, heredoc scripts, ``["sh","-c",…]`` and direct exec form, also
  under ONBUILD): ``export K=V``, ``K=V cmd``, ``env K=V cmd``, ``go env -w K=V`` (written to
  the go env file, so it applies to every later go command like an ENV) and make variables
  (``make build K=V``) when the target is run by make.

Values are interpreted (quotes removed) and expanded with the stage's scope when they refer to
ARG/ENV values (``ENV GOPROXY=$PROXY`` with ``ARG PROXY=direct`` → ``direct``, ``via`` = the
variable). Each setting carries the edits that would remove it cleanly, or None when no clean
removal exists (the rule then reports without editing).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from rewriters.document import Document, Instruction, KeyValue
from rewriters.edits import Edit, Span
from rewriters.fixes import quote_like, remove_element, remove_instruction
from rewriters.model import Model, Stage
from rewriters.shell import (
    Export,
    ShellScript,
    ShellWord,
    SimpleCommand,
    removal_span,
    scripts_for_run,
)

SettingKind = Literal["env", "arg", "export", "inline", "go-env-w", "make"]


@dataclass(frozen=True)
class Setting:
    name: str
    value: str | None  # interpreted and expanded; None when unknown
    raw_value: str  # the value as written (quotes kept)
    span: Span  # NAME=value (for ENV legacy form: NAME value)
    value_span: Span | None  # the value as written, None when there is no value text
    kind: SettingKind
    instruction: Instruction  # the instruction as it stands in the file (ONBUILD included)
    stage: Stage | None
    via: str | None  # variable the value was expanded from, if any
    removal: tuple[Edit, ...] | None
    json: bool = False  # the value sits inside a JSON string (exec form)
    script_has_errors: bool = False

    def replace_value(self, new_value: str) -> Edit | None:
        """Edit writing ``new_value`` in place of the value, keeping its quoting."""
        if self.value_span is None or self.via is not None or self.script_has_errors:
            return None
        spaced = any(c in new_value for c in " \t")
        if self.json:
            if spaced or any(c in new_value for c in '"\\'):
                return None
            return Edit(self.value_span, new_value)
        written = quote_like(self.raw_value, new_value)
        if spaced and written == new_value:
            written = f'"{new_value}"'
        return Edit(self.value_span, written)


def _pair_setting(
    doc: Document,
    model: Model,
    outer: Instruction,
    ins: Instruction,
    pair: KeyValue,
    index: int,
    kind: SettingKind,
) -> Setting:
    scope = model.scope_before(ins)
    value: str | None = None
    via: str | None = None
    raw = ""
    vspan: Span | None = None
    if pair.value is not None:
        raw = pair.value.text
        vspan = pair.value.span
        wv = scope.expand(pair.value.text, ins.escape)
        value = None if wv.unresolved else wv.value
        if wv.refs:
            via = wv.refs[0]
    if len(ins.pairs) == 1:
        removal: tuple[Edit, ...] | None = (remove_instruction(doc, outer),)
    else:
        edits = remove_element(doc, ins, [p.span for p in ins.pairs], index)
        removal = None if edits is None else tuple(edits)
    return Setting(
        pair.key.value,
        value,
        raw,
        pair.span,
        vspan,
        kind,
        outer,
        model.stage_of(outer),
        via,
        removal,
    )


def _word_value(word: ShellWord, model: Model, ins: Instruction) -> tuple[str | None, str | None]:
    """Value of a shell word, expanding a plain ``$VAR``/``${VAR}`` through the stage scope."""
    if word.value is not None:
        return word.value, None
    if len(word.expansions) == 1:
        name = word.expansions[0]
        if word.text in (f"${name}", f"${{{name}}}", f'"${name}"', f'"${{{name}}}"'):
            b = model.scope_before(ins).binding(name)
            return (b.value if b is not None else None), name
    return None, (word.expansions[0] if word.expansions else None)


def _command_removal(
    doc: Document, outer: Instruction, script: ShellScript, item: SimpleCommand | Export
) -> tuple[Edit, ...] | None:
    """Remove a command from its list, or the whole RUN when it is the only command."""
    span = removal_span(script, item, doc.text)
    if span is not None:
        return (Edit(span, ""),)
    alone = len(script.commands) + len({e.command_span for e in script.exports}) == 1
    if alone and not outer.effective.heredocs and not outer.effective.json:
        return (remove_instruction(doc, outer),)
    return None


def _shell_settings(
    doc: Document, model: Model, outer: Instruction, names: frozenset[str]
) -> Iterator[Setting]:
    ins = outer.effective
    stage = model.stage_of(outer)
    for script in scripts_for_run(ins, doc.text):
        errors = script.has_errors
        for exp in script.exports:
            a = exp.assignment
            if a.name not in names:
                continue
            raw = a.value.text if a.value else ""
            value, via = _word_value(a.value, model, outer) if a.value else ("", None)
            siblings = [e for e in script.exports if e.command_span == exp.command_span]
            removal: tuple[Edit, ...] | None = None
            if not errors:
                if len(siblings) == 1:
                    removal = _command_removal(doc, outer, script, exp)
                else:
                    idx = siblings.index(exp)
                    edits = remove_element(doc, outer, [e.assignment.span for e in siblings], idx)
                    removal = None if edits is None else tuple(edits)
            yield Setting(
                a.name,
                value,
                raw,
                a.span,
                a.value.span if a.value else None,
                "export",
                outer,
                stage,
                via,
                removal,
                script_has_errors=errors,
            )
        for cmd in script.commands:
            yield from _command_settings(doc, model, outer, script, cmd, names, stage)


def _command_settings(
    doc: Document,
    model: Model,
    outer: Instruction,
    script: ShellScript,
    cmd: SimpleCommand,
    names: frozenset[str],
    stage: Stage | None,
) -> Iterator[Setting]:
    errors = script.has_errors
    is_json = outer.effective.json and not script.source.segments
    items = [a.span for a in cmd.assignments] + [w.span for w in cmd.words]
    value: str | None
    via: str | None
    removal: tuple[Edit, ...] | None
    for i, a in enumerate(cmd.assignments):
        if a.name not in names:
            continue
        value, via = _word_value(a.value, model, outer) if a.value else ("", None)
        removal = None
        if not errors:
            edits = remove_element(doc, outer, items, i)
            removal = None if edits is None else tuple(edits)
        yield Setting(
            a.name,
            value,
            a.value.text if a.value else "",
            a.span,
            a.value.span if a.value else None,
            "inline",
            outer,
            stage,
            via,
            removal,
            script_has_errors=errors,
        )
    argv = cmd.argv_values
    name = cmd.name
    kv_from = -1
    kind: SettingKind = "make"
    if name is not None and name.rsplit("/", 1)[-1] == "go" and argv[1:3] == ("env", "-w"):
        kv_from, kind = 3, "go-env-w"
    elif name is not None and name.rsplit("/", 1)[-1] in ("make", "gmake"):
        kv_from, kind = 1, "make"
    if kv_from < 0:
        return
    kv_words = [
        (j, w) for j, w in enumerate(cmd.words) if j >= kv_from and "=" in (w.value or w.text)
    ]
    for j, w in kv_words:
        text = w.value if w.value is not None else w.text
        key, _, val_text = text.partition("=")
        if key not in names:
            continue
        value, via = val_text, None
        if w.value is None:
            value, via = None, (w.expansions[0] if w.expansions else None)
        removal = None
        if not errors and not outer.effective.json:
            if kind == "go-env-w" and len(kv_words) == 1:
                removal = _command_removal(doc, outer, script, cmd)
            else:
                edits = remove_element(doc, outer, items, len(cmd.assignments) + j)
                removal = None if edits is None else tuple(edits)
        eq = w.text.find("=")
        vspan = Span(w.span.start + eq + 1, w.span.end) if eq >= 0 and w.value == w.text else None
        yield Setting(
            key,
            value,
            val_text,
            w.span,
            vspan,
            kind,
            outer,
            stage,
            via,
            removal,
            json=is_json,
            script_has_errors=errors,
        )


def find_settings(doc: Document, model: Model, names: frozenset[str]) -> list[Setting]:
    """Every place ``doc`` sets one of ``names``, in file order."""
    out: list[Setting] = []
    for outer in doc.instructions:
        ins = outer.effective
        if ins.name in ("ENV", "ARG"):
            kind: SettingKind = "env" if ins.name == "ENV" else "arg"
            for i, pair in enumerate(ins.pairs):
                if pair.key.value in names:
                    out.append(_pair_setting(doc, model, outer, ins, pair, i, kind))
        elif ins.name == "RUN":
            out.extend(_shell_settings(doc, model, outer, names))
    return out
