"""Text edits over the original bytes of a file.

Invariants:
- A `Span` is a half-open range ``[start, end)`` of indices into the original text (``str``
  indices, i.e. code points; the document never re-encodes text).
- `apply_edits` applies edits right to left so earlier offsets stay valid, and refuses
  overlapping edits instead of guessing an order; two insertions at the same offset are kept in
  the order given.
- Everything outside the edited spans is returned byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise


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
    """Replace ``span`` of the original text by ``replacement`` (insertion when span is empty)."""

    span: Span
    replacement: str

    @staticmethod
    def insert(offset: int, text: str) -> Edit:
        return Edit(Span(offset, offset), text)

    @staticmethod
    def delete(span: Span) -> Edit:
        return Edit(span, "")


class OverlappingEditsError(ValueError):
    """Two edits touch the same text; applying both would be a guess."""


def check_overlaps(edits: Iterable[Edit]) -> list[Edit]:
    """Return the edits sorted by position, raising when any two overlap.

    Insertions at the boundary of a replacement are allowed (they do not overlap it); an
    insertion strictly inside a replaced span is an overlap.
    """
    ordered = sorted(enumerate(edits), key=lambda ie: (ie[1].span.start, ie[1].span.end, ie[0]))
    result = [e for _, e in ordered]
    for a, b in pairwise(result):
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
    """Apply non-overlapping edits to ``text`` and return the new text."""
    ordered = check_overlaps(edits)
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
