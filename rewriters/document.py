"""The lossless Dockerfile document.

``Document.parse(text)`` never raises on text input, and:

- ``doc.text == text`` always; the top-level ``nodes`` (directives, comments, blank lines,
  instructions) partition the text: every character belongs to exactly one node. Comment and
  blank lines inside a continued instruction, and heredoc bodies, belong to that instruction.
- Instructions follow BuildKit's parser (``frontend/dockerfile/parser``) rule for rule: parser
  directives only at the top, the escape token (backslash or backtick) for continuations,
  comment and whitespace-only lines skipped inside continuations, heredocs on RUN/COPY/ADD
  (also under ONBUILD), builder flags, JSON exec form, and the per-instruction argument
  parsers. ``Instruction.node_values()`` reproduces the parser's value list, which the test
  suite compares with BuildKit's own parser over the corpus.
- Every argument is a `Word` with its file `Span`, its logical text (as the parser keeps it:
  continuations removed, quotes kept) and, on demand, its interpreted value (quotes and escapes
  removed); raw text is never rewritten here.
- Where BuildKit would reject the file, ``doc.error`` holds the first error with its line; the
  document is still complete and round-trips.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from rewriters.edits import Span
from rewriters.text import LogicalText, Segment
from rewriters.words import (
    WordValue,
    go_isspace,
    go_trimspace_bounds,
    parse_words_bounds,
    process_word,
    ws_split_bounds,
)

BOM = "\ufeff"
_DIRECTIVE_RE = re.compile(
    r"#[ \t\v\f\r]*([a-zA-Z][a-zA-Z0-9]*)[ \t\v\f\r]*=[ \t\v\f\r]*(.+?)[ \t\v\f\r]*$"
)
_KNOWN_DIRECTIVES = frozenset({"escape", "syntax", "check"})
_HEREDOC_RE = re.compile(r"^(\d*)<<(-?)([^<]*)$")
_HEREDOC_INSTRUCTIONS = frozenset({"ADD", "COPY", "RUN"})
# BuildKit scans builder flags and HEALTHCHECK byte by byte; a multi-byte character is never a
# separator there (its rare 0x85/0xA0 continuation bytes are ignored: text that relies on them is
# already mangled by BuildKit itself).
_ASCII_SPACE = frozenset("\t\n\v\f\r ")
_JSON = json.JSONDecoder(parse_constant=lambda name: _reject_constant(name))


@dataclass(frozen=True)
class ParseError:
    """A reason BuildKit's parser would reject the file, at a 1-based line."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class Word:
    """One argument: file span, logical text (quotes kept) and the escape token in force."""

    span: Span
    text: str
    escape: str = "\\"
    json_value: str | None = None  # decoded value of a JSON string element

    @cached_property
    def interpreted(self) -> WordValue:
        if self.json_value is not None:
            return WordValue(self.json_value)
        return process_word(self.text, self.escape)

    @property
    def value(self) -> str:
        """Quotes and escapes removed; variables left as written (see ``interpreted``)."""
        return self.interpreted.value


@dataclass(frozen=True)
class Flag:
    """A builder flag such as ``--mount=type=cache,target=/root/.cache`` (value after ``=``)."""

    span: Span
    text: str
    name: str
    value: str | None

    @property
    def processed(self) -> str:
        """The flag as BuildKit's parser reports it (quotes and escapes removed)."""
        return f"--{self.name}" + ("" if self.value is None else f"={self.value}")


@dataclass(frozen=True)
class KeyValue:
    """One ENV/LABEL/ARG pair. ``legacy`` for ``ENV K V``; ``value`` None for ``ARG K``."""

    span: Span
    key: Word
    value: Word | None
    legacy: bool = False


@dataclass(frozen=True)
class Heredoc:
    """A heredoc attached to an instruction: marker word, body and terminator line spans."""

    name: str
    chomp: bool
    expand: bool
    fd: int
    marker: Span
    body: Span
    content: str
    terminator: Span | None  # None when unterminated (a parse error)


@dataclass(frozen=True)
class Directive:
    span: Span
    name: str
    value: str


@dataclass(frozen=True)
class Comment:
    span: Span


@dataclass(frozen=True)
class Blank:
    span: Span


