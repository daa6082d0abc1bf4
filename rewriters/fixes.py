"""Edit builders shared by rules: remove an element or an instruction, replace a value.

Every builder keeps what a maintainer wrote around the edit: comment lines inside a continued
instruction are never deleted, the continuation layout of the remaining lines stays, and the
file's line breaks are reused (never a new ``\\n`` in a CRLF file). When a clean edit is not
possible the builder returns None and the rule reports instead of editing.
"""

from __future__ import annotations

import json
import posixpath
import re
import shlex
import string
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Literal, NoReturn, Protocol

from rewriters.buildcontext import BuildContext
from rewriters.document import Document, Instruction, KeyValue
from rewriters.edits import Edit, OverlappingEditsError, Span, check_overlaps
from rewriters.findings import Unfixable
from rewriters.mounts import mount_options
from rewriters.shell import (
    Removable,
    ShellScript,
    removal_spans,
    scripts_for_run,
)
from rewriters.words import process_word


def remove_instruction(doc: Document, ins: Instruction) -> Edit:
    """Delete an instruction's whole lines (continuations, inner comments, heredocs).

    Comment lines inside a continued instruction are kept: they are moved out as plain comment
    lines in place of the instruction, so nobody's note disappears with the code it annotated.
    """
    text = doc.text
    start = ins.span.start
    if start == 0 and text.startswith("\ufeff"):
        start = 1  # keep the byte-order mark with the file
    kept: list[str] = []
    if not ins.heredocs:
        pos = start
        for line in ins.span.slice(text)[start - ins.span.start :].splitlines(keepends=True):
            stripped = line.lstrip(" \t")
            if pos != start and stripped.startswith("#"):
                kept.append(line)
            pos += len(line)
    end = ins.span.end
    if not kept and _blank_before(text, start) and _is_blank_line_at(text, end):
        # don't leave two blank lines where the instruction stood between two
        end = text.find("\n", end) + 1 or len(text)
    return Edit(Span(start, end), "".join(kept))


def _is_blank_line_at(text: str, offset: int) -> bool:
    nl = text.find("\n", offset)
    return nl >= 0 and not text[offset:nl].strip(" \t\r")


def _blank_before(text: str, offset: int) -> bool:
    """Is the line before ``offset`` (a line start) blank, or is there none?"""
    if offset == 0 or text[:offset] == "\ufeff":
        return True
    prev = text.rfind("\n", 0, offset - 1) + 1
    return not text[prev : offset - 1].strip(" \t\r")


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _line_end(text: str, offset: int) -> int:
    """Offset of the line break (``\\r\\n`` or ``\\n``) ending the line of ``offset``."""
    nl = text.find("\n", offset)
    if nl < 0:
        return len(text)
    return nl - 1 if nl > 0 and text[nl - 1] == "\r" else nl


def remove_element(
    doc: Document, ins: Instruction, elements: Sequence[Span], k: int
) -> list[Edit] | None:
    """Edits that delete ``elements[k]`` from a whitespace-separated sequence in ``ins``.

    ``elements`` are the spans of the items of one list in order (ENV pairs, command words).
    An item alone on a continued line: that whole line goes. Other items but the last: the
    item and the gap after it go (when that gap crosses a comment line, only the item and the
    blanks after it on its line go). The last item: the gap before it
    and the item go (when that gap crosses a comment line, the continuation marker on the
    previous item's line and the item's own line go instead, so the comment stays a comment).
    A single item cannot be removed this way (None): remove the instruction instead.
    """
    text = doc.text
    if len(elements) < 2 or not 0 <= k < len(elements):
        return None
    cur = elements[k]
    if k < len(elements) - 1:
        nxt = elements[k + 1]
        gap = text[cur.end : nxt.start]
        ls = _line_start(text, cur.start)
        le = _line_end(text, cur.end)
        tail = text[cur.end : le].strip(" \t")
        if not text[ls : cur.start].strip(" \t") and tail == doc.escape:
            # the item sits alone on a continued line: the whole line goes
            nl_end = le + (2 if text.startswith("\r\n", le) else 1)
            return [Edit(Span(ls, nl_end), "")]
        if "#" not in gap:
            return [Edit(Span(cur.start, nxt.start), "")]
        end = cur.end
        while end < nxt.start and text[end] in " \t":
            end += 1
        return [Edit(Span(cur.start, end), "")]
    prev = elements[k - 1]
    gap = text[prev.end : cur.start]
    if "#" not in gap:
        return [Edit(Span(prev.end, cur.end), "")]
    # keep the comment lines: drop the marker after the previous item, and the item's line
    marker_end = _line_end(text, prev.end)
    first = Edit(Span(prev.end, marker_end), "")
    ls = _line_start(text, cur.start)
    if text[ls : cur.start].strip(" \t"):
        return None
    le = _line_end(text, cur.end)
    if text[cur.end : le].strip(" \t"):
        return None
    nl_end = le + (2 if text.startswith("\r\n", le) else 1 if le < len(text) else 0)
    if nl_end > ins.span.end:
        nl_end = ins.span.end
    return [first, Edit(Span(ls, nl_end), "")]


