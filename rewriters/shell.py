"""Shell view of RUN bodies: tree-sitter-bash parse trees mapped back to file offsets.

A RUN instruction's shell text is a `LogicalText` (Docker joins continuation lines and drops
comment lines before it runs the command). `parse_shell` parses that logical text with
tree-sitter-bash (MIT; bashlex is GPL and must not be used) and returns a `ShellScript` of
frozen dataclasses: every simple command in the tree (nested ones included), every
``export``/``declare -x`` assignment, and bare ``NAME=value`` statements.

Invariants:
- Every `Span` in this module is a span of the original FILE text (obtained through
  `LogicalText.span`), never of the logical text. Logical offsets are exposed separately as
  ``logical: tuple[int, int]`` ranges into ``script.source.text``.
- `ShellWord.value` is set only for literal words: the word after shell quote removal when it
  contains no parameter, command, arithmetic, tilde or brace expansion. Otherwise it is None and
  ``has_expansion`` is True; ``expansions`` still names the variables referenced, and ``refs``
  locates each ``$NAME`` / ``${NAME}`` so a rule can follow ``$GOROOT/bin/go``. Glob characters
  (``*``, ``?``, ``[``) are kept literally in ``value``.
- A script with ``has_errors`` (tree-sitter ERROR or MISSING nodes) is report-only: rules may
  read it, but must not edit it. `removal_span` returns None for it.
- Heredoc operators whose body is not part of the parsed text (Docker moves the body out of the
  RUN line) are blanked before parsing, so ``RUN cat <<EOF > f`` parses cleanly; they are listed
  in ``ShellScript.heredoc_markers``. `scripts_for_run` turns heredoc bodies that are shell
  scripts into scripts of their own.
- Exec form without a shell (``RUN ["go", "get", "./..."]``) gives one `SimpleCommand` whose
  word spans are the JSON string tokens including their quotes; it cannot be removed.
- To delete items use `removal_span` / `removal_spans`: they keep continuation lines, comment
  lines and heredoc operators intact and refuse (None) whenever a clean deletion is not certain.
"""

from __future__ import annotations

import contextlib
import itertools
import posixpath
import re
import threading
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from tree_sitter import Language, Node, Parser

from rewriters.edits import Span
from rewriters.text import LogicalText

__all__ = [
    "Assignment",
    "Export",
    "HeredocLike",
    "HeredocMarker",
    "Removable",
    "RunLike",
    "ShellScript",
    "ShellWord",
    "SimpleCommand",
    "VarRef",
    "parse_shell",
    "removal_span",
    "removal_spans",
    "scripts_for_run",
]

# --------------------------------------------------------------------------------------------
# Parser cache (lazy; one Parser per thread because tree-sitter parsers are not thread-safe)

_LANGUAGE: Language | None = None
_LOCAL = threading.local()


def _parser() -> Parser:
    global _LANGUAGE
    parser: Parser | None = getattr(_LOCAL, "parser", None)
    if parser is None:
        if _LANGUAGE is None:
            import tree_sitter_bash

            _LANGUAGE = Language(tree_sitter_bash.language())
        parser = Parser(_LANGUAGE)
        _LOCAL.parser = parser
    return parser


# --------------------------------------------------------------------------------------------
# Public data


@dataclass(frozen=True)
class VarRef:
    """A parameter expansion inside a word: ``$NAME`` or ``${NAME…}``.

    ``simple`` is True for plain ``$NAME`` / ``${NAME}`` (no operator, no default, no length),
    i.e. the ref can be replaced by a literal value without changing meaning.
    """

    name: str
    span: Span
    logical: tuple[int, int]
    simple: bool


@dataclass(frozen=True)
class ShellWord:
    """One shell word.

    ``text`` is the raw logical text; ``value`` the word after quote removal when it is a
    literal, else None (see module invariants); ``span`` the file span of the word;
    ``basename`` the literal last path component (text after the last ``/``) even when an
    earlier part is an expansion (``$GOROOT/bin/go`` → ``go``), or None.
    """

    text: str
    value: str | None
    span: Span
    logical: tuple[int, int]
    expansions: tuple[str, ...] = ()
    refs: tuple[VarRef, ...] = ()
    basename: str | None = None

    @property
    def has_expansion(self) -> bool:
        """True when the word is not a literal (its value depends on the environment)."""
        return self.value is None


@dataclass(frozen=True)
class Assignment:
    """``NAME=value`` (``value`` None for a bare ``export NAME``); ``span`` covers it all.

    For an assignment that was one quoted word (``env "K=V"``), ``value`` is the rest of that
    word after ``=``, closing quote included in its raw text.
    """

    name: str
    value: ShellWord | None
    span: Span
    logical: tuple[int, int] = (0, 0)
    append: bool = False  # NAME+=value


@dataclass(frozen=True)
class SimpleCommand:
    """A simple command with prefixes unwrapped.

    ``env [-i] [-u N] [K=V …] cmd``, ``exec cmd``, ``command cmd``, ``sudo cmd``, ``nohup cmd``,
    ``time cmd`` and ``nice cmd`` (each without options of its own, except env's) are
    unwrapped: their ``K=V`` words join ``assignments`` (after inline prefix assignments), the
    wrapper words go to ``wrapper``, and ``words[0]`` is the real command name.

    ``cwd`` is the directory set by preceding ``cd DIR`` commands in the same script (tracked
    through ``&&``/``;`` lists; subshells, pipelines and ``$(…)`` do not leak out). A relative
    ``cwd`` is relative to the instruction's WORKDIR. ``cwd`` None with ``cwd_unknown`` False
    means no ``cd`` happened (the WORKDIR applies); ``cwd_unknown`` means a ``cd`` this view
    cannot evaluate came before. ``clears_env`` is True under ``env -i``.

    ``unconditional`` is True when every successful run of the script runs the command: it is
    not inside ``if``/``case``/a loop (conditions included) or a function body, not on the
    right side of ``||``, and not on the right side of ``&&`` unless that chain's exit status
    is the script's (it is the last statement, also through ``( … )`` and ``{ … }``, and not
    negated, backgrounded or piped into another command). Commands inside ``$(…)``, pipelines
    and subshells count like the statement holding them; an earlier ``exit`` is not followed.
    An exec-form command is unconditional.
    """

    assignments: tuple[Assignment, ...]
    words: tuple[ShellWord, ...]
    span: Span
    cwd: str | None
    wrapper: tuple[ShellWord, ...] = ()
    logical: tuple[int, int] = (0, 0)
    cwd_unknown: bool = False
    clears_env: bool = False
    unconditional: bool = True

    @property
    def name(self) -> str | None:
        """Literal command name (``words[0].value``), or None."""
        return self.words[0].value if self.words else None

    @property
    def argv_values(self) -> tuple[str | None, ...]:
        """Literal value of each word (None for non-literal words)."""
        return tuple(w.value for w in self.words)

    @property
    def args(self) -> tuple[ShellWord, ...]:
        return self.words[1:]

    def is_command(self, name: str, *args: str) -> bool:
        """Is this ``name args…`` (``is_command("go", "build")``)? ``name`` without a ``/``
        matches any path to it (``/usr/local/go/bin/go``, ``$GOROOT/bin/go``); ``args`` must
        be the literal words right after it."""
        if len(self.words) < 1 + len(args):
            return False
        first = self.words[0]
        if first.value != name and ("/" in name or first.basename != name):
            return False
        return all(w.value == a for w, a in zip(self.words[1:], args, strict=False))

    def flag(self, name: str) -> ShellWord | None:
        """The first argument word that is option ``name`` (``-t``, ``--virtual``), alone or as
        ``name=value``; None when there is none. Options end at ``--``. This view does not know
        which options take a value, so a value spelled like an option counts as one."""
        for w in self.args:
            v = w.value
            if v == "--":
                return None
            if v is not None and (v == name or v.startswith(name + "=")):
                return w
        return None

    def positionals(self, value_options: Collection[str] = ()) -> tuple[ShellWord, ...]:
        """The argument words that are not options, getopt_long style (options and operands
        may mix): a literal word starting with ``-`` (not ``-`` itself) is an option, and the
        word after an option in ``value_options`` is its value; every word after ``--`` is an
        operand. A non-literal word is an operand."""
        out: list[ShellWord] = []
        words = self.args
        i = 0
        while i < len(words):
            v = words[i].value
            if v == "--":
                out.extend(words[i + 1 :])
                break
            if v is not None and v.startswith("-") and v != "-":
                i += 2 if v in value_options else 1
                continue
            out.append(words[i])
            i += 1
        return tuple(out)

    def shown(self, limit: int = 72) -> str:
        """The command as a user would type it, shortened to ``limit`` characters for
        messages (literal words quoted when empty or holding spaces)."""
        parts: list[str] = []
        for w in self.words:
            v = w.value if w.value is not None else w.text
            quote = w.value is not None and (not v or any(c.isspace() for c in v))
            parts.append(f'"{v}"' if quote else v)
        text = " ".join(" ".join(parts).split())
        return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Export:
    """One ``NAME[=value]`` of ``export …`` / ``declare -x …`` / ``typeset -x …``.

    ``span`` covers the assignment; ``command_span`` the whole declaration command (use
    `removal_span` to delete either cleanly).
    """

    assignment: Assignment
    span: Span
    command_span: Span
    logical: tuple[int, int] = (0, 0)
    command_logical: tuple[int, int] = (0, 0)
    keyword: str = "export"


