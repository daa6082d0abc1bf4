"""GOROOT set by hand instead of letting the go command find its own root.

## What it does

Finds every place a Dockerfile sets `GOROOT`: `ENV GOROOT=…` (also the legacy `ENV GOROOT …`
form and multi-pair or continued `ENV`), `ARG GOROOT=…` defaults, and in `RUN` scripts
(heredoc bodies, `sh -c` exec form and `ONBUILD RUN` included) `export GOROOT=…`,
`GOROOT=… go …`, `env GOROOT=… go …`, `go env -w GOROOT=…` and make variables
(`make build GOROOT=…`). `GOROOT_BOOTSTRAP` and `GOROOT_FINAL` are different settings and are
not reported. An empty value (`ENV GOROOT=`) is not reported: go treats it as unset.

## Why is this bad?

Since Go 1.9 the go command finds GOROOT from the location of its own binary, so setting it by
hand is only ever needed for unusual layouts. A hand-set value does not follow the toolchain:
once the `go` being run is not the one installed at that path (a new base image, another Go
earlier in `PATH`), go compiles against the other toolchain's standard library and the build
fails with errors like `compile: version "go1.21.5" does not match go tool version "go1.22.1"`.
In official `golang` images Go lives in `/usr/local/go`, which go already finds by itself, so
for the go command `ENV GOROOT=/usr/local/go` there only adds that risk. `go env -w GOROOT=…`
writes the value to the go env file (`$HOME/.config/go/env`), where every later go command
reads it; a wrong value there makes every go command fail, `go env -u` included.

## Example

```dockerfile
FROM golang:1.22 AS build
ENV GOROOT=/usr/local/go
ENV PATH=$GOROOT/bin:$PATH
RUN $GOROOT/bin/go build -o /out/app .

FROM scratch
COPY --from=build /out/app /app
```

becomes (every path that used `$GOROOT` keeps its value):

```dockerfile
FROM golang:1.22 AS build
ENV PATH=/usr/local/go/bin:$PATH
RUN /usr/local/go/bin/go build -o /out/app .

FROM scratch
COPY --from=build /out/app /app
```

## Fix safety

The setting is removed, and every later `$GOROOT`/`${GOROOT}` that referred to it — in the same
stage and in stages built `FROM` it for `ENV`, in the same stage for `ARG`, later in the same
script for `export` — is replaced by the literal value, so `PATH`, `WORKDIR`, `COPY` paths and
commands such as `$GOROOT/bin/go` or `rm -rf ${GOROOT}` stay exactly as they were. The go
command then finds the same root from its own location.

The fix is **safe** when the setting only affects build steps. It is **unsafe** (applied only
with `unsafe_fixes: [GC102]`) for an `ENV` that ends up in an image someone may run — the last
stage, or a stage no other stage uses (a `--target`): programs in that image that call
`runtime.GOROOT()` read the variable — for a binary built with `-trimpath` it is the only
answer that call can give — and golangci-lint's own images set `GOROOT` for this reason
(golangci/golangci-lint#3107).

Reported without an edit when the value is not a literal path (`ENV GOROOT=$GO_HOME`); when a
later use cannot be rewritten literally (`${GOROOT:-…}` and other operators, `'$GOROOT'` in
single quotes or a quoted heredoc that another shell expands later, `printenv GOROOT`, a
`$GOROOT` inside a heredoc that is data, exec-form arguments, `ONBUILD` triggers); for make
variables and `GOROOT=… cmd` when `cmd` is not go (the Makefile or program reads the value
itself); for `ONBUILD ENV/ARG` (it applies in images built from this one); and when the file
installs a Go older than 1.9 outside `/usr/local/go` (those releases need `GOROOT` there).
Makefiles and scripts that read `$GOROOT` from the environment (instead of asking
`go env GOROOT`) cannot be seen from the Dockerfile: check them when a stage runs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from tree_sitter import Language, Node, Parser

from rewriters.context import RuleContext
from rewriters.document import Document, Instruction, Word
from rewriters.edits import Edit, OverlappingEditsError, Span, check_overlaps
from rewriters.fixes import Refusal, refuse, remove_element, remove_instruction
from rewriters.goenv import Setting, find_settings
from rewriters.model import Binding, Model, Stage
from rewriters.registry import Fix, Unfixable, Violation, rule
from rewriters.shell import ShellScript, ShellWord, SimpleCommand, VarRef, scripts_for_run
from rewriters.text import LogicalText

NAME = "GOROOT"
NAMES = frozenset({NAME})
IMAGE_GOROOT = "/usr/local/go"  # where official golang images install Go

_MENTION = re.compile(r"(?<![A-Za-z0-9_])GOROOT(?![A-Za-z0-9_])")
# A value that means the same bare, in double quotes, in a JSON string and in a Docker word:
# no whitespace, quotes, escapes, `$`, globs, braces, `~` or shell operators.
_SAFE_VALUE = re.compile(r"[A-Za-z0-9_./+@:%,=-]+")
_NAME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_NAME_CHARS = _NAME_START | frozenset("0123456789")
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")
# A Go release archive (go1.5.linux-amd64.tar.gz); the version decides whether go can find
# its own root (Go 1.9+).
_GO_ARCHIVE = re.compile(
    r"(?<![A-Za-z0-9])go(\d+)\.(\d+)(?:\.\d+|(?:rc|beta)\d+)?\."
    r"(?:linux|darwin|freebsd|netbsd|openbsd|windows|solaris|aix|dragonfly|illumos|plan9)-"
)
# Instructions whose arguments Docker expands with ENV/ARG values.
_DOCKER_EXPANDED = frozenset(
    {"ADD", "COPY", "ENV", "ARG", "EXPOSE", "LABEL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"}
)
_SCRIPT_INSTRUCTIONS = frozenset({"RUN", "CMD", "ENTRYPOINT", "HEALTHCHECK"})
# Shell constructs an `export` must not sit in for later lines of the script to see its value
# unconditionally.
_ENCLOSING = frozenset(
    {
        "subshell",
        "command_substitution",
        "process_substitution",
        "function_definition",
        "pipeline",
        "if_statement",
        "elif_clause",
        "else_clause",
        "while_statement",
        "until_statement",
        "for_statement",
        "c_style_for_statement",
        "case_statement",
        "case_item",
        "compound_statement",
        "do_group",
        "negated_command",
    }
)

_LANGUAGE: Language | None = None


def _bash() -> Parser:
    global _LANGUAGE
    if _LANGUAGE is None:
        import tree_sitter_bash

        _LANGUAGE = Language(tree_sitter_bash.language())
    return Parser(_LANGUAGE)


@dataclass(frozen=True)
class _Env:
    """What every check of one file shares."""

    doc: Document
    model: Model
    settings: tuple[Setting, ...]
    name_offsets: frozenset[int]  # where a setting writes the name GOROOT (not a use)


# ------------------------------------------------------------------------------- helpers


def _logical_index(lt: LogicalText, offset: int) -> int | None:
    """Logical index of the character at file ``offset`` (None when it is not logical text)."""
    for seg in lt.segments:
        if seg.file_length < 0 and seg.file_start <= offset < seg.file_start + seg.length:
            return seg.logical_start + offset - seg.file_start
        if seg.file_length >= 0 and offset == seg.file_start:
            return seg.logical_start
    return None


def _name_offsets(doc: Document, settings: Sequence[Setting]) -> frozenset[int]:
    out: set[int] = set()
    for s in settings:
        m = _MENTION.search(doc.text, s.span.start, s.span.end)
        if m is not None:
            out.add(m.start())
    return frozenset(out)


def _mentions(doc: Document, ins: Instruction) -> list[int]:
    """File offsets of the word GOROOT in an instruction (comment lines inside it excluded)."""
    lt = ins.logical
    out = [lt.to_file(m.start()) for m in _MENTION.finditer(lt.text)]
    for h in ins.heredocs:
        out.extend(m.start() for m in _MENTION.finditer(doc.text, h.body.start, h.body.end))
    return sorted(out)


def _replace(span: Span, value: str, doc: Document, what: str) -> Edit:
    if "\n" in doc.text[span.start : span.end]:
        # the reference is split by a line continuation (maybe around a comment line)
        refuse(Refusal.SPLIT_ACROSS_LINES, word=what, line=doc.line_of(span.start))
    return Edit(span, value)


# ----------------------------------------------------------------------- scope of a setting


def _is_global(s: Setting) -> bool:
    return s.stage is None


def _sees(model: Model, ins: Instruction, s: Setting) -> bool:
    """Does ``$GOROOT`` in ``ins`` (an instruction after ``s``) refer to setting ``s``?"""
    scope = model.scope_before(ins)
    bound = scope.env.get(NAME)
    if s.kind == "env":
        return bound is not None and bound.kind == "env" and _same_pair(bound, s)
    if bound is not None:
        return False  # ENV wins over ARG
    arg = scope.args.get(NAME)
    if arg is None or arg.pair is None:
        return False
    if not _is_global(s):
        return _same_pair(arg, s)
    glob = model.global_args.get(NAME)
    return (
        model.stage_of(ins) is not None
        and arg.pair.value is None
        and glob is not None
        and _same_pair(glob, s)
    )


def _same_pair(b: Binding, s: Setting) -> bool:
    return b.pair is not None and b.pair.span == s.span


def _end_binding_is(model: Model, st: Stage, s: Setting) -> bool:
    """Is ``s`` the GOROOT in effect at the end of stage ``st`` (what its image carries)?"""
    bound = model.end_binding(st, NAME)
    return bound is not None and _same_pair(bound, s)


def _runtime_image(model: Model, s: Setting) -> Stage | None:
    """The image stage whose run-time environment carries ``ENV GOROOT`` of ``s``, if any."""
    if s.kind != "env" or s.stage is None:
        return None
    images = model.image_stages()
    for st in (s.stage, *model.children(s.stage)):
        if st.index in images and _end_binding_is(model, st, s):
            return st
    return None


def _old_go(model: Model, s: Setting) -> str | None:
    """A Go release older than 1.9 that this file runs, if one is visible."""
    stages: list[Stage] = list(model.stages)
    if s.stage is not None:
        stages = [*model.lineage(s.stage), *model.children(s.stage)]
    for st in stages:
        v = st.base_facts.go_version if st.base_facts.go_toolchain else None
        if v is not None:
            parts = v.split(".")
            if len(parts) >= 2 and parts[0] == "1" and parts[1].isdigit() and int(parts[1]) < 9:
                return f"go{parts[0]}.{parts[1]}"
        for ins in st.instructions:
            if ins.effective.name != "RUN":
                continue
            text = _expand_known(
                ins.logical.text + "".join(h.content for h in ins.effective.heredocs),
                model.scope_before(ins).values(),
            )
            for m in _GO_ARCHIVE.finditer(text):
                if m.group(1) == "1" and int(m.group(2)) < 9:
                    return f"go{m.group(1)}.{m.group(2)}"
    return None


def _expand_known(text: str, values: dict[str, str]) -> str:
    """``$VAR``/``${VAR}`` replaced by known values (a best effort, to read version numbers)."""
    return _VAR.sub(lambda m: values.get(m.group(1) or m.group(2), m.group(0)), text)


# ---------------------------------------------------------------------- rewriting the uses


def _docker_refs(text: str, escape: str) -> Iterator[tuple[str, int, int, bool]]:
    """``$NAME``/``${NAME…}`` in a Docker word: (name, start, end, simple), as BuildKit sees
    them (nothing inside single quotes or after the escape token)."""
    i, n = 0, len(text)
    dq = False
    while i < n:
        c = text[i]
        if c == escape:
            i += 2
            continue
        if c == "'" and not dq:
            j = text.find("'", i + 1)
            i = n if j < 0 else j + 1
            continue
        if c == '"':
            dq = not dq
            i += 1
            continue
        if c == "$" and i + 1 < n:
            if text[i + 1] == "{":
                close = _brace_end(text, i + 2, escape)
                if close < 0:
                    return
                j = i + 2
                while j < close and text[j] in _NAME_CHARS:
                    j += 1
                yield text[i + 2 : j], i, close + 1, j == close
                i = close + 1
                continue
            if text[i + 1] in _NAME_START:
                j = i + 1
                while j < n and text[j] in _NAME_CHARS:
                    j += 1
                yield text[i + 1 : j], i, j, True
                i = j
                continue
        i += 1


def _brace_end(text: str, i: int, escape: str) -> int:
    depth = 1
    while i < len(text):
        if text[i] == escape:
            i += 2
            continue
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _word_edits(env: _Env, ins: Instruction, word: Word, value: str) -> tuple[list[Edit], set[int]]:
    """Edits replacing ``$GOROOT`` in a Docker-expanded word; also the offsets they cover."""
    lt = ins.logical
    base = _logical_index(lt, word.span.start)
    edits: list[Edit] = []
    covered: set[int] = set()
    if base is None:
        return edits, covered
    for name, a, b, simple in _docker_refs(word.text, word.escape):
        if name != NAME:
            continue
        span = lt.span(base + a, base + b)
        if not simple:
            raise Unfixable(
                f"`{word.text[a:b]}` on line {env.doc.line_of(span.start)} is not a plain "
                "reference, so it cannot be replaced by the value"
            )
        edits.append(_replace(span, value, env.doc, word.text[a:b]))
        covered.update(range(span.start, span.end))
    return edits, covered


def _script_refs(script: ShellScript) -> list[VarRef]:
    words: list[ShellWord] = []
    for cmd in script.commands:
        words.extend(cmd.words)
        words.extend(cmd.wrapper)
        words.extend(a.value for a in cmd.assignments if a.value is not None)
    words.extend(e.assignment.value for e in script.exports if e.assignment.value is not None)
    words.extend(a.value for a in script.variables if a.value is not None)
    seen: dict[Span, VarRef] = {}
    for w in words:
        for r in w.refs:
            if r.name == NAME:
                seen.setdefault(r.span, r)
    return sorted(seen.values(), key=lambda r: r.span.start)


def _go_env_reads(script: ShellScript) -> set[int]:
    """Offsets of ``GOROOT`` arguments of ``go env`` (go prints the root it found: harmless)."""
    out: set[int] = set()
    for cmd in script.commands:
        argv = cmd.argv_values
        if not cmd.words or cmd.words[0].basename != "go" or argv[1:2] != ("env",):
            continue
        if any(v in ("-w", "-u") for v in argv[2:]):
            continue
        for w in cmd.words[2:]:
            if w.value == NAME:
                out.update(range(w.span.start, w.span.end))
    return out


def _script_edits(
    env: _Env, script: ShellScript, value: str, after: int | None = None
) -> tuple[list[Edit], set[int]]:
    """Edits replacing ``$GOROOT`` in a shell script (only refs from logical offset ``after``)."""
    if script.has_errors:
        refuse(Refusal.SHELL_SYNTAX)
    edits: list[Edit] = []
    covered = _go_env_reads(script)
    for r in _script_refs(script):
        if after is not None and r.logical[0] < after:
            continue
        what = script.source.text[r.logical[0] : r.logical[1]].strip()
        if not r.simple:
            raise Unfixable(
                f"`{what}` on line {env.doc.line_of(r.span.start)} is not a plain reference, so "
                "it cannot be replaced by the value"
            )
        edits.append(_replace(r.span, value, env.doc, what))
        covered.update(range(r.span.start, r.span.end))
    return edits, covered


def _sets_goroot(script: ShellScript) -> bool:
    return any(e.assignment.name == NAME for e in script.exports) or any(
        a.name == NAME for a in script.variables
    )


def _instruction_edits(env: _Env, ins: Instruction, value: str) -> list[Edit]:
    """Replace every ``$GOROOT`` of ``ins`` by ``value``; refuse any other mention."""
    mentions = [m for m in _mentions(env.doc, ins) if m not in env.name_offsets]
    if not mentions:
        return []
    line = env.doc.line_of(mentions[0])
    if ins.sub is not None:
        raise Unfixable(
            f"the ONBUILD trigger on line {line} uses GOROOT in images built from this one"
        )
    edits: list[Edit] = []
    covered: set[int] = set()
    name = ins.name
    if name in _SCRIPT_INSTRUCTIONS:
        for script in scripts_for_run(ins, env.doc.text):
            if _sets_goroot(script):
                raise Unfixable(f"the script on line {line} sets GOROOT again")
            e, c = _script_edits(env, script, value)
            edits.extend(e)
            covered |= c
    elif name in _DOCKER_EXPANDED:
        words: list[Word] = []
        if ins.pairs:
            for p in ins.pairs:
                if p.value is not None:
                    words.append(p.value)
                elif name == "ARG" and p.key.value == NAME:
                    covered.update(range(p.key.span.start, p.key.span.end))  # `ARG GOROOT`
        else:
            words.extend(ins.args)
        for w in words:
            e, c = _word_edits(env, ins, w, value)
            edits.extend(e)
            covered |= c
    for m in mentions:
        if m not in covered:
            raise Unfixable(
                f"GOROOT on line {env.doc.line_of(m)} is used in a way that cannot be replaced "
                "by its value (single quotes, a heredoc, an exec-form argument, a flag or a "
                "command that reads the variable itself)"
            )
    return edits


def _pair_uses(env: _Env, s: Setting, value: str) -> list[Edit]:
    """Uses of an ENV/ARG setting: later instructions whose ``$GOROOT`` refers to it."""
    edits: list[Edit] = []
    start = s.instruction.span.start
    for ins in env.doc.instructions:
        if ins.span.start <= start:
            continue
        if ins.name == "FROM":
            if _is_global(s) and [m for m in _mentions(env.doc, ins)]:
                refuse(Refusal.FROM_USES_ARG, line=ins.start_line)
            continue
        if _is_global(s) and ins.name == "ARG" and env.model.stage_of(ins) is not None:
            # `ARG GOROOT` re-declared in a stage imports the global default: it goes too
            keys = [p.key.value if p.value is None else "" for p in ins.pairs]
            if NAME in keys:
                k = keys.index(NAME)
                if len(keys) == 1:
                    edits.append(remove_instruction(env.doc, ins))
                    continue
                removal = remove_element(env.doc, ins, [p.span for p in ins.pairs], k)
                if removal is None:
                    raise Unfixable(f"`ARG {NAME}` on line {ins.start_line} cannot be removed")
                edits.extend(removal)
        if not _sees(env.model, ins, s):
            continue
        edits.extend(_instruction_edits(env, ins, value))
    return edits


def _top_level(script: ShellScript, logical: tuple[int, int]) -> bool:
    """Is the command at ``logical`` run unconditionally at the top level of ``script``?"""
    chars = list(script.source.text)
    for m in script.heredoc_markers:
        lo, hi = m.logical
        chars[lo:hi] = " " * (hi - lo)
    text = "".join(chars)
    data = text.encode("utf-8", "surrogatepass")
    tree = _bash().parse(data)
    lo = len(text[: logical[0]].encode("utf-8", "surrogatepass"))
    hi = len(text[: logical[1]].encode("utf-8", "surrogatepass"))
    node: Node | None = tree.root_node.descendant_for_byte_range(lo, hi)
    while node is not None:
        if node.type in _ENCLOSING:
            return False
        if node.type == "list" and any(c.type == "||" for c in node.children):
            return False
        node = node.parent
    return True


def _export_uses(env: _Env, s: Setting, value: str) -> list[Edit]:
    """Uses of ``export GOROOT=…``: the rest of the same script."""
    scripts = scripts_for_run(s.instruction.effective, env.doc.text)
    scripted = {sc.source.segments[0].file_start for sc in scripts if sc.source.segments}
    for script in scripts:
        exp = next((e for e in script.exports if e.assignment.span == s.span), None)
        if exp is None:
            continue
        if not _top_level(script, exp.command_logical):
            refuse(Refusal.CONDITIONAL)
        end = exp.command_logical[1]
        if any(e is not exp and e.assignment.name == NAME for e in script.exports) or any(
            a.name == NAME for a in script.variables
        ):
            raise Unfixable("the same script sets GOROOT more than once")
        edits, covered = _script_edits(env, script, value, after=end)
        src = script.source
        for m in _MENTION.finditer(src.text, end):
            off = src.to_file(m.start())
            if off not in covered and off not in env.name_offsets:
                refuse(Refusal.UNREPLACEABLE_USE, name=NAME, line=env.doc.line_of(off))
        for h in s.instruction.effective.heredocs:
            if h.body.start in scripted:
                continue
            if _MENTION.search(env.doc.text, h.body.start, h.body.end):
                refuse(Refusal.HEREDOC, name=NAME, line=env.doc.line_of(h.body.start))
        return edits
    refuse(Refusal.NOT_LOCATED, what="export")


def _inline_command(env: _Env, s: Setting) -> SimpleCommand | None:
    for script in scripts_for_run(s.instruction.effective, env.doc.text):
        for cmd in script.commands:
            if any(a.span == s.span for a in cmd.assignments):
                return cmd
    return None


# --------------------------------------------------------------------------- the finding


def _message(env: _Env, s: Setting) -> str:
    shown = s.shown()
    mismatch = 'errors like `compile: version "go1.X" does not match go tool version "go1.Y"`'
    if s.kind == "go-env-w":
        return (
            f"`{shown}` writes GOROOT to the go env file, so every later go command uses it "
            "instead of the root go finds from its own binary, and a value that does not match "
            "the go being run breaks every go command (`go: cannot find GOROOT directory`, or "
            f"{mismatch})."
        )
    st = s.stage
    if (
        st is not None
        and st.base_facts.go_toolchain
        and st.base_facts.family != "chainguard"
        and (s.value or "").rstrip("/") == IMAGE_GOROOT
    ):
        return (
            f"`{shown}` repeats what go already knows (the golang image installs Go in "
            f"{IMAGE_GOROOT} and go finds its root from its own binary), and if the go being run "
            "is ever another toolchain (a newer base image, another Go earlier in PATH) it "
            f"compiles against the standard library in {IMAGE_GOROOT} and fails with {mismatch}."
        )
    return (
        f"`{shown}` overrides the root the go command finds from the location of its own "
        "binary, so if the go being run is not the toolchain installed there, it compiles "
        f"against another toolchain's standard library and fails with {mismatch}."
    )


def _plan(env: _Env, s: Setting) -> tuple[Fix | None, str | None]:
    """The fix for ``s``, or the reason there is none."""
    value = s.value or ""
    if s.script_has_errors:
        return None, "the shell script has syntax errors gocomply cannot rewrite"
    if s.kind in ("env", "arg", "export"):
        # later uses get the value written in their place: it must be a known, plain path
        if s.via is not None:
            return None, (
                f"the value comes from ${s.via}, so it cannot be written literally in place of "
                "$GOROOT"
            )
        if s.value is None:
            return None, "the value is not a literal path"
        if not _SAFE_VALUE.fullmatch(value) or value.startswith("~"):
            return None, f"the value `{value}` cannot be written literally in place of $GOROOT"
    if s.kind == "make":
        return None, "make passes GOROOT to the Makefile, which may use it; gocomply cannot see it"
    outer = s.instruction
    if outer.sub is not None and s.kind in ("env", "arg"):
        return (
            None,
            "ONBUILD settings apply in images built from this one, which gocomply cannot see",
        )
    old = _old_go(env.model, s)
    if old is not None and (s.value is None or value.rstrip("/") != IMAGE_GOROOT):
        return None, (
            f"{old} is installed here: releases before Go 1.9 find their root only at the path "
            f"they were built for, so they need GOROOT={value}"
        )
    if s.removal is None:
        return None, Refusal.NOT_REMOVABLE.sentence()
    try:
        if s.kind in ("env", "arg"):
            globals_ = [t for t in env.settings if t.kind == "arg" and _is_global(t)]
            if _is_global(s) and len(globals_) > 1:
                raise Unfixable("GOROOT is declared more than once before the first FROM")
            uses = _pair_uses(env, s, value)
        elif s.kind == "export":
            uses = _export_uses(env, s, value)
        elif s.kind == "inline":
            cmd = _inline_command(env, s)
            if cmd is None or not cmd.words or cmd.words[0].basename != "go":
                name = cmd.name if cmd is not None and cmd.name else "the command"
                refuse(Refusal.PASSED_TO_OTHER_COMMAND, name=NAME, command=name)
            uses = []
        else:  # go-env-w: only go reads the go env file
            uses = []
    except Unfixable as exc:
        return None, str(exc)
    edits = [*s.removal, *uses]
    try:
        check_overlaps(edits)
    except OverlappingEditsError:
        return None, "the removal and the rewritten uses overlap"
    n = sum(1 for e in uses if e.replacement == value)
    desc = f"`{s.shown()}` removed"
    if n:
        desc += f"; {n} use{'s' if n > 1 else ''} of $GOROOT replaced by `{value}`"
    image = _runtime_image(env.model, s)
    if image is not None:
        return Fix(tuple(edits), desc, "unsafe"), None
    return Fix(tuple(edits), desc), None


def _runtime_note(env: _Env, s: Setting) -> str | None:
    image = _runtime_image(env.model, s)
    if image is None:
        return None
    where = (
        f"stage `{image.alias}`"
        if image.alias
        else f"the image of the stage on line {image.from_.start_line}"
    )
    return (
        f"GOROOT stays in the run-time environment of {where}, where programs calling "
        "runtime.GOROOT() read it (golangci-lint's images set it for that, "
        "golangci/golangci-lint#3107); apply the removal with `unsafe_fixes: [GC102]` if "
        "nothing in the image needs it"
    )


@rule(
    code="GC102",
    name="goroot-override",
    severity="error",
    fix="safe",
    commit="stop overriding GOROOT",
    outputs=None,
)
def check(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
    model = ctx.model(doc)
    settings = tuple(
        s
        for s in find_settings(doc, model, NAMES)
        if (s.value_span is not None or s.kind in ("go-env-w", "make"))
        and (s.value is None or s.value != "" or s.via is not None)
    )
    env = _Env(doc, model, settings, _name_offsets(doc, settings))
    for s in settings:
        fix, reason = _plan(env, s)
        note = reason
        if fix is not None and fix.applicability == "unsafe":
            note = _runtime_note(env, s)
        yield Violation(s.span, _message(env, s), fix, note=note)
