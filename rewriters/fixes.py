"""Edit builders shared by rules: remove an element or an instruction, replace a value.

Every builder keeps what a maintainer wrote around the edit: comment lines inside a continued
instruction are never deleted, the continuation layout of the remaining lines stays, and the
file's line breaks are reused (never a new ``\\n`` in a CRLF file). When a clean edit is not
possible the builder returns None and the rule reports instead of editing.
"""

from __future__ import annotations

from collections.abc import Sequence

from rewriters.document import Document, Instruction
from rewriters.edits import Edit, Span


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
