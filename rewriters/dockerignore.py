"""``.dockerignore`` with Docker's own semantics (moby/patternmatcher and its ``ignorefile``).

What the file means, as BuildKit reads it:
- `read_patterns` is ``ignorefile.ReadAll``: a UTF-8 BOM on the first line is dropped; a line
  that *starts* with ``#`` is a comment (an indented ``#`` is a pattern); every other line is
  trimmed, and an empty result is skipped; a leading ``!`` marks an exception; the rest is
  cleaned like Go's ``filepath.Clean`` (``./a`` → ``a``, ``a//b/`` → ``a/b``, ``a/../b`` →
  ``b``) and one leading ``/`` is dropped, so ``/a`` and ``a`` are the same pattern.
- `Matcher` is ``patternmatcher.New`` + ``MatchesOrParentMatches``: patterns are tried in
  order and the last one that matches decides (an exception re-includes); a pattern matches a
  path when it matches the path itself or any of its parent directories, so ``vendor``
  excludes ``vendor/modules.txt``. ``*`` and ``?`` stay inside one path segment, ``**``
  spans any number of segments (also none), ``[...]`` is a character class, ``\\`` escapes
  the next character. Patterns are anchored at the context root: ``go.mod`` does not match
  ``sub/go.mod`` (unlike ``.gitignore``).
- A malformed pattern (an unclosed ``[``, a trailing ``\\``, a lone ``!``) makes the whole
  file unusable for Docker: `DockerignoreError`.

Paths given to `excludes` are relative to the build context, ``/``-separated.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

BOM = "\ufeff"


class DockerignoreError(ValueError):
    """A pattern Docker would reject; ``str()`` names it."""


def go_clean(path: str) -> str:
    """Go's ``path.Clean``: like `posixpath.normpath`, but ``//a`` is ``/a`` (POSIX keeps it)."""
    cleaned = posixpath.normpath(path)
    if cleaned.startswith("//"):
        cleaned = "/" + cleaned.lstrip("/")
    return cleaned


def read_patterns(text: str) -> tuple[str, ...]:
    """The patterns of a ``.dockerignore`` text, as ``ignorefile.ReadAll`` returns them."""
    out: list[str] = []
    # bufio.ScanLines: lines end at \n, and one \r before it is dropped
    for i, line in enumerate(text.split("\n")):
        if line.endswith("\r"):
            line = line[:-1]
        if i == 0 and line.startswith(BOM):
            line = line[len(BOM) :]
        if line.startswith("#"):
            continue
        pattern = line.strip()
        if not pattern:
            continue
        invert = pattern.startswith("!")
        if invert:
            pattern = pattern[1:].strip()
        if pattern:
            pattern = go_clean(pattern)
            if len(pattern) > 1 and pattern.startswith("/"):
                pattern = pattern[1:]
        out.append("!" + pattern if invert else pattern)
    return tuple(out)


class _Kind(Enum):
    EXACT = "exact"
    PREFIX = "prefix"
    SUFFIX = "suffix"
    REGEXP = "regexp"


_ESCAPE = frozenset(".+()|{}$")


@dataclass(frozen=True)
class Pattern:
    """One compiled pattern (``Pattern.compile`` in patternmatcher, separator ``/``)."""

    text: str  # the cleaned pattern, without its ``!``
    exclusion: bool
    kind: _Kind
    regexp: re.Pattern[str] | None = None

    @staticmethod
    def compile(raw: str) -> Pattern:
        p = go_clean(raw.strip())
        exclusion = p.startswith("!")
        if exclusion:
            if len(p) == 1:
                raise DockerignoreError('illegal exclusion pattern: "!"')
            p = p[1:]
        _check_syntax(p)
        kind, regexp = _translate(p)
        return Pattern(p, exclusion, kind, regexp)

    def match(self, path: str) -> bool:
        if self.kind is _Kind.EXACT:
            return path == self.text
        if self.kind is _Kind.PREFIX:
            return path.startswith(self.text[:-2])
        if self.kind is _Kind.SUFFIX:
            suffix = self.text[2:]
            # "**/foo" also matches "foo" itself
            return path.endswith(suffix) or (suffix.startswith("/") and path == suffix[1:])
        assert self.regexp is not None
        return self.regexp.match(path) is not None