def quote_like(raw: str, value: str) -> str:
    """``value`` written with the same quoting as ``raw`` (``"x"``, ``'x'`` or bare)."""
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in ("'", '"'):
        return f"{raw[0]}{value}{raw[0]}"
    return value


# ============================================================================================
# Refusals: one wording per reason a fix is not built
# ============================================================================================


class Refusal(Enum):
    """Why a fix is not offered; each value is the one user-facing sentence for that reason.

    Sentences are lower-case, one sentence, no trailing period (they follow "not rewritten: "
    or stand as a finding's note). ``{field}`` placeholders are filled by `Refusal.sentence` /
    `refuse`; every placeholder is required.
    """

    SHELL_SYNTAX = "the shell script has syntax errors gocomply cannot rewrite"
    ONBUILD = "an ONBUILD trigger runs in images built from this one, which gocomply cannot see"
    UNKNOWN_BASE_IMAGE = "the base image `{image}` is not recognised, so its environment is unknown"
    UNKNOWN_GO_VERSION = "the base image's Go version is not known from its tag"
    NO_PACKAGE_MANAGER = "the base image has no package manager to install {what}"
    WINDOWS_IMAGE = "the stage builds on a Windows image, and gocomply only rewrites Linux images"
    HEREDOC = "{name} is used in the heredoc on line {line}, which gocomply does not rewrite"
    VARIABLE_IN_PATH = "`{path}` depends on a variable known only when the image is built"
    VALUE_FROM_VARIABLE = "the value comes from ${name}, so it cannot be written literally"
    DYNAMIC_ARGUMENTS = "its arguments come from variables or command output"
    NOT_LITERAL = "the value `{value}` cannot be written literally"
    UNKNOWN_VALUE = "{name} is not known here"
    GO_ENV_W = "{name} is set with `go env -w`, which gocomply does not follow here"
    MAKE_VARIABLE = "make passes {name} to the Makefile, which may use it; gocomply cannot see it"
    NOT_PLAIN_REFERENCE = (
        "`{word}` on line {line} is not a plain reference, so it cannot be replaced by the value"
    )
    SPLIT_ACROSS_LINES = "`{word}` on line {line} is split across lines"
    UNREPLACEABLE_USE = (
        "{name} on line {line} is used in a way that cannot be replaced by its value"
    )
    SET_AGAIN = "{name} is set again on line {line}, so no single value replaces its uses"
    CONDITIONAL = "the command sits inside a subshell, condition or loop, so it may not run"
    PASSED_TO_OTHER_COMMAND = "{name} is passed to `{command}`, not to go, which may read it itself"
    FROM_USES_ARG = "the FROM on line {line} uses the ARG"
    EXEC_FORM = "an exec-form instruction has no shell to {what}"
    WRAPPER = "the command runs through a wrapper that {what} cannot precede safely"
    REDIRECTION_BETWEEN_WORDS = "a redirection sits between its words"
    NO_CLEAN_EDIT = (
        "comment lines, redirections or quoting between its words leave no clean word replacement"
    )
    NOT_REMOVABLE = "the setting cannot be removed cleanly"
    NOT_LOCATED = "the {what} could not be located in the script"
    NEEDS_QUOTING = "`{value}` would need quoting"
    FORM_CHANGED = "the edited instruction would not keep its form"
    OVERLAP = "the edits of this fix overlap"
    NON_ROOT_USER = "a new install line would run as a non-root USER"
    FLAG_UNSUPPORTED = "`{flag}` has no equivalent in `{command}`"
    DOCKERIGNORE_UNKNOWN = "whether the build context has a `.dockerignore` is not known here"
    DOCKERIGNORE_UNREAD = "the build context's `.dockerignore` could not be read"
    FLAG_CONFLICT = "the instruction already has `{flag}` with another value"
    MOUNT_TARGET_TAKEN = "another kind of mount already uses `{target}`"

    @property
    def fields(self) -> tuple[str, ...]:
        """The placeholders of the sentence, in order."""
        return tuple(
            dict.fromkeys(f for _, f, _, _ in _FORMATTER.parse(str(self.value)) if f is not None)
        )

    def sentence(self, **fields: object) -> str:
        """The sentence with its placeholders filled (all required, no others accepted)."""
        want = set(self.fields)
        if set(fields) != want:
            raise TypeError(f"{self.name} takes fields {sorted(want)}, got {sorted(fields)}")
        return str(self.value).format(**{k: str(v) for k, v in fields.items()})


