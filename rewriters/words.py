"""Docker's word rules: the lexers BuildKit applies to instruction arguments.

Three levels of text exist for every argument:

- *raw*: the file bytes (may include continuation lines; never rewritten by this module);
- *logical*: what BuildKit's parser keeps (continuations removed, quotes kept);
- *value*: what the builder uses: quotes removed, escapes processed and, when an environment is
  given, ``$VAR`` / ``${VAR}`` expanded.

`process_word` mirrors BuildKit's ``shell.Lex.ProcessWord`` for the cases Dockerfiles use
(quotes, the escape token, ``$VAR``, ``${VAR}``, ``${VAR:-x}``, ``${VAR-x}``, ``${VAR:+x}``,
``${VAR+x}``). Unset variables are kept literally (BuildKit's ``SkipUnsetEnv``), and the result
says which variables were referenced and which stayed unresolved, so callers never mistake an
unexpanded ``$PROXY`` for a literal value.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

# Go's unicode.IsSpace: '\t', '\n', '\v', '\f', '\r', ' ', U+0085, U+00A0 and category Zs.
_GO_SPACE_ASCII = frozenset("\t\n\v\f\r ")


def go_isspace(ch: str) -> bool:
    """Go's ``unicode.IsSpace`` (which differs from ``str.isspace`` on \\x1c-\\x1f)."""
    if ch in _GO_SPACE_ASCII:
        return True
    o = ord(ch)
    if o < 0x80:
        return False
    if o in (0x85, 0xA0):
        return True
    return unicodedata.category(ch) == "Zs" or o in (0x2028, 0x2029)


def go_trimspace_bounds(s: str, start: int = 0, end: int | None = None) -> tuple[int, int]:
    """Bounds of ``s[start:end]`` with Go ``unicode.IsSpace`` whitespace trimmed on both sides."""
    e = len(s) if end is None else end
    b = start
    while b < e and go_isspace(s[b]):
        b += 1
    while e > b and go_isspace(s[e - 1]):
        e -= 1
    return b, e


# BuildKit's reWhitespace = `[\t\v\f\r ]+`
WS_SPLIT_CHARS = frozenset("\t\v\f\r ")


def ws_split_bounds(s: str, start: int, end: int, limit: int = -1) -> list[tuple[int, int]]:
    """``regexp.MustCompile(`[\\t\\v\\f\\r ]+`).Split(s[start:end], limit)`` as index pairs."""
    parts: list[tuple[int, int]] = []
    pos = start
    i = start
    while i < end:
        if s[i] in WS_SPLIT_CHARS:
            if limit > 0 and len(parts) == limit - 1:
                break
            j = i
            while j < end and s[j] in WS_SPLIT_CHARS:
                j += 1
            parts.append((pos, i))
            pos = j
            i = j
            continue
        i += 1
    parts.append((pos, end))
    return parts


def parse_words_bounds(s: str, start: int, end: int, escape: str) -> list[tuple[int, int]]:
    """BuildKit's ``parseWords`` (ENV/LABEL/ARG): words split on unquoted whitespace.

    Quotes and escapes are kept in the words, as the parser does; only the bounds are returned
    so callers can map them back to the file.
    """
    words: list[tuple[int, int]] = []
    i = start
    in_word = False
    quote = ""
    blank_ok = False
    wstart = start
    wlen = 0  # number of characters the Go word would contain
    while i <= end:
        if i == end:
            if in_word and (blank_ok or wlen > 0):
                words.append((wstart, i))
            break
        ch = s[i]
        if not in_word:
            if go_isspace(ch):
                i += 1
                continue
            in_word = True
            wstart = i
            wlen = 0
            blank_ok = False
            quote = ""
        if quote == "":
            if go_isspace(ch):
                if blank_ok or wlen > 0:
                    words.append((wstart, i))
                in_word = False
                i += 1
                continue
            if ch in ("'", '"'):
                quote = ch
                blank_ok = True
            if ch == escape:
                if i + 1 == end:
                    i += 1  # an escape token at the end of the line is dropped
                    continue
                wlen += 1
                i += 1
            wlen += 1
            i += 1
            continue
        # inside quotes
        if ch == quote:
            quote = ""
            wlen += 1
            i += 1
            continue
        if ch == escape and quote != "'":
            if i + 1 == end:
                quote = ""
                i += 1
                continue
            wlen += 1
            i += 1
        wlen += 1
        i += 1
    return words