def _translate(p: str) -> tuple[_Kind, re.Pattern[str] | None]:
    """The match kind and, for `_Kind.REGEXP`, the regex (character for character as moby)."""
    reg = "^"
    kind = _Kind.EXACT
    i, n, first = 0, len(p), True
    while i < n:
        ch = p[i]
        i += 1
        if ch == "*":
            if i < n and p[i] == "*":
                i += 1
                if i < n and p[i] == "/":  # "**/" is "**"
                    i += 1
                if i == n:  # trailing "**": everything below
                    if kind is _Kind.EXACT:
                        kind = _Kind.PREFIX
                    else:
                        reg += ".*"
                        kind = _Kind.REGEXP
                else:
                    reg += "(.*/)?"
                    kind = _Kind.REGEXP
                if first:
                    kind = _Kind.SUFFIX
            else:
                reg += "[^/]*"
                kind = _Kind.REGEXP
        elif ch == "?":
            reg += "[^/]"
            kind = _Kind.REGEXP
        elif ch in _ESCAPE:
            reg += "\\" + ch
        elif ch == "\\":
            if i < n:
                reg += "\\" + p[i]
                i += 1
                kind = _Kind.REGEXP
            else:
                reg += "\\\\"
        elif ch in "[]":
            reg += ch
            kind = _Kind.REGEXP
        else:
            reg += ch  # as moby: "^" stays an anchor in the regex, so it never matches there
        first = False
    if kind is not _Kind.REGEXP:
        return kind, None
    try:
        return kind, re.compile(reg + "$")
    except re.error as exc:
        raise DockerignoreError(f"bad pattern {p!r}: {exc}") from None


def _check_syntax(p: str) -> None:
    """Go's ``filepath.Match(p, ".")`` error check: escapes and character classes."""
    i, n = 0, len(p)

    def esc(j: int) -> int:
        """Index after one class character at ``j`` (``getEsc``)."""
        if j >= n or p[j] in "-]":
            raise DockerignoreError(f"bad pattern {p!r}: malformed character class")
        if p[j] == "\\":
            j += 1
            if j >= n:
                raise DockerignoreError(f"bad pattern {p!r}: trailing backslash")
        return j + 1

    while i < n:
        ch = p[i]
        if ch == "\\":
            if i + 1 >= n:
                raise DockerignoreError(f"bad pattern {p!r}: trailing backslash")
            i += 2
        elif ch == "[":
            i += 1
            if i < n and p[i] == "^":
                i += 1
            ranges = 0
            while True:
                if i < n and p[i] == "]" and ranges > 0:
                    i += 1
                    break
                i = esc(i)
                if i < n and p[i] == "-":
                    i = esc(i + 1)
                ranges += 1
        else:
            i += 1


class Matcher:
    """Compiled patterns of one ``.dockerignore`` (``patternmatcher.New``)."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self.patterns = tuple(Pattern.compile(p) for p in patterns if p.strip())

    def matches(self, path: str) -> bool:
        """``MatchesOrParentMatches``: is ``path`` (cleaned, relative) excluded?"""
        matched = False
        parent = posixpath.dirname(path) or "."
        dirs = parent.split("/")
        for pat in self.patterns:
            if pat.exclusion != matched:
                continue  # only an exception can undo a match, only a pattern can make one
            hit = pat.match(path)
            if not hit and parent != ".":
                hit = any(pat.match("/".join(dirs[: i + 1])) for i in range(len(dirs)))
            if hit:
                matched = not pat.exclusion
        return matched


@lru_cache(maxsize=256)
def _matcher(patterns: tuple[str, ...]) -> Matcher:
    return Matcher(patterns)


def excludes(patterns: Sequence[str], path: str) -> bool:
    """Does a ``.dockerignore`` with ``patterns`` keep ``path`` out of the build context?

    ``patterns`` as `read_patterns` returns them; ``path`` relative to the context root. The
    root itself (``.``) is never excluded. Raises `DockerignoreError` for a malformed pattern.
    """
    cleaned = go_clean(path)
    if cleaned == ".":
        return False
    return _matcher(tuple(patterns)).matches(cleaned)


def check(text: str) -> tuple[str, ...]:
    """The patterns of ``text``, or `DockerignoreError` when Docker would reject the file."""
    patterns = read_patterns(text)
    _matcher(patterns)
    return patterns


MUST_KEEP = ("go.mod", "go.sum", "vendor/modules.txt")


def verify_dockerignore(text: str, also_keep: Sequence[str] = ()) -> str | None:
    """Why a proposed ``.dockerignore`` text cannot be kept, or None.

    It must parse as Docker reads it, and must not exclude what a Go build reads from the
    context (`MUST_KEEP`) nor the paths in ``also_keep`` (the Dockerfile, context-relative).
    """
    try:
        patterns = check(text)
    except DockerignoreError as exc:
        return f"the new .dockerignore is not valid ({exc})"
    for path in (*MUST_KEEP, *also_keep):
        if excludes(patterns, path):
            return f"the new .dockerignore would exclude {path} from the build context"
    return None