_FORMATTER = string.Formatter()


class Refused(Unfixable):
    """`Unfixable` raised through `refuse`: the engine reads ``reason``; tests can read
    ``refusal`` (which reason) and ``fields``."""

    def __init__(self, refusal: Refusal, **fields: object) -> None:
        super().__init__(refusal.sentence(**fields))
        self.refusal = refusal
        self.fields = fields


def refuse(refusal: Refusal, **fields: object) -> NoReturn:
    """Raise `Unfixable` with the one wording of ``refusal`` (see `Refusal` for the fields)."""
    raise Refused(refusal, **fields)


# ============================================================================================
# Word-level edits inside an instruction
# ============================================================================================


class HasSpan(Protocol):
    """Anything with a file span: `Word`, `Flag`, `KeyValue`, `ShellWord`, `Assignment`."""

    @property
    def span(self) -> Span: ...


Context = Literal["shell", "exec", "json-shell", "heredoc", "docker"]
_SHELL_NAMES = frozenset({"RUN", "CMD", "ENTRYPOINT", "HEALTHCHECK"})
_SAFE_WORD = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")


def context_of(ins: Instruction, items: Sequence[HasSpan], text: str) -> Context:
    """How the words ``items`` of ``ins`` are written: in a heredoc body (``heredoc``), as the
    JSON strings of an exec form (``exec``), inside one JSON string such as the script of
    ``["sh", "-c", "…"]`` (``json-shell``), in a shell-form script (``shell``) or as Docker
    arguments of another instruction (``docker``)."""
    eff = ins.effective
    first = items[0].span.start if items else eff.keyword.span.end
    for h in eff.heredocs:
        if h.body.start <= first < h.body.end:
            return "heredoc"
    if eff.json:
        starts = {a.span.start for a in eff.args}
        if first in starts and text.startswith('"', first):
            return "exec"
        if first > eff.keyword.span.start and not any(f.span.start == first for f in eff.flags):
            return "json-shell"
    if eff.name in _SHELL_NAMES:
        return "shell"
    return "docker"


def _marker(ins: Instruction, context: Context) -> str:
    """The line-continuation token in ``context`` (the shell's backslash in a heredoc body)."""
    return "\\" if context == "heredoc" else ins.effective.escape