@dataclass(frozen=True)
class HeredocMarker:
    """A heredoc operator (``<<EOF``, ``<<-EOF``, ``<<'EOF'``, ``0<<EOF``) whose body is not
    part of the parsed text; it was blanked before parsing."""

    name: str
    span: Span
    logical: tuple[int, int]
    strip_tabs: bool
    quoted: bool
    fd: int | None


class _TreeInfo:
    """Private parse artefacts kept for `removal_span`."""

    __slots__ = ("b2c", "comments", "index", "markers", "root")

    def __init__(
        self,
        root: Node,
        b2c: list[int] | None,
        comments: tuple[tuple[int, int], ...],
        markers: tuple[tuple[int, int], ...],
        index: dict[tuple[str, int, int], _Stmt | _InWords],
    ) -> None:
        self.root = root
        self.b2c = b2c
        self.comments = comments
        self.markers = markers
        self.index = index


@dataclass(frozen=True)
class ShellScript:
    """The shell view of one script (a RUN body, a ``sh -c`` argument or a heredoc body)."""

    commands: tuple[SimpleCommand, ...]
    exports: tuple[Export, ...]
    has_errors: bool
    errors: tuple[str, ...]
    source: LogicalText
    variables: tuple[Assignment, ...] = ()  # bare NAME=value statements (not exported)
    heredoc_markers: tuple[HeredocMarker, ...] = ()
    file_text: str | None = field(default=None, compare=False, repr=False)
    _tree: _TreeInfo | None = field(default=None, compare=False, repr=False)

    def commands_named(self, name: str) -> Iterator[SimpleCommand]:
        """Commands whose name is ``name``; without a ``/`` in ``name`` any path matches too
        (``/usr/local/go/bin/go`` and ``$GOROOT/bin/go`` are both ``go``)."""
        for cmd in self.commands:
            if not cmd.words:
                continue
            first = cmd.words[0]
            if first.value == name or ("/" not in name and first.basename == name):
                yield cmd


# --------------------------------------------------------------------------------------------
# RUN instruction protocols (satisfied by rewriters.document's classes)