@dataclass(frozen=True)
class Instruction:
    """One instruction, with its whole-line span (continuations, inner comments, heredocs)."""

    span: Span
    keyword: Word
    flags: tuple[Flag, ...]
    args: tuple[Word, ...]
    rest: LogicalText | None
    json: bool
    pairs: tuple[KeyValue, ...]
    heredocs: tuple[Heredoc, ...]
    sub: Instruction | None
    start_line: int
    end_line: int
    logical: LogicalText
    error: str | None
    json_values: tuple[LogicalText, ...] = ()
    escape: str = "\\"
    _node_values: tuple[str, ...] = field(default=(), repr=False)

    @property
    def name(self) -> str:
        """Upper-case instruction name (``RUN`` for ``run``)."""
        return self.keyword.text.upper()

    @property
    def effective(self) -> Instruction:
        """The instruction that runs: the ONBUILD trigger for ONBUILD, else itself."""
        return self.sub if self.sub is not None else self

    def flag(self, name: str) -> Flag | None:
        for f in self.flags:
            if f.name == name:
                return f
        return None

    def flags_named(self, name: str) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if f.name == name)

    def node_values(self) -> tuple[str, ...]:
        """The value list BuildKit's parser produces for this instruction."""
        if self.sub is not None:
            # a nested ONBUILD ONBUILD … is a parse node with children only
            return ("",) if self.sub.sub is not None else self.sub.node_values()
        return self._node_values


Node = Directive | Comment | Blank | Instruction


@dataclass(frozen=True)
class _Line:
    start: int  # first char (after the BOM on line 0)
    end: int  # end of content: before the line break and any trailing \r
    next: int  # start of the next line


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 1 if text.startswith(BOM) else 0
    first = True
    n = len(text)
    while pos < n or (first and n == 0):
        nl = text.find("\n", pos)
        nxt = n if nl < 0 else nl + 1
        end = n if nl < 0 else nl
        while end > pos and text[end - 1] in "\r\n":
            end -= 1
        lines.append(_Line(pos, end, nxt))
        pos = nxt
        first = False
        if n == 0:
            break
    return lines


def _is_comment(text: str, line: _Line) -> bool:
    i = line.start
    while i < line.end and go_isspace(text[i]):
        i += 1
    return i < line.end and text[i] == "#"


def _is_blank(text: str, line: _Line) -> bool:
    return all(go_isspace(c) for c in text[line.start : line.end])


def _continuation(text: str, start: int, end: int, escape: str) -> int | None:
    """Offset of the continuation escape token ending ``text[start:end]``, if any.

    BuildKit: ``([^E])E[ \\t]*$|^E[ \\t]*$`` for escape token E, so an escaped escape token at
    the end of a line (``foo \\\\``) is not a continuation.
    """
    e = end
    while e > start and text[e - 1] in " \t":
        e -= 1
    if e > start and text[e - 1] == escape and (e - 1 == start or text[e - 2] != escape):
        return e - 1
    return None