@dataclass(frozen=True)
class WordValue:
    """Result of interpreting a word: its value, the variables it referenced, what stayed unset."""

    value: str
    refs: tuple[str, ...] = ()
    unresolved: tuple[str, ...] = ()

    @property
    def literal(self) -> bool:
        """True when the value does not depend on any variable."""
        return not self.refs


_NAME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_NAME_CHARS = _NAME_START | frozenset("0123456789")


class _Lexer:
    def __init__(self, text: str, escape: str, env: Mapping[str, str] | None) -> None:
        self.s = text
        self.i = 0
        self.escape = escape
        self.env = env
        self.refs: list[str] = []
        self.unresolved: list[str] = []

    def run(self, stop: str = "") -> str:
        out: list[str] = []
        s = self.s
        while self.i < len(s):
            ch = s[self.i]
            if stop and ch == stop:
                return "".join(out)
            if ch == self.escape:
                if self.i + 1 < len(s):
                    out.append(s[self.i + 1])
                self.i += 2
                continue
            if ch == "'":
                j = s.find("'", self.i + 1)
                if j < 0:
                    out.append(s[self.i + 1 :])
                    self.i = len(s)
                else:
                    out.append(s[self.i + 1 : j])
                    self.i = j + 1
                continue
            if ch == '"':
                self.i += 1
                out.append(self._double())
                continue
            if ch == "$":
                out.append(self._dollar())
                continue
            out.append(ch)
            self.i += 1
        return "".join(out)

    def _double(self) -> str:
        out: list[str] = []
        s = self.s
        while self.i < len(s):
            ch = s[self.i]
            if ch == '"':
                self.i += 1
                return "".join(out)
            if ch == "$":
                out.append(self._dollar())
                continue
            if ch == self.escape and self.i + 1 < len(s):
                nxt = s[self.i + 1]
                if nxt in ('"', "$", self.escape):
                    out.append(nxt)
                else:
                    out.append(ch + nxt)
                self.i += 2
                continue
            out.append(ch)
            self.i += 1
        return "".join(out)

    def _lookup(self, name: str, raw: str) -> str | None:
        self.refs.append(name)
        if self.env is not None and name in self.env:
            return self.env[name]
        self.unresolved.append(name)
        return None

    def _dollar(self) -> str:
        s = self.s
        start = self.i
        self.i += 1
        if self.i >= len(s):
            return "$"
        ch = s[self.i]
        if ch == "{":
            close = self._find_brace(self.i + 1)
            if close < 0:
                self.i = len(s)
                return s[start:]
            body = s[self.i + 1 : close]
            self.i = close + 1
            raw = s[start : close + 1]
            n = 0
            while n < len(body) and body[n] in _NAME_CHARS:
                n += 1
            name, rest = body[:n], body[n:]
            if not name:
                return raw
            val = self._lookup(name, raw)
            if rest == "":
                return raw if val is None else val
            for op in (":-", ":+", "-", "+"):
                if rest.startswith(op):
                    word = _Lexer(rest[len(op) :], self.escape, self.env)
                    alt = word.run()
                    self.refs.extend(word.refs)
                    self.unresolved.extend(word.unresolved)
                    if val is None:
                        # unknown variable: the outcome depends on it
                        return raw
                    if op == ":-":
                        return val if val != "" else alt
                    if op == "-":
                        return val
                    if op == ":+":
                        return alt if val != "" else ""
                    return alt
            return raw  # other modifiers (#, %, /, ?) are kept as written
        if ch in _NAME_START:
            j = self.i
            while j < len(s) and s[j] in _NAME_CHARS:
                j += 1
            name = s[self.i : j]
            self.i = j
            raw = s[start:j]
            val = self._lookup(name, raw)
            return raw if val is None else val
        return "$"

    def _find_brace(self, i: int) -> int:
        depth = 1
        s = self.s
        while i < len(s):
            if s[i] == self.escape:
                i += 2
                continue
            if s[i] == "{":
                depth += 1
            elif s[i] == "}":
                depth -= 1
                if depth == 0:
                    return i
            i += 1
        return -1


def process_word(text: str, escape: str = "\\", env: Mapping[str, str] | None = None) -> WordValue:
    """Interpret one word as the Dockerfile builder does (quotes, escapes, variables)."""
    lx = _Lexer(text, escape, env)
    value = lx.run()
    return WordValue(value, tuple(dict.fromkeys(lx.refs)), tuple(dict.fromkeys(lx.unresolved)))


def unquote(text: str, escape: str = "\\") -> str:
    """Quotes and escapes removed; variables left as written."""
    return process_word(text, escape).value