def _gap_re(context: Context, escape: str) -> re.Pattern[str]:
    """What may separate two words of one list: blanks, continuations with the comment and
    blank lines Docker skips inside them, and the comma of a JSON array."""
    if context == "heredoc":
        return re.compile(r"(?:[ \t]|\\\r?\n)*")
    e = re.escape(escape)
    cont = rf"{e}[ \t]*\r?\n(?:[ \t\r]*(?:#[^\n]*)?\n)*"
    blank = rf"(?:[ \t]|{cont})*"
    if context == "exec":
        return re.compile(rf"{blank},{blank}")
    return re.compile(blank)


def _next_line(text: str, offset: int) -> int:
    """Start of the line after the one holding ``offset`` (``len(text)`` on the last line)."""
    nl = text.find("\n", offset)
    return len(text) if nl < 0 else nl + 1


def _hspace_end(text: str, offset: int) -> int:
    while offset < len(text) and text[offset] in " \t":
        offset += 1
    return offset


def delete_words(
    doc: Document, ins: Instruction, items: Sequence[HasSpan], drop: Iterable[int]
) -> tuple[Edit, ...]:
    """Edits deleting ``items[i]`` for every ``i`` in ``drop`` from the word list ``items``.

    ``items`` is one whole list, in file order: a command's words (its assignments first when
    they matter: ``[*cmd.assignments, *cmd.words]``), an exec form's JSON strings, the pairs of
    an ENV/LABEL, the names of an ARG. The separators go with the words, never more:

    - a run of dropped words that fills whole continued lines (``  -v \\``) takes those lines;
    - otherwise the run goes with the gap before it or the gap after it, whichever crosses
      fewer line continuations (ties: the gap before), so the layout of the other lines stays;
      in an exec form the gap is the comma and its blanks;
    - a gap holding comment lines is never deleted: the comment stays where it was (the last
      word after a comment: its line goes, and the continuation token before the comment).

    At least one word must stay (use `delete_commands` or `remove_instruction` to delete it
    all): ValueError. `Refused` (`Refusal.NO_CLEAN_EDIT`) when a gap holds something else (a
    redirection, a quote) or no layout-preserving deletion exists.
    """
    text = doc.text
    n = len(items)
    dropped = sorted(set(drop))
    if not dropped or dropped[0] < 0 or dropped[-1] >= n:
        raise ValueError(f"indices {dropped} are not items of a list of {n}")
    if len(dropped) == n:
        raise ValueError("delete_words keeps at least one word; remove the command instead")
    context = context_of(ins, items, text)
    marker = _marker(ins, context)
    gap_re = _gap_re(context, marker)

    def gap(k: int) -> str:
        """The text between items[k - 1] and items[k]."""
        return text[items[k - 1].span.end : items[k].span.start]

    for k in range(1, n):
        if (k in dropped or k - 1 in dropped) and gap_re.fullmatch(gap(k)) is None:
            refuse(Refusal.NO_CLEAN_EDIT)
    # runs of consecutive dropped items, split where a comment line separates two of them
    runs: list[list[int]] = []
    for i in dropped:
        if runs and runs[-1][-1] == i - 1 and "#" not in gap(i):
            runs[-1].append(i)
        else:
            runs.append([i])
    edits: list[Edit] = []
    for run in runs:
        edits.extend(_run_deletion(doc, ins, items, run[0], run[-1], context, marker))
    try:
        check_overlaps(edits)
    except OverlappingEditsError:
        refuse(Refusal.NO_CLEAN_EDIT)
    return tuple(edits)