class _Builder:
    def __init__(self, text: str) -> None:
        self.text = text
        self.escape = "\\"
        self.errors: list[ParseError] = []
        self.directives: list[Directive] = []

    # ---- instruction-level parsing on logical text --------------------------------------

    def word(self, lt: LogicalText, a: int, b: int) -> Word:
        return Word(lt.span(a, b), lt.text[a:b], self.escape)

    def instruction(
        self, lt: LogicalText, span: Span, start_line: int, end_line: int
    ) -> Instruction:
        s = lt.text
        b, e = go_trimspace_bounds(s)
        parts = ws_split_bounds(s, b, e, 2)
        kw_a, kw_b = parts[0]
        keyword = self.word(lt, kw_a, kw_b)
        flags: list[Flag] = []
        rest_a = rest_b = e
        if len(parts) == 2:
            rest_a, rest_b, flags = self.builder_flags(lt, parts[1][0], parts[1][1])
            rest_a, rest_b = go_trimspace_bounds(s, rest_a, rest_b)
        return self.dispatch(lt, keyword, tuple(flags), rest_a, rest_b, span, start_line, end_line)

    def dispatch(
        self,
        lt: LogicalText,
        keyword: Word,
        flags: tuple[Flag, ...],
        ra: int,
        rb: int,
        span: Span,
        start_line: int,
        end_line: int,
    ) -> Instruction:
        s = lt.text
        name = keyword.text.lower()
        args: list[Word] = []
        pairs: list[KeyValue] = []
        values: list[str] = []
        is_json = False
        error: str | None = None
        sub: Instruction | None = None
        json_values: tuple[LogicalText, ...] = ()
        rest = lt.slice(ra, rb) if rb > ra else None

        def maybe_json(a: int, b: int, to_list: bool) -> None:
            nonlocal is_json, error, json_values
            if a >= b and not to_list:
                return
            parsed = self.parse_json(lt, a, b)
            if isinstance(parsed, str):
                error = parsed
                return
            if parsed is not None:
                is_json = True
                for w, _ in parsed:
                    args.append(w)
                    values.append(w.json_value or "")
                json_values = tuple(v for _, v in parsed)
                return
            if to_list:
                if a >= b:
                    return
                for x, y in ws_split_bounds(s, a, b):
                    args.append(self.word(lt, x, y))
                    values.append(s[x:y])
            else:
                args.append(self.word(lt, a, b))
                values.append(s[a:b])

        if name in ("run", "cmd", "entrypoint", "shell"):
            maybe_json(ra, rb, False)
        elif name in ("add", "copy", "volume"):
            maybe_json(ra, rb, True)
        elif name in ("expose", "from"):
            if rb > ra:
                for x, y in ws_split_bounds(s, ra, rb):
                    args.append(self.word(lt, x, y))
                    values.append(s[x:y])
        elif name in ("maintainer", "stopsignal", "user", "workdir"):
            if rb > ra:
                args.append(self.word(lt, ra, rb))
                values.append(s[ra:rb])
        elif name in ("env", "label"):
            error = self.name_val(lt, ra, rb, name.upper(), pairs, values)
        elif name == "arg":
            for x, y in parse_words_bounds(s, ra, rb, self.escape):
                w = self.word(lt, x, y)
                args.append(w)
                values.append(w.text)
                eq = s.find("=", x, y)
                if eq < 0:
                    pairs.append(KeyValue(w.span, w, None))
                else:
                    pairs.append(KeyValue(w.span, self.word(lt, x, eq), self.word(lt, eq + 1, y)))
        elif name == "healthcheck":
            sep = ra
            while sep < rb and s[sep] not in _ASCII_SPACE:
                sep += 1
            nxt = sep
            while nxt < rb and s[nxt] in _ASCII_SPACE:
                nxt += 1
            if sep > ra:
                args.append(self.word(lt, ra, sep))
                values.append(s[ra:sep])
                maybe_json(nxt, rb, False)
        elif name == "onbuild":
            if rb > ra:
                sub_lt = lt.slice(ra, rb)
                sub = self.instruction(sub_lt, span, start_line, end_line)
                error = sub.error
                is_json = sub.json
        else:
            values.append("")

        if error is not None:
            self.errors.append(ParseError(start_line, error))
        return Instruction(
            span=span,
            keyword=keyword,
            flags=flags,
            args=tuple(args),
            rest=rest,
            json=is_json,
            pairs=tuple(pairs),
            heredocs=(),
            sub=sub,
            start_line=start_line,
            end_line=end_line,
            logical=lt,
            error=error,
            json_values=json_values,
            escape=self.escape,
            _node_values=tuple(values),
        )

    def name_val(
        self, lt: LogicalText, ra: int, rb: int, key: str, pairs: list[KeyValue], values: list[str]
    ) -> str | None:
        s = lt.text
        words = parse_words_bounds(s, ra, rb, self.escape)
        if not words:
            return None
        x0, y0 = words[0]
        if "=" not in s[x0:y0]:
            parts = ws_split_bounds(s, ra, rb, 2)
            if len(parts) < 2:
                return f"{key} must have two arguments"
            (ka, kb), (va, vb) = parts
            k, v = self.word(lt, ka, kb), self.word(lt, va, vb)
            pairs.append(KeyValue(lt.span(ka, vb), k, v, legacy=True))
            values.extend((k.text, v.text))
            return None
        for x, y in words:
            eq = s.find("=", x, y)
            if eq < 0:
                return (
                    f"Syntax error - can't find = in {json.dumps(s[x:y])}. "
                    "Must be of the form: name=value"
                )
            k, v = self.word(lt, x, eq), self.word(lt, eq + 1, y)
            pairs.append(KeyValue(lt.span(x, y), k, v))
            values.extend((k.text, v.text))
        return None

    def builder_flags(self, lt: LogicalText, a: int, b: int) -> tuple[int, int, list[Flag]]:
        """BuildKit's ``extractBuilderFlags``: leading ``--flag`` words, then the rest."""
        s = lt.text
        flags: list[Flag] = []
        pos = a
        while True:
            while pos < b and s[pos] in _ASCII_SPACE:
                pos += 1
            if pos >= b:
                return b, b, flags
            if not (s[pos] == "-" and pos + 1 < b and s[pos + 1] == "-"):
                return pos, b, flags
            wstart = pos
            chars: list[str] = []
            blank_ok = False
            quote = ""
            while pos < b:
                ch = s[pos]
                if quote:
                    if ch == quote:
                        quote = ""
                        pos += 1
                        continue
                    if ch == "\\":
                        if pos + 1 == b:
                            quote = ""
                            pos += 1
                            continue
                        pos += 1
                        ch = s[pos]
                    chars.append(ch)
                    pos += 1
                    continue
                if ch in _ASCII_SPACE:
                    break
                if ch in ("'", '"'):
                    quote = ch
                    blank_ok = True
                    pos += 1
                    continue
                if ch == "\\":
                    if pos + 1 == b:
                        pos += 1
                        continue
                    pos += 1
                    ch = s[pos]
                chars.append(ch)
                pos += 1
            word = "".join(chars)
            if word == "--":
                if pos >= b:
                    return b, b, flags
                return pos, b, flags
            if blank_ok or word:
                body = word[2:]
                fname, eq, fval = body.partition("=")
                flags.append(Flag(lt.span(wstart, pos), s[wstart:pos], fname, fval if eq else None))

    def parse_json(
        self, lt: LogicalText, a: int, b: int
    ) -> list[tuple[Word, LogicalText]] | str | None:
        """A JSON array of strings with spans; None when not JSON; an error for non-strings."""
        s = lt.text
        i = a
        while i < b and go_isspace(s[i]):
            i += 1
        if i >= b or s[i] != "[":
            return None
        try:
            # Go's json.Decoder reads the first value and ignores what follows it.
            decoded, _ = _JSON.raw_decode(s[i:b])
        except (ValueError, RecursionError):
            return None
        if not isinstance(decoded, list):
            return None
        if any(not isinstance(x, str) for x in decoded):
            return "when using JSON array syntax, arrays must be comprised of strings only"
        out: list[tuple[Word, LogicalText]] = []
        j = i + 1
        for value in decoded:
            j = s.index('"', j)
            end, segs = _scan_json_string(s, j)
            inner = lt.slice(j + 1, end - 1)
            mapped = _json_logical(inner, segs, value)
            out.append((Word(lt.span(j, end), s[j:end], self.escape, json_value=value), mapped))
            j = end
        return out


