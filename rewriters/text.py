"""Logical text: what Docker sees after joining continuation lines, mapped back to the file.

Docker removes line continuations, and skips comment lines and whitespace-only lines inside a
continued instruction, before it interprets an instruction. Rules reason about that logical
text but must edit the original bytes, so every logical character remembers the file offset it
came from.

Invariant: the map is strictly increasing, and
``logical.text[i] == file_text[logical.to_file(i)]`` for every ``i``, except characters decoded
from an escape sequence (JSON exec form), which map to the whole sequence (``\\"`` → ``"``):
their `Segment` has ``length == 1`` and a longer ``file_length``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from rewriters.edits import Span


@dataclass(frozen=True)
class Segment:
    """``length`` logical characters from ``logical_start`` copy the file text at ``file_start``."""

    logical_start: int
    file_start: int
    length: int
    file_length: int = -1  # -1: same as length (a plain copy); else one escaped char

    @property
    def file_end(self) -> int:
        return self.file_start + (self.length if self.file_length < 0 else self.file_length)


@dataclass(frozen=True)
class LogicalText:
    """A logical string assembled from segments of a file's text."""

    text: str
    segments: tuple[Segment, ...]
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(s.logical_start for s in self.segments))

    @staticmethod
    def from_segments(text: str, segments: list[Segment]) -> LogicalText:
        return LogicalText(text, tuple(segments))

    @staticmethod
    def build(file_text: str, pieces: list[tuple[int, int]]) -> LogicalText:
        """Join ``file_text[start:end]`` for each ``(start, end)`` piece, in order."""
        segments: list[Segment] = []
        chunks: list[str] = []
        pos = 0
        for start, end in pieces:
            if end <= start:
                continue
            if segments and segments[-1].file_start + segments[-1].length == start:
                last = segments[-1]
                segments[-1] = Segment(
                    last.logical_start, last.file_start, last.length + end - start
                )
            else:
                segments.append(Segment(pos, start, end - start))
            chunks.append(file_text[start:end])
            pos += end - start
        return LogicalText("".join(chunks), tuple(segments))

    def to_file(self, index: int) -> int:
        """File offset of logical character ``index`` (past the end: after the last segment)."""
        if not self.segments:
            raise IndexError("empty logical text has no file offsets")
        if index >= len(self.text):
            return self.segments[-1].file_end + (index - len(self.text))
        seg = self._segment(index)
        return seg.file_start + (index - seg.logical_start)

    def _segment(self, index: int) -> Segment:
        return self.segments[bisect_right(self._starts, index) - 1]

    def end_of(self, index: int) -> int:
        """File offset just after logical character ``index``."""
        seg = self._segment(index)
        if seg.file_length >= 0:
            return seg.file_end
        return seg.file_start + (index - seg.logical_start) + 1

    def span(self, start: int, end: int) -> Span:
        """File span covering logical characters ``[start, end)``.

        The span runs from the first character's offset to just after the last character's
        offset, so it includes any continuation or comment lines the logical range crosses.
        An empty logical range maps to an empty span at the file offset of ``start``.
        """
        if end <= start:
            if not self.segments:
                return Span(0, 0)
            if start > 0 and start >= len(self.text):
                off = self.end_of(len(self.text) - 1)
            else:
                off = self.to_file(start)
            return Span(off, off)
        return Span(self.to_file(start), self.end_of(end - 1))

    def slice(self, start: int, end: int) -> LogicalText:
        """The logical text ``[start, end)`` with its file map."""
        segs: list[Segment] = []
        for seg in self.segments:
            s = max(start, seg.logical_start)
            e = min(end, seg.logical_start + seg.length)
            if s < e:
                off = seg.file_start + (s - seg.logical_start)
                segs.append(Segment(s - start, off, e - s, seg.file_length))
        return LogicalText(self.text[start:end], tuple(segs))
