"""Text edits over the original bytes of a file.

Invariants:
- A `Span` is a half-open range ``[start, end)`` of indices into the original text (``str``
  indices, i.e. code points; the document never re-encodes text).
- `apply_edits` applies edits right to left so earlier offsets stay valid, and refuses
  overlapping edits instead of guessing an order; two insertions at the same offset are kept in
  the order given.
- Everything outside the edited spans is returned byte for byte.
- An `Edit` names the file it applies to: ``path=None`` is the Dockerfile being analysed (every
  rule's default); any other path is ``/``-separated in the same terms as the Dockerfile's own
  path (relative to the repository in the App, as displayed in the CLI), e.g. the build
  context's ``.dockerignore``. Overlap is only checked between edits of the same file, and
  `apply_edits` takes the edits of one file only.
- ``create=True`` (`Edit.create`) means the file must not exist yet: the edit is its whole
  text. An edit without it needs the file to exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any


@dataclass(frozen=True, order=True)
class Span:
    """Half-open range ``[start, end)`` of offsets into a document's text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        """True when the two spans share at least one offset (touching spans do not)."""
        return self.start < other.end and other.start < self.end

    def slice(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True)
class Edit:
    """Replace ``span`` of the original text by ``replacement`` (insertion when span is empty).

    ``path`` is the file (None: the Dockerfile being analysed); ``create`` marks the whole text
    of a file that does not exist yet.
    """

    span: Span
    replacement: str
    path: str | None = None
    create: bool = False

    def __post_init__(self) -> None:
        if self.create and (self.path is None or self.span != Span(0, 0)):
            raise ValueError("a creating edit names its file and inserts at offset 0")

    @staticmethod
    def insert(offset: int, text: str, path: str | None = None) -> Edit:
        return Edit(Span(offset, offset), text, path)

    @staticmethod
    def delete(span: Span, path: str | None = None) -> Edit:
        return Edit(span, "", path)

    @staticmethod
    def create_file(path: str, text: str) -> Edit:
        """Create ``path`` (which must not exist) with ``text``."""
        return Edit(Span(0, 0), text, path, create=True)


@dataclass(frozen=True)
class SideFile:
    """A file other than the Dockerfile that verified fixes change (e.g. ``.dockerignore``).

    ``before`` is None when the fixes create the file. ``steps`` holds (rule code, text after
    that rule's fixes) in the order the rules were applied; the last one is ``after``.
    """

    path: str
    before: str | None
    after: str
    steps: tuple[tuple[str, str], ...] = ()

    @property
    def created(self) -> bool:
        return self.before is None

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "before": self.before,
            "after": self.after,
            "steps": [list(s) for s in self.steps],
        }

    @staticmethod
    def from_dict(d: Mapping[str, Any]) -> SideFile:
        return SideFile(
            str(d["path"]),
            None if d.get("before") is None else str(d["before"]),
            str(d["after"]),
            tuple((str(c), str(t)) for c, t in d.get("steps", ())),
        )


def by_path(edits: Iterable[Edit]) -> dict[str | None, list[Edit]]:
    """Edits grouped by the file they apply to, in the order given (None: the Dockerfile)."""
    out: dict[str | None, list[Edit]] = {}
    for e in edits:
        out.setdefault(e.path, []).append(e)
    return out


class OverlappingEditsError(ValueError):
    """Two edits touch the same text; applying both would be a guess."""


def _file_key(e: Edit) -> tuple[bool, str]:
    return (e.path is not None, e.path or "")


def check_overlaps(edits: Iterable[Edit]) -> list[Edit]:
    """Return the edits sorted by position, raising when any two overlap.

    Insertions at the boundary of a replacement are allowed (they do not overlap it); an
    insertion strictly inside a replaced span is an overlap. Edits of different files never
    overlap; the result is ordered by file (the Dockerfile first), then position.
    """
    ordered = sorted(enumerate(edits), key=lambda ie: (_file_key(ie[1]), ie[1].span, ie[0]))
    result = [e for _, e in ordered]
    for a, b in pairwise(result):
        if a.path != b.path:
            continue
        if a.create or b.create:
            raise OverlappingEditsError(f"{a.path}: a created file takes exactly one edit")
        a_empty = a.span.start == a.span.end
        b_empty = b.span.start == b.span.end
        if a.span.overlaps(b.span):
            raise OverlappingEditsError(f"edits overlap: {a.span} and {b.span}")
        if b_empty and a.span.start < b.span.start < a.span.end:
            raise OverlappingEditsError(f"insertion inside a replaced span: {a.span} and {b.span}")
        if a_empty and b.span.start < a.span.start < b.span.end:
            raise OverlappingEditsError(f"insertion inside a replaced span: {b.span} and {a.span}")
    return result


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits of one file to ``text`` and return the new text."""
    ordered = check_overlaps(edits)
    if len({e.path for e in ordered}) > 1:
        raise ValueError("apply_edits takes the edits of one file; group them with by_path")
    for edit in ordered:
        if edit.span.end > len(text):
            raise ValueError(f"edit {edit.span} is outside the text (length {len(text)})")
    parts: list[str] = []
    pos = 0
    for edit in ordered:
        parts.append(text[pos : edit.span.start])
        parts.append(edit.replacement)
        pos = edit.span.end
    parts.append(text[pos:])
    return "".join(parts)