def _reject_constant(name: str) -> object:
    raise ValueError(f"not JSON: {name}")


def _scan_json_string(s: str, q: int) -> tuple[int, list[tuple[int, int]]]:
    """End (after the closing quote) of the JSON string at ``q`` and the raw extent of each char."""
    i = q + 1
    chars: list[tuple[int, int]] = []
    while s[i] != '"':
        if s[i] == "\\":
            if s[i + 1] == "u":
                cp = int(s[i + 2 : i + 6], 16)
                ln = 6
                if 0xD800 <= cp < 0xDC00 and s[i + 6 : i + 8] == "\\u":
                    ln = 12
                chars.append((i - q - 1, ln))
                i += ln
            else:
                chars.append((i - q - 1, 2))
                i += 2
        else:
            chars.append((i - q - 1, 1))
            i += 1
    return i + 1, chars


def _json_logical(inner: LogicalText, chars: list[tuple[int, int]], value: str) -> LogicalText:
    """Map each decoded character of a JSON string to its raw extent (an escape maps whole)."""
    if not value:
        return LogicalText("", ())
    segs: list[Segment] = []
    for idx, (rel, ln) in enumerate(chars):
        start = inner.to_file(rel)
        if ln == 1:
            segs.append(Segment(idx, start, 1))
        else:
            segs.append(Segment(idx, start, 1, inner.end_of(rel + ln - 1) - start))
    return LogicalText(value, tuple(segs))