def _run_deletion(
    doc: Document,
    ins: Instruction,
    items: Sequence[HasSpan],
    a: int,
    b: int,
    context: Context,
    marker: str,
) -> list[Edit]:
    text = doc.text
    n = len(items)
    start, end = items[a].span.start, items[b].span.end
    ls = _line_start(text, start)
    le = _line_end(text, end)
    alone_before = not text[ls:start].strip(" \t")
    after = text[end:le]
    sep = r"[ \t]*,[ \t]*" if context == "exec" else r"[ \t]*"
    whole_lines = re.fullmatch(sep + re.escape(marker) + r"[ \t]*", after) is not None
    if alone_before and whole_lines and (context != "exec" or b + 1 < n):
        return [Edit(Span(ls, min(_next_line(text, le), ins.span.end)), "")]
    options: list[tuple[int, Span]] = []
    if a > 0:
        g = text[items[a - 1].span.end : start]
        if "#" not in g:
            options.append((g.count("\n"), Span(items[a - 1].span.end, end)))
    if b + 1 < n:
        g = text[end : items[b + 1].span.start]
        if "#" not in g:
            options.append((g.count("\n"), Span(start, items[b + 1].span.start)))
    if options:
        best = min(options, key=lambda o: o[0])  # first wins a tie: the gap before
        return [Edit(best[1], "")]
    # every neighbouring gap holds a comment line
    if context != "shell" or not alone_before:
        refuse(Refusal.NO_CLEAN_EDIT)
    if after.strip(" \t\r") or b + 1 < n:
        # other text follows on the line (`&& go build`): only the words and their blanks go
        return [Edit(Span(start, _hspace_end(text, end)), "")]
    # the run ends the instruction after a comment line: its line goes, and the continuation
    # token after the previous item, so the comment is left after the instruction
    prev_end = items[a - 1].span.end
    prev_le = _line_end(text, prev_end)
    if re.fullmatch(r"[ \t]*" + re.escape(marker) + r"[ \t]*", text[prev_end:prev_le]) is None:
        refuse(Refusal.NO_CLEAN_EDIT)
    return [
        Edit(Span(prev_end, prev_le), ""),
        Edit(Span(ls, min(_next_line(text, le), ins.span.end)), ""),
    ]


def delete_commands(
    doc: Document, ins: Instruction, script: ShellScript, commands: Sequence[Removable]
) -> tuple[Edit, ...]:
    """Edits deleting whole commands (or exports, assignments) of ``script`` with their
    operators, so no ``&& &&`` or dangling ``;`` is left (`rewriters.shell.removal_spans`).

    When they are every command of a shell-form RUN without heredocs, the whole instruction
    goes (`remove_instruction`). `Refused`: ``SHELL_SYNTAX`` for a script with errors, else
    ``NOT_REMOVABLE`` when the shell view finds no clean removal (a pipeline, a condition, the
    last command after ``;`` …).
    """
    if script.has_errors:
        refuse(Refusal.SHELL_SYNTAX)
    eff = ins.effective
    gone = {c.span for c in commands}
    every = [c.span for c in script.commands] + [e.span for e in script.exports]
    if (
        all(sp in gone for sp in every)
        and not eff.heredocs
        and not eff.json
        and len(scripts_for_run(eff, doc.text)) == 1
    ):
        return (remove_instruction(doc, ins),)
    spans = removal_spans(script, commands, doc.text)
    if spans is None:
        refuse(Refusal.NOT_REMOVABLE)
    return tuple(Edit(s, "") for s in spans)


def _write_word(value: str, context: Context) -> str:
    """``value`` as one word of ``context`` (JSON string, shell word, Docker word)."""
    if context == "exec":
        return json.dumps(value)
    if _SAFE_WORD.fullmatch(value):
        return value
    if context == "docker" or "\n" in value:
        refuse(Refusal.NEEDS_QUOTING, value=value)
    quoted = shlex.quote(value)
    if context == "json-shell" and any(c in quoted for c in '"\\'):
        refuse(Refusal.NEEDS_QUOTING, value=value)
    return quoted