class HeredocLike(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def body(self) -> Span: ...

    @property
    def content(self) -> str: ...


class RunLike(Protocol):
    @property
    def json(self) -> bool: ...

    @property
    def rest(self) -> LogicalText | None: ...

    @property
    def json_values(self) -> tuple[LogicalText, ...]: ...

    @property
    def heredocs(self) -> Sequence[HeredocLike]: ...


# --------------------------------------------------------------------------------------------
# Internals

_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_EXPANSION_TYPES = frozenset(
    {"simple_expansion", "expansion", "command_substitution", "arithmetic_expansion",
     "process_substitution"}
)  # fmt: skip
_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"})
_SIMPLE_WRAPPERS = frozenset({"exec", "command", "sudo", "nohup", "time", "nice"})
_CONTROL_TYPES = frozenset(
    {"if_statement", "while_statement", "for_statement", "c_style_for_statement",
     "case_statement", "until_statement"}
)  # fmt: skip
_ISOLATED_TYPES = frozenset(
    {"subshell", "command_substitution", "process_substitution", "function_definition"}
)
_DQ_ESCAPABLE = frozenset('$`"\\\n')
_ANSI_ESCAPES = {
    "n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b",
    "f": "\f", "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?",
}  # fmt: skip
_BRACE_RE = re.compile(r"\{[^{}\x00]*(,|\.\.)[^{}\x00]*\}")
_COMMENT_LINE_RE = re.compile(r"\n.*\S", re.S)


@dataclass(slots=True)
class _Piece:
    """Logical ``[start, end)`` producing ``value`` (None: an expansion) after quote removal."""

    start: int
    end: int
    value: str | None
    quoted: bool
    names: tuple[str, ...] = ()
    ref: VarRef | None = None


@dataclass(slots=True)
class _Cwd:
    cwd: str | None = None
    unknown: bool = False

    def copy(self) -> _Cwd:
        return _Cwd(self.cwd, self.unknown)

    def set_unknown(self) -> None:
        self.cwd = None
        self.unknown = True


@dataclass(frozen=True)
class _Stmt:
    node: Node


@dataclass(frozen=True)
class _InWords:
    """Item ``index`` of ``ranges`` (the words of one command); removing every index in
    ``names`` removes ``owner`` as a statement instead (None: the command stays)."""

    ranges: tuple[tuple[int, int], ...]
    index: int
    owner: Node | None = None
    names: frozenset[int] = frozenset()


@dataclass(frozen=True)
class _RawMarker:
    start: int
    end: int
    name: str
    strip_tabs: bool
    quoted: bool
    fd: int | None


def _utf8_len(ch: str) -> int:
    o = ord(ch)
    return 1 if o < 0x80 else 2 if o < 0x800 else 3 if o < 0x10000 else 4


def _byte_to_char(text: str) -> list[int] | None:
    """Map UTF-8 byte offsets of ``text`` to str indices (None when the text is ASCII)."""
    if text.isascii():
        return None
    table: list[int] = []
    for i, ch in enumerate(text):
        table.extend([i] * _utf8_len(ch))
    table.append(len(text))
    return table


def _find_heredoc_markers(text: str) -> list[_RawMarker]:
    """Heredoc operators outside quotes and comments (``<<<`` here-strings excluded)."""
    out: list[_RawMarker] = []
    if "<<" not in text:  # the common case; only the ``<<`` branch below adds a marker
        return out
    n = len(text)
    i = 0
    in_word = False
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            in_word = True
            continue
        if c == "'":
            j = text.find("'", i + 1)
            i = n if j < 0 else j + 1
            in_word = True
            continue
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            in_word = True
            continue
        if c == "#" and not in_word:
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if text.startswith("$((", i) or (text.startswith("((", i) and not in_word):
            depth = 0
            j = i + (1 if c == "$" else 0)
            while j < n:
                if text[j] == "(":
                    depth += 1
                elif text[j] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            i = j + 1
            in_word = True
            continue
        if text.startswith("<<<", i):
            i += 3
            in_word = False
            continue
        if text.startswith("<<", i):
            start, fd = i, None
            k = i
            while k > 0 and text[k - 1].isdigit():
                k -= 1
            if k < i and (k == 0 or text[k - 1] in " \t\n;&|()"):
                start, fd = k, int(text[k:i])
            j = i + 2
            strip = j < n and text[j] == "-"
            if strip:
                j += 1
            while j < n and text[j] in " \t":
                j += 1
            delim_start = j
            chars: list[str] = []
            quoted = False
            while j < n and text[j] not in " \t\r\n;&|<>()":
                ch = text[j]
                if ch in "'\"":
                    quoted = True
                    e = text.find(ch, j + 1)
                    e = n if e < 0 else e
                    chars.append(text[j + 1 : e])
                    j = e + 1
                elif ch == "\\" and j + 1 < n:
                    quoted = True
                    chars.append(text[j + 1])
                    j += 2
                else:
                    chars.append(ch)
                    j += 1
            j = min(j, n)
            if j > delim_start:
                out.append(_RawMarker(start, j, "".join(chars), strip, quoted, fd))
            i = max(j, i + 2)
            in_word = False
            continue
        in_word = c not in " \t\r\n;&|()<>"
        i += 1
    return out


def _has_body(text: str, marker: _RawMarker) -> bool:
    nl = text.find("\n", marker.end)
    if nl < 0:
        return False
    for line in text[nl + 1 :].split("\n"):
        candidate = line.rstrip("\r")
        if marker.strip_tabs:
            candidate = candidate.lstrip("\t")
        if candidate == marker.name:
            return True
    return False


def _decode_ansi_c(body: str) -> str | None:
    """Decode the inside of ``$'…'``; None for escapes this view does not evaluate."""
    out: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\" or i + 1 >= len(body):
            out.append(c)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt in _ANSI_ESCAPES:
            out.append(_ANSI_ESCAPES[nxt])
            i += 2
        elif nxt in "xuU":
            limit = {"x": 2, "u": 4, "U": 8}[nxt]
            m = re.match(f"[0-9A-Fa-f]{{1,{limit}}}", body[i + 2 :])
            if m is None:
                return None
            out.append(chr(int(m.group(0), 16)))
            i += 2 + len(m.group(0))
        elif nxt in "01234567":
            m = re.match(r"[0-7]{1,3}", body[i + 1 :])
            assert m is not None
            out.append(chr(int(m.group(0), 8)))
            i += 1 + len(m.group(0))
        else:
            return None
    return "".join(out)


class _Builder:
    """Walks one tree and builds the dataclasses."""

    def __init__(self, src: LogicalText, b2c: list[int] | None) -> None:
        self.src = src
        self.text = src.text
        self.b2c = b2c
        self.commands: list[SimpleCommand] = []
        self.exports: list[Export] = []
        self.variables: list[Assignment] = []
        self.comments: list[tuple[int, int]] = []
        self.index: dict[tuple[str, int, int], _Stmt | _InWords] = {}
        self.unconditional: set[tuple[int, int]] = set()  # byte ranges of command nodes

    # -- offsets ---------------------------------------------------------------------------

    def pos(self, byte: int) -> int:
        return byte if self.b2c is None else self.b2c[byte]

    def rng(self, node: Node) -> tuple[int, int]:
        return self.pos(node.start_byte), self.pos(node.end_byte)

    def span(self, start: int, end: int) -> Span:
        if not self.src.segments:
            return Span(0, 0)
        return self.src.span(start, end)

    # -- words -----------------------------------------------------------------------------

    def unquoted(self, s: int, e: int, quoted: bool = False) -> list[_Piece]:
        out: list[_Piece] = []
        t = self.text
        i = s
        while i < e:
            if t[i] == "\\" and i + 1 < e:
                out.append(_Piece(i, i + 2, "" if t[i + 1] == "\n" else t[i + 1], True))
                i += 2
            else:
                out.append(_Piece(i, i + 1, t[i], quoted))
                i += 1
        return out

    def dq_content(self, s: int, e: int) -> list[_Piece]:
        out: list[_Piece] = []
        t = self.text
        i = s
        while i < e:
            if t[i] == "\\" and i + 1 < e and t[i + 1] in _DQ_ESCAPABLE:
                out.append(_Piece(i, i + 2, "" if t[i + 1] == "\n" else t[i + 1], True))
                i += 2
            else:
                out.append(_Piece(i, i + 1, t[i], True))
                i += 1
        return out

    def expansion_names(self, node: Node) -> list[str]:
        names: list[str] = []
        for child in node.children:
            if child.type in ("simple_expansion", "expansion"):
                names.extend(self.expansion_names(child))
            elif child.type in ("variable_name", "special_variable_name") and node.type in (
                "simple_expansion",
                "expansion",
            ):
                s, e = self.rng(child)
                names.append(self.text[s:e])
            elif child.type not in ("command_substitution", "process_substitution"):
                names.extend(self.expansion_names(child))
        return names

    def pieces(self, node: Node, quoted: bool = False) -> list[_Piece]:
        t = node.type
        s, e = self.rng(node)
        if t in _EXPANSION_TYPES:
            out: list[_Piece] = []
            while s < e and self.text[s] in " \t\n":  # tree-sitter puts " $X" in one node
                out.append(_Piece(s, s + 1, self.text[s], quoted))
                s += 1
            names = tuple(dict.fromkeys(self.expansion_names(node)))
            ref = None
            if t in ("simple_expansion", "expansion"):
                var = next(
                    (
                        c
                        for c in node.children
                        if c.type in ("variable_name", "special_variable_name")
                    ),
                    None,
                )
                if var is not None:
                    vs, ve = self.rng(var)
                    simple = t == "simple_expansion" or [c.type for c in node.children] == [
                        "${",
                        var.type,
                        "}",
                    ]
                    ref = VarRef(self.text[vs:ve], self.span(s, e), (s, e), simple)
            out.append(_Piece(s, e, None, quoted, names, ref))
            return out
        if t == "raw_string":
            return [
                _Piece(s, s + 1, "", True),
                *(_Piece(i, i + 1, self.text[i], True) for i in range(s + 1, e - 1)),
                _Piece(e - 1, e, "", True),
            ]
        if t in ("string", "translated_string"):
            open_len = 2 if self.text.startswith('$"', s) else 1
            out = [_Piece(s, s + open_len, "", True)]
            pos = s + open_len
            for child in node.children:
                cs, ce = self.rng(child)
                if cs < pos or ce > e - 1 or not child.is_named or child.type == "string_content":
                    continue
                out.extend(self.dq_content(pos, cs))
                out.extend(self.pieces(child, quoted=True))
                pos = ce
            out.extend(self.dq_content(pos, e - 1))
            out.append(_Piece(e - 1, e, "", True))
            return out
        if t == "ansi_c_string":
            value = _decode_ansi_c(self.text[s + 2 : e - 1])
            return [_Piece(s, e, value, True)]
        if t in ("concatenation", "command_name"):
            return self.sequence(node.children, s, e, quoted)
        if t in ("word", "number") or (node.child_count == 0 and t != "$"):
            return self.unquoted(s, e, quoted)
        return [_Piece(s, e, None, quoted)]

    def sequence(self, nodes: Sequence[Node], s: int, e: int, quoted: bool) -> list[_Piece]:
        out: list[_Piece] = []
        pos = s
        for k, child in enumerate(nodes):
            cs, ce = self.rng(child)
            if cs > pos:
                out.extend(self.unquoted(pos, cs, quoted))
            if child.type == "$" and k + 1 < len(nodes) and nodes[k + 1].type == "string":
                out.append(_Piece(cs, ce, "", True))  # $"…" (translated string)
            elif child.type == "$":
                out.append(_Piece(cs, ce, "$", quoted))
            else:
                out.extend(self.pieces(child, quoted))
            pos = max(pos, ce)
        if pos < e:
            out.extend(self.unquoted(pos, e, quoted))
        return out

    def word(self, pieces: list[_Piece], s: int, e: int) -> ShellWord:
        literal = all(p.value is not None for p in pieces)
        if pieces and pieces[0].value == "~" and not pieces[0].quoted:
            literal = False
            pieces = [_Piece(pieces[0].start, pieces[0].end, None, False, ("HOME",)), *pieces[1:]]
        if literal:
            mask = "".join(
                (p.value or "") if not p.quoted and len(p.value or "") == 1 else "\x00"
                for p in pieces
            )
            if _BRACE_RE.search(mask):
                literal = False
        value = "".join(p.value or "" for p in pieces) if literal else None
        names: dict[str, None] = {}
        for p in pieces:
            for n in p.names:
                names[n] = None
        refs = tuple(p.ref for p in pieces if p.ref is not None)
        basename: str | None = None  # literal last path component
        if value is not None:
            basename = posixpath.basename(value)
        else:
            base: list[str] = []
            for p in reversed(pieces):
                if p.value is None:
                    break
                if p.value == "/":
                    basename = "".join(reversed(base))
                    break
                base.append(p.value)
        return ShellWord(
            self.text[s:e], value, self.span(s, e), (s, e), tuple(names), refs, basename
        )

    def word_of(self, nodes: Sequence[Node]) -> tuple[ShellWord, list[_Piece]]:
        s = self.rng(nodes[0])[0]
        e = self.rng(nodes[-1])[1]
        pieces = self.sequence(nodes, s, e, False)
        return self.word(pieces, s, e), pieces

    # -- assignments -----------------------------------------------------------------------

    def assignment(self, node: Node) -> Assignment:
        s, e = self.rng(node)
        name_node = node.child_by_field_name("name")
        op_index = next(
            (k for k, c in enumerate(node.children) if not c.is_named and c.type in ("=", "+=")),
            None,
        )
        name = self.text[slice(*self.rng(name_node))] if name_node is not None else ""
        if op_index is None:
            return Assignment(name, None, self.span(s, e), (s, e))
        op = node.children[op_index]
        value_nodes = node.children[op_index + 1 :]
        op_end = self.rng(op)[1]
        if value_nodes:
            value, _ = self.word_of(value_nodes)
        else:
            value = ShellWord("", "", self.span(op_end, op_end), (op_end, op_end), basename="")
        return Assignment(name, value, self.span(s, e), (s, e), append=op.type == "+=")

    def split_assignment(
        self, pieces: list[_Piece], s: int, e: int, strict: bool
    ) -> Assignment | None:
        """``K=V`` from one word (``env K=V``, ``export "K=V"``); None when it is not one."""
        for k, p in enumerate(pieces):
            if p.value is None:
                return None
            if p.value == "=":
                name = "".join(q.value or "" for q in pieces[:k])
                if not name or (strict and not _NAME_RE.match(name)):
                    return None
                vs = p.end
                value = self.word(pieces[k + 1 :], vs, e)
                return Assignment(name, value, self.span(s, e), (s, e))
        return None

    # -- commands --------------------------------------------------------------------------

    def _words_after_redirects(self, node: Node) -> list[list[Node]]:
        """Arguments written after a redirection (``go get 2>/dev/null ./...``).

        The shell passes them to the command, but tree-sitter-bash hangs them on the redirect
        node as further ``destination`` children; only the first destination is the target.
        """
        cur = node
        parent = node.parent
        # tree-sitter-bash hangs `a && b > f x` on the whole list; the redirect is b's
        while parent is not None and parent.type in ("list", "pipeline"):
            named = [c for c in parent.children if c.is_named]
            if not named or named[-1].id != cur.id:
                return []
            cur, parent = parent, parent.parent
        if parent is None or parent.type != "redirected_statement":
            return []
        extra: list[list[Node]] = []
        for i, child in enumerate(parent.children):
            if parent.field_name_for_child(i) != "redirect" or child.type != "file_redirect":
                continue
            dests = [
                c
                for k, c in enumerate(child.children)
                if child.field_name_for_child(k) == "destination"
            ]
            for d in dests[1:]:
                if extra and extra[-1][-1].end_byte == d.start_byte:
                    extra[-1].append(d)
                else:
                    extra.append([d])
        return extra

    def command(self, node: Node, st: _Cwd) -> SimpleCommand:
        assignments: list[Assignment] = []
        groups: list[list[Node]] = []
        item_ranges: list[tuple[int, int]] = []
        prefix_keys: list[tuple[str, int, int]] = []
        for i, child in enumerate(node.children):
            fname = node.field_name_for_child(i)
            if child.type == "variable_assignment" and fname is None:
                a = self.assignment(child)
                assignments.append(a)
                item_ranges.append(a.logical)
                prefix_keys.append(("assign", *a.logical))
            elif fname == "name":
                groups.append([child])
            elif fname == "argument":
                adjacent = groups and groups[-1][-1].end_byte == child.start_byte
                if adjacent and self.text[self.rng(child)[0]] not in " \t\n":
                    groups[-1].append(child)
                else:
                    groups.append([child])
        groups.extend(self._words_after_redirects(node))
        words: list[tuple[ShellWord, list[_Piece]]] = [self.word_of(g) for g in groups]
        item_ranges.extend(w.logical for w, _ in words)
        wrapper: list[ShellWord] = []
        clears_env = False
        i = 0
        while i < len(words):
            head = words[i][0]
            base = posixpath.basename(head.value) if head.value else None
            if base == "env":
                j = i + 1
                clears = False
                ok = True
                while j < len(words):
                    v = words[j][0].value
                    if v is None:
                        break
                    if v in ("-i", "-", "--ignore-environment"):
                        clears = True
                        j += 1
                    elif v == "-u":
                        j += 2
                    elif v.startswith(("--unset=", "-u")) and len(v) > 2:
                        j += 1
                    elif v == "--":
                        j += 1
                        break
                    elif v.startswith("-"):
                        ok = False
                        break
                    else:
                        break
                if not ok:
                    break
                env_assign: list[Assignment] = []
                k = j
                while k < len(words):
                    w, pcs = words[k]
                    a2 = self.split_assignment(pcs, *w.logical, strict=False)
                    if a2 is None:
                        break
                    env_assign.append(a2)
                    k += 1
                if k >= len(words):
                    break  # plain `env` prints the environment: not a wrapper
                wrapper.extend(w for w, _ in words[i:j])
                assignments.extend(env_assign)
                prefix_keys.extend(("assign", *a.logical) for a in env_assign)
                clears_env = clears_env or clears
                i = k
                continue
            if base in _SIMPLE_WRAPPERS and i + 1 < len(words):
                nxt = words[i + 1][0].value
                if nxt is not None and not nxt.startswith("-"):
                    wrapper.append(head)
                    i += 1
                    continue
            break
        ranges = tuple(item_ranges)
        for key in prefix_keys:
            self.index[key] = _InWords(ranges, ranges.index((key[1], key[2])))
        s, e = self.rng(node)
        cmd = SimpleCommand(
            assignments=tuple(assignments),
            words=tuple(w for w, _ in words[i:]),
            span=self.span(s, e),
            cwd=st.cwd,
            wrapper=tuple(wrapper),
            logical=(s, e),
            cwd_unknown=st.unknown,
            clears_env=clears_env,
            unconditional=(node.start_byte, node.end_byte) in self.unconditional,
        )
        self.index[("command", s, e)] = _Stmt(node)
        if not wrapper and not assignments and cmd.name in ("export", "declare", "typeset"):
            # tree-sitter parses `! export A=1` as a plain command
            items: list[tuple[tuple[int, int], str | None, Assignment | None]] = []
            for w, pcs in words[1:]:
                v = w.value
                if v is not None and v[:1] in "-+":
                    items.append((w.logical, v, None))
                elif v is not None and _NAME_RE.match(v):
                    items.append((w.logical, None, Assignment(v, None, w.span, w.logical)))
                else:
                    items.append((w.logical, None, self.split_assignment(pcs, *w.logical, True)))
            self.declare(cmd.name, words[0][0].logical, items, node)
        return cmd

    def apply_cd(self, cmd: SimpleCommand, st: _Cwd) -> None:
        name = cmd.name
        if name == "popd":
            st.set_unknown()
            return
        if name not in ("cd", "pushd"):
            return
        args = list(cmd.words[1:])
        while args and args[0].value in ("-L", "-P", "-e", "-@", "-n"):
            args.pop(0)
        if args and args[0].value == "--":
            args.pop(0)
        if not args:
            st.set_unknown()  # cd with no argument: $HOME
            return
        v = args[0].value
        if v is None or v in ("", "-") or (name == "pushd" and v[:1] in "+-"):
            st.set_unknown()
        elif v.startswith("/"):
            st.cwd, st.unknown = posixpath.normpath(v), False
        elif st.unknown:
            pass
        elif st.cwd is None:
            st.cwd = posixpath.normpath(v)
        else:
            st.cwd = posixpath.normpath(posixpath.join(st.cwd, v))

    def declaration(self, node: Node) -> None:
        keyword = node.children[0].type if node.children else ""
        items: list[tuple[tuple[int, int], str | None, Assignment | None]] = []
        for c in node.children[1:]:
            if not c.is_named or c.type == "comment":
                continue
            s, e = self.rng(c)
            if c.type == "word" and self.text[s] in "-+":
                items.append(((s, e), self.text[s:e], None))
            elif c.type == "variable_assignment":
                items.append(((s, e), None, self.assignment(c)))
            elif c.type == "variable_name":
                items.append(
                    ((s, e), None, Assignment(self.text[s:e], None, self.span(s, e), (s, e)))
                )
            else:
                _, pcs = self.word_of([c])
                items.append(((s, e), None, self.split_assignment(pcs, s, e, strict=True)))
        self.declare(keyword, self.rng(node.children[0]), items, node)

    def declare(
        self,
        keyword: str,
        keyword_range: tuple[int, int],
        items: list[tuple[tuple[int, int], str | None, Assignment | None]],
        node: Node,
    ) -> None:
        """Record the exports of ``keyword item…`` (items: range, flag text, assignment)."""
        flags = [f for _, f, _ in items if f is not None]
        if keyword == "export":
            if any(f.startswith("-") and set(f[1:]) & set("npf") for f in flags):
                return
        elif keyword in ("declare", "typeset"):
            if not any(f.startswith("-") and "x" in f for f in flags):
                return
        else:
            return
        cs, ce = self.rng(node)
        ranges = (keyword_range, *(r for r, _, _ in items))
        names = frozenset(k + 1 for k, (_, f, _) in enumerate(items) if f is None)
        for k, (_, _, a) in enumerate(items):
            if a is None:
                continue
            self.exports.append(Export(a, a.span, self.span(cs, ce), a.logical, (cs, ce), keyword))
            self.index[("export", *a.logical)] = _InWords(ranges, k + 1, node, names)

    # -- traversal -------------------------------------------------------------------------

    def visit(self, node: Node, st: _Cwd) -> None:
        t = node.type
        if t == "comment":
            self.comments.append(self.rng(node))
            return
        if t == "command":
            for child in node.children:
                self.visit(child, st.copy())
            cmd = self.command(node, st)
            self.commands.append(cmd)
            self.apply_cd(cmd, st)
            return
        if t in _ISOLATED_TYPES:
            inner = st.copy()
            for child in node.children:
                self.visit(child, inner)
            return
        if t == "pipeline":
            parts = [c for c in node.children if c.is_named]
            for child in node.children:
                self.visit(child, st.copy() if len(parts) > 1 else st)
            return
        if t == "list":
            self.visit_list(node, st)
            return
        if t in _CONTROL_TYPES:
            before = st.copy()
            for child in node.children:
                self.visit(child, st)
            if st != before:
                st.set_unknown()
            return
        if t == "declaration_command":
            self.declaration(node)
        elif t == "variable_assignment":
            parent = node.parent
            if parent is None or parent.type not in ("command", "declaration_command"):
                a = self.assignment(node)
                self.variables.append(a)
                if parent is not None and parent.type == "variable_assignments":
                    siblings = tuple(self.rng(c) for c in parent.children if c.is_named)
                    self.index[("assign", *a.logical)] = _InWords(
                        siblings,
                        siblings.index(a.logical),
                        parent,
                        frozenset(range(len(siblings))),
                    )
                else:
                    self.index[("assign", *a.logical)] = _Stmt(node)
            for child in node.children:
                self.visit(child, st.copy())
            return
        for child in node.children:
            self.visit(child, st)

    def visit_list(self, node: Node, st: _Cwd) -> None:
        op = next((c for c in node.children if c.type in ("&&", "||")), None)
        operands = [c for c in node.children if c.is_named and c.type != "comment"]
        for c in node.children:
            if c.type == "comment":
                self.comments.append(self.rng(c))
        if op is None or op.type == "&&" or len(operands) != 2:
            for child in operands:
                self.visit(child, st)
            return
        left, right = operands
        before = st.copy()
        self.visit(left, st)
        right_st = before.copy()
        self.visit(right, right_st)
        if st == before and right_st == before:
            return
        exits = right.type == "command" and self._command_word(right) in ("exit", "return", "false")
        if not (exits and right_st == before):
            st.set_unknown()

    def _command_word(self, node: Node) -> str | None:
        name = node.child_by_field_name("name")
        if name is None:
            return None
        s, e = self.rng(name)
        return self.text[s:e]


_CONDITIONAL_TYPES = _CONTROL_TYPES | {"function_definition", "elif_clause", "else_clause"}
_SEQUENCES = frozenset({"program", "subshell", "compound_statement"})


def _mark_unconditional(node: Node, runs: bool, decides: bool, out: set[tuple[int, int]]) -> None:
    """Collect the byte ranges of the command nodes every successful run executes.

    ``runs``: the node runs whenever the script succeeds; ``decides``: the node's exit status
    is the script's (so its success is implied by the script's, see `SimpleCommand`).
    """
    t = node.type
    if not runs or t in _CONDITIONAL_TYPES:
        return  # nothing below is unconditional
    named = [c for c in node.children if c.is_named and c.type != "comment"]
    if t == "command":
        out.add((node.start_byte, node.end_byte))
        for c in named:
            _mark_unconditional(c, runs, False, out)
        return
    if t in _SEQUENCES:
        last = named[-1] if named else None
        for c in named:
            nxt = c.next_sibling
            background = nxt is not None and nxt.type == "&"
            _mark_unconditional(c, runs, decides and c is last and not background, out)
        return
    if t == "list":
        op = next((c for c in node.children if c.type in ("&&", "||")), None)
        if op is None or len(named) != 2:
            for c in named:
                _mark_unconditional(c, runs, False, out)
            return
        left, right = named
        if op.type == "&&":
            # the script succeeding implies the chain did, so both sides ran
            _mark_unconditional(left, runs, decides, out)
            _mark_unconditional(right, decides, decides, out)
        else:
            _mark_unconditional(left, runs, False, out)
        return
    if t == "pipeline":
        for c in named:
            _mark_unconditional(c, runs, decides and c is named[-1], out)
        return
    if t == "redirected_statement":
        body = node.child_by_field_name("body")
        for c in named:
            _mark_unconditional(c, runs, decides and c == body, out)
        return
    for c in named:  # negation, assignments, words, substitutions: they run, status not kept
        _mark_unconditional(c, runs, False, out)


def _errors(node: Node, b: _Builder) -> list[str]:
    out: list[str] = []
    if node.is_missing:
        s, _ = b.rng(node)
        off = b.span(s, s).start
        out.append(f"missing {node.type!r} at offset {off}")
        return out
    if node.type == "ERROR":
        s, e = b.rng(node)
        off = b.span(s, s).start
        snippet = b.text[s:e]
        if len(snippet) > 40:
            snippet = snippet[:37] + "..."
        out.append(f"syntax error at offset {off} near {snippet!r}")
    for child in node.children:
        if child.has_error or child.is_missing:
            out.extend(_errors(child, b))
    return out


# --------------------------------------------------------------------------------------------
# Public functions


def parse_shell(src: LogicalText, file_text: str | None = None) -> ShellScript:
    """Parse ``src.text`` as a POSIX/bash script; all spans map to the file through ``src``.

    ``file_text`` (the whole file) is optional; `removal_span` uses it to check that a deletion
    crossing a continuation does not remove comment lines.
    """
    text = src.text
    raw_markers = [m for m in _find_heredoc_markers(text) if not _has_body(text, m)]
    parsed = text
    if raw_markers:
        chars = list(text)
        for m in raw_markers:
            chars[m.start : m.end] = " " * (m.end - m.start)
        parsed = "".join(chars)
    tree = _parser().parse(parsed.encode("utf-8", "surrogatepass"))
    b = _Builder(src, _byte_to_char(parsed))
    root = tree.root_node
    _mark_unconditional(root, True, True, b.unconditional)
    b.visit(root, _Cwd())
    errors = tuple(_errors(root, b)) if root.has_error else ()
    if root.has_error and not errors:
        errors = ("syntax error",)
    markers = tuple(
        HeredocMarker(
            m.name, b.span(m.start, m.end), (m.start, m.end), m.strip_tabs, m.quoted, m.fd
        )
        for m in raw_markers
    )
    info = _TreeInfo(
        root,
        b.b2c,
        tuple(sorted(b.comments)),
        tuple((m.start, m.end) for m in raw_markers),
        b.index,
    )
    return ShellScript(
        commands=tuple(sorted(b.commands, key=lambda c: (c.logical[0], -c.logical[1]))),
        exports=tuple(sorted(b.exports, key=lambda x: x.logical)),
        has_errors=root.has_error,
        errors=errors,
        source=src,
        variables=tuple(sorted(b.variables, key=lambda a: a.logical)),
        heredoc_markers=markers,
        file_text=file_text,
        _tree=info,
    )


# --------------------------------------------------------------------------------------------
# Removal


_SEQUENCE_TYPES = frozenset(
    {"program", "subshell", "compound_statement", "do_group", "else_clause", "if_statement",
     "elif_clause"}
)  # fmt: skip
_OPENERS = {"subshell": "(", "compound_statement": "{", "do_group": "do", "else_clause": "else"}
_CLOSERS = {"subshell": ")", "compound_statement": "}", "do_group": "done"}

Removable = SimpleCommand | Export | Assignment


class _Remover:
    def __init__(self, script: ShellScript, info: _TreeInfo, file_text: str | None) -> None:
        self.src = script.source
        self.text = script.source.text
        self.info = info
        segs = self.src.segments
        # logical boundaries preceded by skipped file text (continuations, comment lines)
        self.regions: dict[int, str | None] = {}
        for prev, seg in itertools.pairwise(segs):
            if seg.file_start > prev.file_end:
                gap = None if file_text is None else file_text[prev.file_end : seg.file_start]
                self.regions[seg.logical_start] = gap

    def rng(self, node: Node) -> tuple[int, int]:
        b2c = self.info.b2c
        if b2c is None:
            return node.start_byte, node.end_byte
        return b2c[node.start_byte], b2c[node.end_byte]

    # -- choosing a span -------------------------------------------------------------------

    def check(self, a: int, b: int, item: tuple[int, int], partial: bool) -> int | None:
        """Number of continuations crossed by deleting logical ``[a, b)``, None if unsafe."""
        if a >= b:
            return None
        for cs, ce in (*self.info.comments, *self.info.markers):
            if cs < b and a < ce:
                return None
        crossed = 0
        for boundary, gap in self.regions.items():
            if not a < boundary < b:
                continue
            if partial and not item[0] < boundary < item[1]:
                return None
            if gap is None or _COMMENT_LINE_RE.search(gap):
                return None
            crossed += 1
        return crossed

    def hspace_forward(self, pos: int, limit: int) -> int:
        while pos < limit and self.text[pos] in " \t" and pos not in self.regions:
            pos += 1
        return pos

    def hspace_backward(self, pos: int, limit: int) -> int:
        while pos > limit and self.text[pos - 1] in " \t" and pos not in self.regions:
            pos -= 1
        return pos

    def choose(
        self,
        item: tuple[int, int],
        prev_end: int | None,
        next_start: int | None,
        op_before: tuple[int, int] | None,
        op_after: tuple[int, int] | None,
        newline_sep: bool = False,
        words: bool = False,
    ) -> Span | None:
        """Span deleting ``item`` with one neighbouring separator (see `removal_span`)."""
        s, e = item
        full: list[tuple[int, int, int, int]] = []
        if prev_end is not None:
            n = self.check(prev_end, e, item, False)
            if n is not None:
                full.append((n, 0, prev_end, e))
        if next_start is not None:
            n = self.check(s, next_start, item, False)
            if n is not None:
                full.append((n, 1, s, next_start))
        if full:
            _, _, a, b = min(full)
            return self.src.span(a, b)
        # partial deletions: never cross a continuation outside the item itself
        if next_start is not None or words:
            limit = next_start if next_start is not None else len(self.text)
            x = self.hspace_forward(op_after[1] if op_after is not None else e, limit)
            if op_after is None and newline_sep and x < limit and self.text[x] == "\n":
                x += 1
            if self.check(s, x, item, True) is not None:
                return self.src.span(s, x)
        if prev_end is not None and op_before is not None:
            y = self.hspace_backward(op_before[0], prev_end)
            if self.check(y, e, item, True) is not None:
                return self.src.span(y, e)
        return None

    # -- words of one command --------------------------------------------------------------

    def in_words(self, ranges: tuple[tuple[int, int], ...], run: list[int]) -> Span | None:
        i, j = run[0], run[-1]
        prev_end = ranges[i - 1][1] if i > 0 else None
        next_start = ranges[j + 1][0] if j + 1 < len(ranges) else None
        item = (ranges[i][0], ranges[j][1])
        return self.choose(item, prev_end, next_start, None, None, words=True)

    # -- statements ------------------------------------------------------------------------

    @staticmethod
    def lift(node: Node) -> Node:
        parent = node.parent
        if parent is not None and parent.type == "redirected_statement":
            body = parent.child_by_field_name("body")
            if body is not None and body.id == node.id:
                return parent
        return node

    @staticmethod
    def top_list(node: Node) -> Node:
        top = node
        while top.parent is not None and top.parent.type == "list":
            top = top.parent
        return top

    def flatten(self, node: Node, elems: list[Node], ops: list[Node]) -> None:
        if node.type != "list":
            elems.append(node)
            return
        for c in node.children:
            if c.type in ("&&", "||"):
                ops.append(c)
            elif c.is_named and c.type != "comment":
                self.flatten(c, elems, ops)

    def sequence_group(self, parent: Node, member: Node) -> list[Node] | None:
        """The children of ``parent`` forming the statement list that holds ``member``."""
        children = parent.children
        lo, hi = 0, len(children)
        if parent.type in ("if_statement", "elif_clause"):
            then = next((k for k, c in enumerate(children) if c.type == "then"), None)
            if then is None:
                return None
            lo = then + 1
            stops = ("elif_clause", "else_clause", "fi")
            hi = next((k for k in range(lo, hi) if children[k].type in stops), hi)
        else:
            opener = _OPENERS.get(parent.type)
            if opener is not None:
                lo = next((k + 1 for k, c in enumerate(children) if c.type == opener), 0)
            closer = _CLOSERS.get(parent.type)
            if closer is not None:
                hi = next(
                    (k for k in range(len(children) - 1, -1, -1) if children[k].type == closer),
                    hi,
                )
        group = children[lo:hi]
        return group if any(c.id == member.id for c in group) else None

    def statements(self, nodes: list[Node]) -> list[Span] | None:
        removed: dict[int, Node] = {}
        for n in nodes:
            lifted = self.lift(n)
            removed[lifted.id] = lifted
        # a list whose every element goes is itself an element of the enclosing statement list
        changed = True
        while changed:
            changed = False
            for n in list(removed.values()):
                parent = n.parent
                if parent is None or parent.type != "list":
                    continue
                top = self.top_list(n)
                if top.id in removed:
                    continue
                elems: list[Node] = []
                self.flatten(top, elems, [])
                if all(el.id in removed for el in elems):
                    removed[top.id] = top
                    changed = True
        final: list[Node] = []
        for n in removed.values():
            anc = n.parent
            while anc is not None and anc.id not in removed:
                anc = anc.parent
            if anc is None:
                final.append(n)
        containers: dict[int, tuple[Node, list[Node]]] = {}
        for n in final:
            parent = n.parent
            if parent is None:
                return None
            container = self.top_list(n) if parent.type == "list" else parent
            containers.setdefault(container.id, (container, []))[1].append(n)
        spans: list[Span] = []
        for container, members in containers.values():
            if container.type == "list":
                got = self.in_list(container, members)
            elif container.type in _SEQUENCE_TYPES:
                got = self.in_sequence(container, members)
            else:
                return None  # pipeline, negation, condition, substitution, …
            if got is None:
                return None
            spans.extend(got)
        return spans

    @staticmethod
    def runs(indices: list[int]) -> list[list[int]]:
        out: list[list[int]] = []
        for k in sorted(indices):
            if out and out[-1][-1] == k - 1:
                out[-1].append(k)
            else:
                out.append([k])
        return out

    def in_list(self, top: Node, members: list[Node]) -> list[Span] | None:
        elems: list[Node] = []
        ops: list[Node] = []
        self.flatten(top, elems, ops)
        ids = [el.id for el in elems]
        if len(ops) != len(elems) - 1 or any(m.id not in ids for m in members):
            return None
        spans: list[Span] = []
        for run in self.runs([ids.index(m.id) for m in members]):
            i, j = run[0], run[-1]
            if any(op.type != "&&" for op in ops[i:j]):
                return None
            before = ops[i - 1] if i > 0 else None
            after = ops[j] if j < len(ops) else None
            if before is not None and before.type != "&&":
                return None
            fwd_ok = after is not None and after.type == "&&"
            if before is None and not fwd_ok:
                return None
            span = self.choose(
                (self.rng(elems[i])[0], self.rng(elems[j])[1]),
                self.rng(elems[i - 1])[1] if before is not None else None,
                self.rng(elems[j + 1])[0] if fwd_ok else None,
                self.rng(before) if before is not None else None,
                self.rng(after) if fwd_ok and after is not None else None,
            )
            if span is None:
                return None
            spans.append(span)
        return spans

    def in_sequence(self, parent: Node, members: list[Node]) -> list[Span] | None:
        group = self.sequence_group(parent, members[0])
        if group is None:
            return None
        elems = [c for c in group if c.is_named and c.type != "comment"]
        ids = [el.id for el in elems]
        if any(m.id not in ids for m in members):
            return None

        def sep(a: Node, b: Node) -> tuple[str, Node | None]:
            tokens = [
                c
                for c in group
                if not c.is_named and a.end_byte <= c.start_byte and c.end_byte <= b.start_byte
            ]
            if not tokens:
                return "\n", None
            if len(tokens) == 1 and tokens[0].type == ";":
                return ";", tokens[0]
            return "&", None

        spans: list[Span] = []
        for run in self.runs([ids.index(m.id) for m in members]):
            i, j = run[0], run[-1]
            if j == len(elems) - 1:
                return None  # the last statement: its exit status is the list's
            if any(sep(elems[k], elems[k + 1])[0] == "&" for k in range(i, j + 1)):
                return None
            before_tok = None
            prev_end = None
            if i > 0:
                kind, before_tok = sep(elems[i - 1], elems[i])
                if kind == "&":
                    return None
                prev_end = self.rng(elems[i - 1])[1]
            after_kind, after_tok = sep(elems[j], elems[j + 1])
            span = self.choose(
                (self.rng(elems[i])[0], self.rng(elems[j])[1]),
                prev_end,
                self.rng(elems[j + 1])[0],
                self.rng(before_tok) if before_tok is not None else None,
                self.rng(after_tok) if after_tok is not None else None,
                newline_sep=after_kind == "\n",
            )
            if span is None:
                return None
            spans.append(span)
        return spans

    # -- entry points ----------------------------------------------------------------------

    def lookup(self, script: ShellScript, item: Removable) -> _Stmt | _InWords | None:
        index = self.info.index
        entry: _Stmt | _InWords | None
        if isinstance(item, SimpleCommand):
            entry, logical, span = index.get(("command", *item.logical)), item.logical, item.span
        elif isinstance(item, Export):
            a = item.assignment
            entry, logical, span = index.get(("export", *a.logical)), a.logical, a.span
        else:
            entry = index.get(("assign", *item.logical)) or index.get(("export", *item.logical))
            logical, span = item.logical, item.span
        if entry is None or not script.source.segments:
            return None
        if script.source.span(*logical) != span:
            return None  # an item of another script
        return entry

    def remove(self, script: ShellScript, items: Sequence[Removable]) -> list[Span] | None:
        stmts: list[Node] = []
        groups: dict[tuple[tuple[int, int], ...], tuple[_InWords, set[int]]] = {}
        for item in items:
            entry = self.lookup(script, item)
            if entry is None:
                return None
            if isinstance(entry, _Stmt):
                stmts.append(entry.node)
            else:
                groups.setdefault(entry.ranges, (entry, set()))[1].add(entry.index)
        spans: list[Span] = []
        for ranges, (entry, indices) in groups.items():
            if entry.owner is not None and entry.names and entry.names <= indices:
                stmts.append(entry.owner)  # every name goes: remove the whole command
                continue
            for run in self.runs(list(indices)):
                span = self.in_words(ranges, run)
                if span is None:
                    return None
                spans.append(span)
        if stmts:
            got = self.statements(stmts)
            if got is None:
                return None
            spans.extend(got)
        spans.sort()
        if any(a.end > b.start for a, b in itertools.pairwise(spans)):
            return None
        return spans


def removal_spans(
    script: ShellScript, items: Sequence[Removable], file_text: str | None = None
) -> tuple[Span, ...] | None:
    """File spans to delete so that all ``items`` disappear together, or None (all or nothing).

    Use this instead of several `removal_span` calls when removing more than one item of a
    script: neighbouring items are removed as one run (``export A=1 && export B=2 && go build``
    → ``go build``), an ``export`` whose every name goes is removed as a command, and a list
    whose every element goes is removed as one element of the enclosing list. The rules of
    `removal_span` apply to each run; the spans never overlap.
    """
    info = script._tree
    if info is None or script.has_errors or not items:
        return None
    ft = file_text if file_text is not None else script.file_text
    spans = _Remover(script, info, ft).remove(script, items)
    return None if spans is None else tuple(spans)


def removal_span(script: ShellScript, item: Removable, file_text: str | None = None) -> Span | None:
    """File span to delete so that ``item`` disappears cleanly, or None.

    The removed command is assumed to always succeed and to affect nothing but the
    environment (``export``, assignments, ``cd`` …); the caller is responsible for that claim.

    - A `SimpleCommand` (or an `Export` that is the only name of its ``export`` command) is
      removed as a list element together with ONE adjacent operator and the whitespace between:
      ``export A=1 && go build`` → ``go build``, ``go build && export A=1`` → ``go build``,
      ``a; export A=1; b`` → ``a; b``. Only ``&&``, ``;`` and newline neighbours qualify; the
      element must not be the only one, not the last after ``;``/newline (the script's exit
      status would change), not next to ``||``/``&``, and not part of a pipeline, a condition,
      ``!``, a ``$(…)`` or any other construct (those return None). Redirections of the
      command go with it.
    - An `Export` among several names, or an inline/``env`` `Assignment`, is removed with the
      whitespace next to it: ``export A=1 B=2`` → ``export B=2``; ``K=V go`` → ``go``.
    - Continuation rule (the span is one contiguous range of the file): among the candidates
      "previous element's end → this element's end" and "this element's start → next element's
      start", prefer the one that crosses fewer continuation lines (ties: the backward one), so
      ``RUN export A=1 && \\⏎    go build`` → ``RUN go build`` and
      ``RUN go build && \\⏎    export A=1`` → ``RUN go build``, while
      ``RUN a && \\⏎    export A=1 && go build`` → ``RUN a && \\⏎    go build`` keeps its
      layout. A deletion never removes a comment line (of the file, or of the script) nor a
      heredoc operator: when both candidates would, the element is deleted with its operator
      only as far as its own physical line goes (``RUN export A=1 && \\⏎# c⏎ go`` →
      ``RUN \\⏎# c⏎ go``), else None. Checking the skipped file text needs ``file_text``
      (argument, or ``script.file_text``); without it a deletion never crosses a continuation.
    - Scripts with parse errors, exec-form commands (no shell) and items of another script
      always give None.
    """
    spans = removal_spans(script, [item], file_text)
    if spans is None or len(spans) != 1:
        return None
    return spans[0]


# --------------------------------------------------------------------------------------------
# RUN instructions


def _shell_c_script(values: Sequence[LogicalText]) -> int | None:
    """Index of the script argument of ``[shell, opts…, -c, script, …]``, else None."""
    if not values or posixpath.basename(values[0].text) not in _SHELLS:
        return None
    i = 1
    while i < len(values):
        v = values[i].text
        if v == "-c" or (v.startswith("-") and not v.startswith("--") and "c" in v[1:]):
            return i + 1 if i + 1 < len(values) else None
        if v in ("-o", "+o", "-O", "+O"):
            i += 2
        elif v.startswith(("-", "+")):
            i += 1
        else:
            return None
    return None


def _locate_token(
    value: LogicalText, file_text: str, after: int | None, before: int | None
) -> Span | None:
    """File span of a JSON string token, quotes included."""
    if value.segments:
        inner = value.span(0, len(value.text))
        return Span(max(inner.start - 1, 0), inner.end + 1)
    if after is not None:  # empty string: find the next "" after the previous token
        at = file_text.find('""', after)
        if at >= 0 and (before is None or at < before):
            return Span(at, at + 2)
    if before is not None:
        at = file_text.rfind('""', 0, before)
        if at >= 0:
            return Span(at, at + 2)
    return None


def _exec_script(values: Sequence[LogicalText], file_text: str) -> ShellScript:
    """One `SimpleCommand` for exec form ``["go", "get", …]`` (no shell involved).

    Each word's ``span`` is the JSON string token INCLUDING its quotes (the decoded value's
    file span widened by one character on each side); ``text`` is that raw token (continuations
    removed) and ``value`` the decoded string. ``source`` is the concatenation of the raw tokens.
    """
    spans: list[Span | None] = [None] * len(values)
    prev: int | None = None
    for k, v in enumerate(values):
        next_tok = next(
            (w.span(0, len(w.text)).start - 1 for w in values[k + 1 :] if w.segments), None
        )
        tok = _locate_token(v, file_text, prev, next_tok)
        spans[k] = tok
        if tok is not None:
            prev = tok.end
    pieces: list[tuple[int, int]] = []
    word_pieces: list[tuple[int, int, list[_Piece]]] = []
    pos = 0
    for v, located in zip(values, spans, strict=True):
        if located is None:
            continue
        tok = located
        start = pos
        pcs = [_Piece(pos, pos + 1, "", True)]
        pieces.append((tok.start, tok.start + 1))
        pos += 1
        for seg in v.segments:
            pieces.append((seg.file_start, seg.file_end))
            if seg.file_length < 0:
                for off in range(seg.length):
                    pcs.append(_Piece(pos, pos + 1, v.text[seg.logical_start + off], True))
                    pos += 1
            else:
                flen = seg.file_end - seg.file_start
                pcs.append(_Piece(pos, pos + flen, v.text[seg.logical_start], True))
                pos += flen
        pieces.append((tok.end - 1, tok.end))
        pcs.append(_Piece(pos, pos + 1, "", True))
        pos += 1
        word_pieces.append((start, pos, pcs))
    source = LogicalText.build(file_text, pieces)
    if not word_pieces:
        return ShellScript((), (), False, (), source, file_text=file_text)
    b = _Builder(source, None)
    words = [(b.word(pcs, s, e), pcs) for s, e, pcs in word_pieces]
    assignments: list[Assignment] = []
    wrapper: list[ShellWord] = []
    clears = False
    i = 0
    while i < len(words):
        head = words[i][0].value
        base = posixpath.basename(head) if head else None
        if base == "env":
            j = i + 1
            while j < len(words) and words[j][0].value in ("-i", "-", "--ignore-environment"):
                clears = True
                j += 1
            k = j
            found: list[Assignment] = []
            while k < len(words):
                a = b.split_assignment(words[k][1], *words[k][0].logical, strict=False)
                if a is None:
                    break
                found.append(a)
                k += 1
            if k >= len(words):
                break
            wrapper.extend(w for w, _ in words[i:j])
            assignments.extend(found)
            i = k
            continue
        if base in _SIMPLE_WRAPPERS and i + 1 < len(words):
            nxt = words[i + 1][0].value
            if nxt is not None and not nxt.startswith("-"):
                wrapper.append(words[i][0])
                i += 1
                continue
        break
    first, last = word_pieces[0][0], word_pieces[-1][1]
    cmd = SimpleCommand(
        assignments=tuple(assignments),
        words=tuple(w for w, _ in words[i:]),
        span=source.span(first, last),
        cwd=None,
        wrapper=tuple(wrapper),
        logical=(first, last),
        clears_env=clears,
    )
    return ShellScript((cmd,), (), False, (), source, file_text=file_text)


def _shebang_is_shell(body: str) -> bool:
    if not body.startswith("#!"):
        return True
    parts = body[2:].split("\n", 1)[0].split()
    if not parts:
        return True
    interp = posixpath.basename(parts[0])
    if interp == "env" and len(parts) > 1:
        interp = posixpath.basename(parts[1])
    return interp in _SHELLS


def _stdin_shell(script: ShellScript) -> bool:
    """``sh|bash|ash|… [-opts]`` alone, reading its script from stdin."""
    if len(script.commands) != 1 or script.exports or script.variables or script.has_errors:
        return False
    cmd = script.commands[0]
    if cmd.assignments or not cmd.words or cmd.words[0].basename not in _SHELLS:
        return False
    args = [w.value for w in cmd.words[1:]]
    i = 0
    while i < len(args):
        v = args[i]
        if v is None or not v.startswith(("-", "+")):
            return False
        if v in ("-o", "+o"):
            i += 2
            continue
        if not v.startswith("--") and "c" in v[1:]:
            return False
        i += 1
    return True


def scripts_for_run(instr: RunLike, file_text: str) -> tuple[ShellScript, ...]:
    """Every shell script a RUN instruction runs, with file offsets (memoised per instruction).

    Several rules ask for the same instruction's scripts; the parse is kept on the
    (immutable) instruction object together with the text it was made from, so it lives
    exactly as long as the document.
    """
    cached = getattr(instr, "_gocomply_scripts", None)
    if cached is not None and cached[0] is file_text:
        result: tuple[ShellScript, ...] = cached[1]
        return result
    result = _scripts_for_run(instr, file_text)
    # objects with __slots__ cannot hold the memo: same answer, computed again next time
    with contextlib.suppress(AttributeError, TypeError):
        object.__setattr__(instr, "_gocomply_scripts", (file_text, result))
    return result


def _scripts_for_run(instr: RunLike, file_text: str) -> tuple[ShellScript, ...]:
    """Every shell script a RUN instruction runs, with file offsets.

    - Shell form: the RUN text itself, then, when that text is only a heredoc operator
      (``RUN <<EOF``; Docker runs the body with the shell unless its shebang names another
      interpreter) or a shell reading stdin (``RUN bash -ex <<EOF``), the heredoc body as a
      script of its own. Other heredocs (``cat <<EOF > file``) are data and are not parsed.
    - Exec form ``["sh", "-c", "…"]`` (any shell, ``-ec``/``-exc``… too): the script argument.
    - Other exec form (``["go", "get", "-u", "./..."]``): one `SimpleCommand` built from the
      JSON values, no shell (see `_exec_script` for the spans).

    Heredoc bodies are parsed from ``file_text[body.start:body.end]`` so that their spans are
    exact (``Heredoc.content`` is not used). With an unquoted delimiter and a shell reading
    stdin (``bash <<EOF``) the outer shell expands ``$X`` in the body first; the body is parsed
    as written, which is what its author meant to run.
    """
    if instr.json:
        values = tuple(instr.json_values)
        if not values:
            return ()
        k = _shell_c_script(values)
        if k is not None:
            return (parse_shell(values[k], file_text),)
        return (_exec_script(values, file_text),)
    rest = instr.rest
    if rest is None:
        return ()
    main = parse_shell(rest, file_text)
    out = [main]
    heredocs = list(instr.heredocs)
    markers = main.heredoc_markers
    if not heredocs or not markers:
        return (main,)
    chosen: HeredocMarker | None = None
    only_markers = not main.commands and not main.exports and not main.variables
    if only_markers and len(markers) == 1 and not main.has_errors:
        rest_text = list(rest.text)
        lo, hi = markers[0].logical
        rest_text[lo:hi] = " " * (hi - lo)
        if not "".join(rest_text).strip():
            chosen = markers[0]
    elif _stdin_shell(main):
        stdin = [m for m in markers if m.fd in (None, 0)]
        chosen = stdin[-1] if stdin else None
    if chosen is None:
        return (main,)
    doc = next((h for h in heredocs if h.name == chosen.name), None)
    if doc is None and len(heredocs) == 1:
        doc = heredocs[0]
    if doc is None:
        return (main,)
    body = LogicalText.build(file_text, [(doc.body.start, doc.body.end)])
    if only_markers and not _shebang_is_shell(body.text):
        return (main,)
    out.append(parse_shell(body, file_text))
    return tuple(out)