@dataclass(frozen=True)
class Document:
    """A lossless Dockerfile. See the module docstring for the invariants."""

    text: str
    nodes: tuple[Node, ...]
    escape: str
    directives: tuple[Directive, ...]
    errors: tuple[ParseError, ...]
    _line_starts: tuple[int, ...] = field(repr=False)

    @staticmethod
    def parse(text: str) -> Document:
        return _parse(text)

    @property
    def instructions(self) -> tuple[Instruction, ...]:
        return tuple(n for n in self.nodes if isinstance(n, Instruction))

    @property
    def error(self) -> ParseError | None:
        """The first reason BuildKit's parser would reject this file, if any."""
        return self.errors[0] if self.errors else None

    @property
    def newline(self) -> str:
        """The file's dominant line break (``\\r\\n`` when most lines use it)."""
        crlf = self.text.count("\r\n")
        return "\r\n" if crlf and crlf * 2 >= self.text.count("\n") else "\n"

    def directive(self, name: str) -> Directive | None:
        for d in self.directives:
            if d.name == name:
                return d
        return None

    def line_of(self, offset: int) -> int:
        """1-based line number of a file offset."""
        return bisect_right(self._line_starts, offset)

    def column_of(self, offset: int) -> int:
        """1-based column (in characters) of a file offset."""
        return offset - self._line_starts[self.line_of(offset) - 1] + 1

    def line_span(self, line: int) -> Span:
        """Span of a 1-based line, including its line break."""
        start = self._line_starts[line - 1]
        end = self._line_starts[line] if line < len(self._line_starts) else len(self.text)
        return Span(start, end)

    def walk(self) -> Iterator[Instruction]:
        """Instructions in order; ONBUILD triggers are yielded after their ONBUILD."""
        for ins in self.instructions:
            yield ins
            if ins.sub is not None:
                yield ins.sub


def _parse(text: str) -> Document:
    b = _Builder(text)
    lines = _split_lines(text)
    nodes: list[Node] = []
    n = len(lines)
    directives_done = False
    seen: set[str] = set()
    i = 0
    node_start = 0  # the BOM belongs to the first node

    def end_of(idx: int) -> int:
        return lines[idx].next

    while i < n:
        ln = lines[i]
        lineno = i + 1
        if not directives_done:
            stripped_start = ln.start
            while stripped_start < ln.end and go_isspace(text[stripped_start]):
                stripped_start += 1
            m = _DIRECTIVE_RE.match(text, stripped_start, ln.end)
            if m is None:
                directives_done = True
            else:
                key = m.group(1).lower()
                if key not in _KNOWN_DIRECTIVES:
                    directives_done = True
                elif key in seen:
                    b.errors.append(
                        ParseError(lineno, f"only one {key} parser directive can be used")
                    )
                    directives_done = True
                else:
                    seen.add(key)
                    value = m.group(2)
                    if key == "escape":
                        if value not in ("`", "\\"):
                            b.errors.append(
                                ParseError(lineno, f"invalid ESCAPE '{value}'. Must be ` or \\")
                            )
                        else:
                            b.escape = value
                    d = Directive(Span(node_start, end_of(i)), key, value)
                    b.directives.append(d)
                    nodes.append(d)
                    node_start = end_of(i)
                    i += 1
                    continue
        if _is_comment(text, ln):
            nodes.append(Comment(Span(node_start, end_of(i))))
            node_start = end_of(i)
            i += 1
            continue
        if _is_blank(text, ln):
            nodes.append(Blank(Span(node_start, end_of(i))))
            node_start = end_of(i)
            i += 1
            continue
        # an instruction: first line left-trimmed, then continuation lines
        start_line = lineno
        first = ln.start
        while first < ln.end and go_isspace(text[first]):
            first += 1
        pieces: list[tuple[int, int]] = []
        cont = _continuation(text, first, ln.end, b.escape)
        pieces.append((first, ln.end if cont is None else cont))
        j = i + 1
        while cont is not None and j < n:
            lj = lines[j]
            if _is_comment(text, lj) or _is_blank(text, lj):
                j += 1
                continue
            cont = _continuation(text, lj.start, lj.end, b.escape)
            pieces.append((lj.start, lj.end if cont is None else cont))
            j += 1
        last = j - 1
        lt = LogicalText.build(text, pieces)
        if not lt.segments:
            # e.g. a lone escape token: nothing logical, keep an anchor for spans
            lt = LogicalText("", (Segment(0, first, 0),))
        ins = b.instruction(lt, Span(node_start, end_of(last)), start_line, last + 1)
        heredoc_target = ins.sub if ins.sub is not None else ins
        if (
            heredoc_target.name in _HEREDOC_INSTRUCTIONS
            and not heredoc_target.json
            and "<<" in lt.text
        ):
            heredocs: list[Heredoc] = []
            for name, chomp, expand, fd, (ma, mb) in _heredoc_markers(lt.text):
                body_start = end_of(last) if last < n else len(text)
                content: list[str] = []
                terminated: Span | None = None
                k = last + 1
                while k < n:
                    lk = lines[k]
                    cand = text[lk.start : lk.end]
                    if chomp:
                        cand = cand.lstrip("\t")
                    if cand == name:
                        terminated = Span(lk.start, lk.next)
                        break
                    content.append(text[lk.start : lk.next])
                    k += 1
                body_end = terminated.start if terminated else len(text)
                heredocs.append(
                    Heredoc(
                        name,
                        chomp,
                        expand,
                        fd,
                        lt.span(ma, mb),
                        Span(body_start, body_end),
                        "".join(content),
                        terminated,
                    )
                )
                if terminated is None:
                    b.errors.append(ParseError(start_line, "unterminated heredoc"))
                    last = n - 1
                    break
                last = k
            ins = _with_heredocs(
                ins,
                tuple(heredocs),
                Span(node_start, end_of(last) if last < n else len(text)),
                last + 1,
            )
        nodes.append(ins)
        node_start = ins.span.end
        i = last + 1
    if node_start < len(text) or not nodes:
        # only reachable for an empty text or a lone BOM
        nodes.append(Blank(Span(node_start, len(text))))
    if not any(isinstance(x, Instruction) for x in nodes):
        b.errors.append(ParseError(1, "file with no instructions"))
    line_starts = [0]
    for idx, ch in enumerate(text):
        if ch == "\n":
            line_starts.append(idx + 1)
    return Document(
        text=text,
        nodes=tuple(nodes),
        escape=b.escape,
        directives=tuple(b.directives),
        errors=tuple(sorted(b.errors, key=lambda e: e.line)),
        _line_starts=tuple(line_starts),
    )