def append_words(
    doc: Document, ins: Instruction, items: Sequence[HasSpan], k: int, words: Sequence[str]
) -> Edit:
    """An insertion writing ``words`` right after ``items[k]`` in the word list ``items``.

    ``words`` are values: written bare when they are plain (``[A-Za-z0-9_@%+=:,./-]+``), as
    JSON strings in an exec form, single-quoted in a shell script; `Refused` (``NEEDS_QUOTING``)
    when no safe spelling exists (Docker arguments, newlines, quotes inside a JSON string).
    The separator follows the list's layout: when ``items[k]`` sits on its own continued line,
    each new word gets its own line with the same separator, continuation token and
    indentation (``-o x \\⏎    -v``); otherwise a space (``", "`` between JSON strings).
    """
    if not words:
        raise ValueError("no words to append")
    text = doc.text
    context = context_of(ins, items, text)
    marker = _marker(ins, context)
    written = [_write_word(w, context) for w in words]
    cur = items[k].span
    plain = ", " if context == "exec" else " "
    sep = plain
    if k > 0:
        g = text[items[k - 1].span.end : cur.start]
        own_line = not text[_line_start(text, cur.start) : cur.start].strip(" \t")
        if _gap_re(context, marker).fullmatch(g) is not None:
            if "\n" not in g or (own_line and "#" not in g):
                sep = g
            elif own_line:
                indent = text[_line_start(text, cur.start) : cur.start]
                sep = f"{plain.rstrip()} {marker}{doc.newline}{indent}"
    return Edit.insert(cur.end, "".join(sep + w for w in written))


# ============================================================================================
# Instruction-level edits
# ============================================================================================


def keyword_case(doc: Document, keyword: str) -> str:
    """``keyword`` in the case the file writes its instructions (lower-case when more than
    half of them are lower-case, else upper-case)."""
    instructions = doc.instructions
    lower = sum(1 for ins in instructions if ins.keyword.text.islower())
    return keyword.lower() if lower * 2 > len(instructions) else keyword.upper()


def indentation(text: str, offset: int) -> str:
    """The blanks that start the line of ``offset``."""
    start = _line_start(text, offset)
    if start == 0 and text.startswith("\ufeff"):
        start = 1
    return text[start : _hspace_end(text, start)]


def _continuation_indent(doc: Document) -> str:
    """How far the file indents continuation lines past their instruction (4 spaces if it
    never continues a line)."""
    text = doc.text
    for ins in doc.instructions:
        if ins.end_line == ins.start_line or ins.heredocs:
            continue
        first = indentation(text, ins.keyword.span.start)
        for line in range(ins.start_line + 1, ins.end_line + 1):
            sp = doc.line_span(line)
            body = text[sp.start : sp.end].rstrip("\r\n")
            if not body.strip() or body.lstrip().startswith("#"):
                continue
            lead = body[: len(body) - len(body.lstrip(" \t"))]
            if lead.startswith(first) and len(lead) > len(first):
                return lead[len(first) :]
            break
    return "    "


def insert_instruction(
    doc: Document, anchor: Instruction, *lines: str, before: bool = False
) -> Edit:
    """An insertion adding a new instruction after ``anchor`` (before it with ``before``).

    ``lines[0]`` starts with the keyword (``"RUN apk add --no-cache gcc"``), in any case: it
    is written in the file's case (`keyword_case`). Further ``lines`` are continuation lines,
    joined with ``" <escape>"`` (the file's escape token, backtick under ``# escape=```) and
    indented like the file's other continuation lines. The instruction takes the anchor's
    indentation and the file's line break (CRLF stays CRLF); after a last line without a line
    break the file still ends without one. ``lines`` hold no line breaks (ValueError).
    """
    if not lines or not lines[0].strip():
        raise ValueError("an instruction needs a keyword")
    if any("\n" in ln or "\r" in ln for ln in lines):
        raise ValueError("pass each line separately, without line breaks")
    text = doc.text
    nl = doc.newline
    indent = indentation(text, anchor.keyword.span.start)
    keyword, _, rest = lines[0].strip().partition(" ")
    first = keyword_case(doc, keyword) + (f" {rest.strip()}" if rest.strip() else "")
    cont = indent + _continuation_indent(doc)
    body = f" {doc.escape}{nl}".join([indent + first, *(cont + ln.strip() for ln in lines[1:])])
    if before:
        at = anchor.span.start
        if at == 0 and text.startswith("\ufeff"):
            at = 1
        return Edit.insert(at, body + nl)
    at = anchor.span.end
    if at == len(text) and not text.endswith("\n"):
        return Edit.insert(at, nl + body)
    return Edit.insert(at, body + nl)


def insert_after(doc: Document, anchor: Instruction, *lines: str) -> Edit:
    """`insert_instruction` after ``anchor``."""
    return insert_instruction(doc, anchor, *lines)


def insert_before(doc: Document, anchor: Instruction, *lines: str) -> Edit:
    """`insert_instruction` before ``anchor``."""
    return insert_instruction(doc, anchor, *lines, before=True)


def add_run_flag(doc: Document, ins: Instruction, flag: str) -> Edit | None:
    """An insertion adding builder flag ``flag`` (``--mount=type=cache,target=/go/pkg/mod``)
    to RUN ``ins`` (or the RUN of an ONBUILD), after its existing flags (after the keyword
    when it has none), on its own continued line when the flags already are one per line.

    None when the flag is already there: for ``--mount``, a mount of the same type at the same
    target (whatever its other options: ``id``, ``sharing``); for other flags, the same name
    and value. `Refused`: ``MOUNT_TARGET_TAKEN`` when a mount of another type uses that
    target, ``VARIABLE_IN_PATH`` when an existing mount's target uses a variable,
    ``FLAG_CONFLICT`` when another flag of that name has another value. ValueError for a
    non-RUN or a malformed ``flag``.
    """
    eff = ins.effective
    if eff.name != "RUN":
        raise ValueError(f"{eff.name} takes no RUN flags")
    if not flag.startswith("--") or any(c.isspace() for c in flag):
        raise ValueError(f"not one builder flag: {flag!r}")
    name, eq, value = flag[2:].partition("=")
    if name == "mount":
        new = mount_options(value)
        target = new.get("target")
        if not target:
            raise ValueError(f"a mount needs a target: {flag!r}")
        for f in eff.flags_named("mount"):
            old = mount_options(f.value or "")
            old_target = old.get("target", "")
            if "$" in old_target:
                refuse(Refusal.VARIABLE_IN_PATH, path=old_target)
            if posixpath.normpath(old_target) != posixpath.normpath(target):
                continue
            if old["type"] == new["type"]:
                return None  # that mount is there (its other options are the file's choice)
            refuse(Refusal.MOUNT_TARGET_TAKEN, target=target)
    else:
        for f in eff.flags_named(name):
            if (f.value if f.value is not None else None) == (value if eq else None):
                return None
            refuse(Refusal.FLAG_CONFLICT, flag=f"--{name}")
    return _insert_run_flag(doc, eff, flag)


def add_secret_env_mount(doc: Document, ins: Instruction, secret_id: str, env: str) -> Edit | None:
    """An insertion adding ``--mount=type=secret,id=<secret_id>,env=<env>`` to RUN ``ins``
    (placed like `add_run_flag`). None when a secret mount already sets ``env``. A secret
    mount with ``env=`` and no ``target`` is only an environment variable of the step (no file
    under ``/run/secrets``); ``env=`` needs Dockerfile frontend 1.10+. ValueError for a non-RUN
    or names that are not plain words."""
    eff = ins.effective
    if eff.name != "RUN":
        raise ValueError(f"{eff.name} takes no RUN flags")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", env) or not re.fullmatch(
        r"[A-Za-z0-9_.-]+", secret_id
    ):
        raise ValueError(f"not a secret id and variable name: {secret_id!r}, {env!r}")
    for f in eff.flags_named("mount"):
        old = mount_options(f.value or "")
        if old["type"] == "secret" and old.get("env") == env:
            return None
    return _insert_run_flag(doc, eff, f"--mount=type=secret,id={secret_id},env={env}")


def _insert_run_flag(doc: Document, eff: Instruction, flag: str) -> Edit:
    items: list[HasSpan] = [eff.keyword, *eff.flags]
    text = doc.text
    last = items[-1].span
    sep = " "
    if len(items) > 2:
        g = text[items[-2].span.end : last.start]
        own_line = not text[_line_start(text, last.start) : last.start].strip(" \t")
        if own_line and "#" not in g and "\n" in g:
            sep = g
    return Edit.insert(last.end, sep + flag)