def _with_heredocs(
    ins: Instruction, heredocs: tuple[Heredoc, ...], span: Span, end_line: int
) -> Instruction:
    from dataclasses import replace

    if ins.sub is not None:
        sub = replace(ins.sub, heredocs=heredocs, span=span, end_line=end_line)
        return replace(ins, sub=sub, span=span, end_line=end_line, heredocs=heredocs)
    return replace(ins, heredocs=heredocs, span=span, end_line=end_line)


def _shell_words(s: str) -> list[tuple[int, int, str]]:
    """Whitespace-split words with quotes and escapes kept (BuildKit's raw ProcessWords).

    Like BuildKit, an unterminated quote anywhere makes the whole line yield no words (the
    lexer's error is ignored there), so such a line has no heredocs.
    """
    out: list[tuple[int, int, str]] = []
    i, n = 0, len(s)
    while i < n:
        while i < n and go_isspace(s[i]):
            i += 1
        if i >= n:
            break
        start = i
        quote = ""
        while i < n:
            ch = s[i]
            if quote:
                if ch == quote:
                    quote = ""
                elif ch == "\\" and quote == '"' and i + 1 < n:
                    i += 1
            elif ch in ("'", '"'):
                quote = ch
            elif ch == "\\" and i + 1 < n:
                i += 1
            elif go_isspace(ch):
                break
            i += 1
        if quote:
            return []
        out.append((start, i, s[start:i]))
    return out


def _heredoc_markers(line: str) -> Iterator[tuple[str, bool, bool, int, tuple[int, int]]]:
    """Heredocs named on an instruction line: (name, chomp, expand, fd, marker bounds)."""
    for a, b, word in _shell_words(line):
        m = _HEREDOC_RE.match(word)
        if m is None or not m.group(3):
            continue
        rest = m.group(3)
        sub = _shell_words(rest)
        if len(sub) != 1:
            continue
        name = process_word(rest).value
        expand = not any(q in rest for q in ("'", '"'))
        yield name, m.group(2) == "-", expand, int(m.group(1) or 0), (a, b)