def drop_arg_default(doc: Document, pair: KeyValue) -> Edit:
    """Deletion of the default of an ARG pair: ``ARG X=1`` → ``ARG X`` (``=`` included).

    ValueError when the pair has no default."""
    if pair.value is None:
        raise ValueError(f"ARG {pair.key.text} has no default")
    if not doc.text.startswith("=", pair.key.span.end):
        raise ValueError("the default does not follow its name")
    return Edit(Span(pair.key.span.end, pair.span.end), "")


def _docker_quoted(value: str, escape: str, quote: str, keep_variables: bool) -> str:
    """``value`` between ``quote``s, as Docker reads ENV/ARG/LABEL words."""
    if quote == "'":
        return f"'{value}'"
    special = {escape, '"'} | (set() if keep_variables else {"$"})
    return '"' + "".join(escape + c if c in special else c for c in value) + '"'


def replace_value(
    doc: Document,
    ins: Instruction,
    pair: KeyValue,
    value: str,
    *,
    keep_variables: bool = False,
) -> Edit:
    """An edit writing ``value`` as the value of an ENV/ARG/LABEL pair, quoted like the old one.

    ``"x"`` stays double-quoted (escaping ``"``, ``$`` and the escape token), ``'x'`` stays
    single-quoted (double quotes when ``value`` holds a ``'``), a bare value stays bare when
    Docker reads it back unchanged, else it is double-quoted; the legacy ``ENV A x`` form keeps
    its form (the rest of the line is the value, so inner blanks need no quotes). ``ARG X``
    without a default gets ``=value``. ``value`` is literal: ``$`` is escaped unless
    ``keep_variables``. ValueError for a value with a line break.
    """
    if "\n" in value or "\r" in value:
        raise ValueError("a value with a line break cannot be written in place")
    escape = ins.effective.escape
    if pair.value is None:
        return Edit.insert(pair.key.span.end, "=" + _bare_or_quoted(value, escape, keep_variables))
    raw = pair.value.text
    quote = raw[0] if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"" else ""
    if quote and process_word(raw, escape).value != raw[1:-1].replace(escape + quote, quote):
        quote = ""  # not one quoted string (`"a"b"c"`)
    if quote == "'" and "'" in value:
        quote = '"'
    if quote:
        written = _docker_quoted(value, escape, quote, keep_variables)
    elif (
        pair.legacy
        and value
        and value == value.strip()
        and not _needs_quotes(value, escape, keep_variables, blanks_ok=True)
    ):
        written = value
    else:
        written = _bare_or_quoted(value, escape, keep_variables)
    return Edit(pair.value.span, written)


def _needs_quotes(value: str, escape: str, keep_variables: bool, *, blanks_ok: bool) -> bool:
    specials = {escape, '"', "'"} | (set() if keep_variables else {"$"})
    if any(c in specials for c in value):
        return True
    return not blanks_ok and any(c.isspace() for c in value)


def _bare_or_quoted(value: str, escape: str, keep_variables: bool) -> str:
    if value and not _needs_quotes(value, escape, keep_variables, blanks_ok=False):
        return value
    return _docker_quoted(value, escape, '"', keep_variables)


def append_to_dockerignore(bc: BuildContext, lines: str) -> Edit:
    """The edit that adds ``lines`` (newline-terminated) to the context's ``.dockerignore``:
    creates the file when it is absent, appends after its last line otherwise.

    Refuses (`Unfixable`) when the file's existence or its text is unknown (the App did not
    fetch it, it is too large or not UTF-8): appending blind could split its last pattern.
    """
    exists, text = bc.side_file(bc.dockerignore_path)
    if exists is None:
        refuse(Refusal.DOCKERIGNORE_UNKNOWN)
    if not exists:
        return Edit.create_file(bc.dockerignore_path, lines)
    if text is None:
        refuse(Refusal.DOCKERIGNORE_UNREAD)
    sep = "" if not text or text.endswith("\n") else "\n"
    return Edit.insert(len(text), sep + lines, bc.dockerignore_path)
