"""Pull request title, body and commit messages, and the configuration-error issue. Pure.

Everything here turns a `Proposal` (plus Scorecard data and the PR's history) into text: no
I/O, no clock, no network. The explanations are built from the rule docstrings (the same text
`gocomply explain` and ``docs/rules/`` show), condensed by whole sentences so no fact is
reworded, and from each finding's own message, which quotes this repository's text.

Invariants:
- The body's last line is the machine-readable marker ``<!-- gocomply:v1 {json} -->`` with the
  applied fingerprints, the declined ones carried forward, the gocomply version, the config
  hash and the base commit; `parse_marker` reads it back from any body, edited or not, and never
  raises.
- The body stays within ``max_chars`` (GitHub's limit is 65,536): diffs go first (largest
  first, each leaving a note), then rows of the changes table and of the lists, then the
  per-finding examples in the explanations; the explanations themselves, the opt-out block, the
  hand-back box and the marker always stay.
- Claims are made only when they hold: "the binaries stay the same" only when every applied
  rule declares that it keeps them (`Rule.outputs`), a declined PR's changes are said to be absent
  only when the fingerprints show it, and the Scorecard sentence follows from the counts.
- Anything that looks like a token is redacted (`bot.auth.redact`) although bodies only ever
  hold repository text.

``python -m bot.pr_body --examples`` renders sample bodies for ``examples/`` into
``docs/examples/`` (the only function here that reads files: `example_pages`).
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import html
import json
import posixpath
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, cast

from bot.auth import redact
from bot.config import SCHEMA_BASE
from bot.gitcommit import FAMILY_SUBJECTS, commit_message
from bot.output import INFORMATION_URI, unified_diff
from bot.proposal import FileChange, Proposal
from bot.scorecard import (
    NOT_FOUND_MESSAGE,
    SELECTED_CHECKS,
    PinnedCount,
    ScorecardStatus,
    format_score,
    pinned_dependencies,
    projection_table,
)
from rewriters.document import Document
from rewriters.findings import Finding
from rewriters.mounts import mount_options
from rewriters.registry import Rule, family_of, find_rule

GITHUB_BODY_LIMIT = 65536
DIFF_MAX_LINES = 150  # a longer diff is not inlined: the Files tab shows it better
EXAMPLES_PER_RULE = 5  # findings quoted under "What was wrong" before "…and N more"
WHY_MAX_CHARS = 600
SAFETY_MAX_CHARS = 500
MARKER_VERSION = 1
HANDBACK_LABEL = "Let gocomply update this PR again"
CONFIG_ISSUE_TITLE = "gocomply: configuration error"
RULE_DOCS_URL = INFORMATION_URI + "/blob/main/docs/rules/{code}.md"
SCORECARD_URL = "https://scorecard.dev"
_DEFAULT_TITLE_PREFIX = "gocomply:"
STOPPED_REASON = "someone else pushed to its branch"
_STOPPED_LEAD = "> **gocomply stopped updating this pull request**"

# What an applied fix changes in the build's outputs. None: the binaries, their paths and the
# images' entrypoints stay the same (the rule's fix safety says so). A rule missing here gets no
# claim at all.


def _outputs(code: str) -> str | None:
    """What a rule's fix changes in the build's outputs (None: nothing); "?" when unknown."""
    r = find_rule(code)
    return "?" if r is None else r.outputs


# --------------------------------------------------------------------------- inputs we read


class ScorecardCheckLike(Protocol):
    """What the body reads of `bot.scorecard.ScorecardCheck`."""

    @property
    def name(self) -> str: ...
    @property
    def score(self) -> float: ...  # -1 when Scorecard could not decide
    @property
    def reason(self) -> str: ...
    @property
    def doc_url(self) -> str: ...


class ScorecardResultLike(Protocol):
    """What the body reads of `bot.scorecard.ScorecardResult`."""

    @property
    def date(self) -> object: ...
    @property
    def repo_commit(self) -> str: ...
    @property
    def scorecard_version(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def checks(self) -> Sequence[ScorecardCheckLike]: ...


class ScorecardStatusLike(Protocol):
    """`bot.scorecard.ScorecardStatus`: a result, or the plain reason there is none."""

    @property
    def result(self) -> ScorecardResultLike | None: ...
    @property
    def message(self) -> str: ...


class PinnedCountLike(Protocol):
    """`bot.scorecard.PinnedCount`: (pinned, total) per Scorecard dependency type."""

    @property
    def container_images(self) -> tuple[int, int]: ...
    @property
    def go_commands(self) -> tuple[int, int]: ...


class ConfigErrorLike(Protocol):
    """`bot.config.ConfigError`."""

    @property
    def file(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def key(self) -> str | None: ...
    @property
    def message(self) -> str: ...
    @property
    def hint(self) -> str | None: ...


# --------------------------------------------------------------------------- small helpers


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _code(text: str) -> str:
    """``text`` as one inline code span, whatever backticks it holds."""
    text = " ".join(text.split("\n"))
    runs = [len(m) for m in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _cell(text: str) -> str:
    """Markdown for one table cell: one line, pipes escaped (also inside code spans)."""
    return " ".join(text.split()).replace("|", "\\|")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _rule_url(code: str) -> str:
    return RULE_DOCS_URL.format(code=code)


def _rule_label(f: Finding) -> str:
    return f"{f.code} {f.name}"


def _strip_period(text: str) -> str:
    return text[:-1] if text.endswith(".") else text


_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "cf.")


def sentences(paragraph: str) -> list[str]:
    """The sentences of one Markdown paragraph (never split inside a code span)."""
    text = " ".join(paragraph.split())
    out: list[str] = []
    start = i = 0
    while i < len(text):
        c = text[i]
        if c == "`":
            j = i
            while j < len(text) and text[j] == "`":
                j += 1
            close = re.compile(r"(?<!`)" + re.escape(text[i:j]) + r"(?!`)").search(text, j)
            i = close.end() if close else j
            continue
        if c in ".!?" and text[i + 1 : i + 2] == " " and i + 2 < len(text):
            word = text[start : i + 1].rsplit(" ", 1)[-1].lower()
            nxt = text[i + 2]
            if word not in _ABBREVIATIONS and (nxt.isupper() or nxt.isdigit() or nxt in "`(*\"'"):
                out.append(text[start : i + 1])
                start = i + 2
        i += 1
    if start < len(text):
        out.append(text[start:])
    return out


def condense(section: str, max_chars: int, *, keep: Callable[[str], bool] | None = None) -> str:
    """The first paragraph of a docstring section, cut after whole sentences.

    At least one sentence, then as many as fit in ``max_chars``; a trailing sentence that
    introduces a list (ends with ``:``) is dropped. With ``keep``, only the sentences of the whole
    section it accepts are used (in order).
    """
    paragraphs = [p for p in section.strip().split("\n\n") if p.strip()]
    if keep is None:
        pool = sentences(paragraphs[0]) if paragraphs else []
    else:
        pool = [
            s for p in paragraphs if not p.lstrip().startswith(("-", "```")) for s in sentences(p)
        ]
        pool = [s for s in pool if keep(s)]
    chosen: list[str] = []
    size = 0
    for s in pool:
        if chosen and size + len(s) + 1 > max_chars:
            break
        chosen.append(s)
        size += len(s) + 1
    while len(chosen) > 1 and chosen[-1].endswith(":"):
        chosen.pop()
    if chosen and chosen[-1].endswith(":"):
        chosen[-1] = chosen[-1][:-1] + "."
    return " ".join(chosen)


# --------------------------------------------------------------------------- title


def _families(codes: Iterable[str]) -> list[str]:
    return sorted({family_of(c) for c in codes})


def title_phrase(codes: Sequence[str]) -> str:
    """What the PR does, in the words of the commit subjects (`bot.gitcommit`)."""
    ordered = sorted(set(codes))
    if len(ordered) == 1:
        only = find_rule(ordered[0])
        return only.commit if only is not None else "fix Go Dockerfile findings"
    fams = _families(ordered)
    if len(fams) == 1:
        return FAMILY_SUBJECTS.get(fams[0], "fix Go Dockerfile findings")
    return "remove dangerous Go build settings and apply safe practices"


def render_title(proposal: Proposal, *, prefix: str | None = None) -> str:
    """``<prefix> <what> (<n> fixes in <m> Dockerfiles)``; prefix from ``pr.title_prefix``."""
    lead = (prefix or "").strip() or _DEFAULT_TITLE_PREFIX
    applied = proposal.applied
    files = len(proposal.changes)
    what = title_phrase(proposal.codes) if proposal.codes else "no changes to propose"
    count = f" ({_plural(len(applied), 'fix', 'fixes')} in {_plural(files, 'Dockerfile')})"
    return redact(f"{lead} {what}{count if applied else ''}")


# --------------------------------------------------------------------------- commit messages


def render_commit_message(codes: Sequence[str], proposal: Proposal) -> str:
    """The commit for the fixes of ``codes`` (one rule family): `bot.gitcommit`'s format."""
    wanted = set(codes)
    by_path: dict[str, list[Finding]] = {}
    for path, f in proposal.applied:
        if f.code in wanted:
            by_path.setdefault(path, []).append(f)
    return redact(commit_message(sorted(wanted), by_path))


def commit_groups(proposal: Proposal) -> list[tuple[str, ...]]:
    """The applied codes grouped one commit per rule family, in code order."""
    groups: dict[str, list[str]] = {}
    for code in proposal.codes:
        groups.setdefault(family_of(code), []).append(code)
    return [tuple(groups[k]) for k in sorted(groups)]


# --------------------------------------------------------------------------- the marker


@dataclass(frozen=True)
class Marker:
    """What a PR body remembers for the next run (the hidden last line)."""

    fingerprints: tuple[str, ...]
    declined: tuple[str, ...] = ()
    tool_version: str = ""
    config_hash: str = ""
    base_sha: str = ""
    content: str = ""  # the planner's content hash of the proposal
    stopped: bool = False  # gocomply stopped updating this PR (someone else pushed)

    def render(self) -> str:
        data: dict[str, object] = {
            "v": MARKER_VERSION,
            "fingerprints": _group(self.fingerprints),
            "declined": _group(self.declined),
            "tool": self.tool_version,
            "config": self.config_hash,
            "base": self.base_sha,
            "content": self.content,
        }
        if self.stopped:
            data["stopped"] = True
        text = json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
        # never close the HTML comment early, whatever a path holds
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return f"<!-- gocomply:v{MARKER_VERSION} {text} -->"


def _group(fps: Iterable[str]) -> dict[str, list[str]]:
    """``CODE:path:hash`` fingerprints grouped by path (``path -> ["CODE:hash", …]``)."""
    out: dict[str, list[str]] = {}
    for fp in sorted(set(fps)):
        code, sep, rest = fp.partition(":")
        path, sep2, digest = rest.rpartition(":")
        if sep and sep2 and path:
            out.setdefault(path, []).append(f"{code}:{digest}")
        else:  # not a gocomply fingerprint: kept as is
            out.setdefault("", []).append(fp)
    return out


def _ungroup(data: object) -> tuple[str, ...] | None:
    if not isinstance(data, dict):
        return None
    out: list[str] = []
    for path, items in data.items():
        if not isinstance(path, str) or not isinstance(items, list):
            return None
        for item in items:
            if not isinstance(item, str):
                return None
            if path:
                code, sep, digest = item.partition(":")
                if not sep:
                    return None
                out.append(f"{code}:{path}:{digest}")
            else:
                out.append(item)
    return tuple(sorted(set(out)))


_MARKER_RE = re.compile(r"^ {0,3}<!-- gocomply:v(\d+) (\{.*\}) -->\s*$")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")


def _outside_code(body: str) -> Iterable[str]:
    """The lines of ``body`` that are not inside fenced code blocks (CommonMark fences)."""
    code = set(_code_line_numbers(body))
    for i, line in enumerate(body.split("\n")):
        if i not in code:
            yield line.rstrip("\r")


def parse_marker(body: object) -> Marker | None:
    """The last valid gocomply marker of a PR body outside code blocks, or None. Never raises."""
    try:
        if not isinstance(body, str):
            return None
        found: Marker | None = None
        for line in _outside_code(body):
            if "gocomply:v" not in line:
                continue
            m = _MARKER_RE.match(line)
            if m is None or m.group(1) != str(MARKER_VERSION):
                continue
            marker = _marker_from_json(m.group(2))
            if marker is not None:
                found = marker
        return found
    except Exception:  # an edited body must never break a run
        return None


def _marker_from_json(text: str) -> Marker | None:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("v") != MARKER_VERSION:
        return None
    fps = _ungroup(data.get("fingerprints"))
    declined = _ungroup(data.get("declined", {}))
    strings = [data.get(k, "") for k in ("tool", "config", "base", "content")]
    stopped = data.get("stopped", False)
    if fps is None or declined is None or not all(isinstance(s, str) for s in strings):
        return None
    if not isinstance(stopped, bool):
        return None
    tool, config, base, content = (cast(str, s) for s in strings)
    return Marker(fps, declined, tool, config, base, content, stopped)


_HANDBACK_RE = re.compile(
    r"^\s{0,3}[-*+]\s+\[([ xX])\]\s+" + re.escape(HANDBACK_LABEL) + r"\b", re.IGNORECASE
)


def handback_requested(body: object) -> bool:
    """Has a maintainer ticked the hand-back box? (outside code blocks; never raises)"""
    try:
        if not isinstance(body, str):
            return False
        for line in _outside_code(body):
            m = _HANDBACK_RE.match(line)
            if m and m.group(1) in "xX":
                return True
        return False
    except Exception:
        return False


def clear_handback(body: str) -> str:
    """``body`` with the hand-back box unticked (once gocomply has taken the PR back)."""

    def untick(m: re.Match[str]) -> str:
        return m.group(0)[: m.start(1) - m.start(0)] + " " + m.group(0)[m.end(1) - m.start(0) :]

    lines = body.split("\n")
    code = set(_code_line_numbers(body))
    for i, line in enumerate(lines):
        if i not in code:
            lines[i] = _HANDBACK_RE.sub(untick, line)
    return "\n".join(lines)


def mark_stopped(body: str, reason: str = STOPPED_REASON) -> str:
    """``body`` with the "stopped" note on top and ``stopped`` set in its marker.

    The rest of the body (a maintainer may have edited it) is kept as it is. A body without a
    valid marker gets none (there is nothing to carry forward); the note is added once, and not
    at all when it would take the body over GitHub's limit (the marker's flag is what counts).
    """
    marker = parse_marker(body)
    lines = body.split("\n")
    if marker is not None and not marker.stopped:
        new = dataclasses.replace(marker, stopped=True).render()
        code = set(_code_line_numbers(body))
        for i in range(len(lines) - 1, -1, -1):
            m = _MARKER_RE.match(lines[i].rstrip("\r"))
            if i not in code and m and _marker_from_json(m.group(2)) == marker:
                lines[i] = new
                break
    text = "\n".join(lines)
    note = _stopped_note(reason) + "\n\n"
    if _STOPPED_LEAD not in text and len(note) + len(text) <= GITHUB_BODY_LIMIT:
        text = note + text
    return text


def _code_line_numbers(body: str) -> Iterable[int]:
    """Indices of ``body.split("\\n")`` lines inside fenced code blocks (fences included)."""
    fence: str | None = None
    for i, raw in enumerate(body.split("\n")):
        line = raw.rstrip("\r")
        m = _FENCE_RE.match(line)
        if fence is None:
            if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
                fence = m.group(1)
                yield i
        else:
            yield i
            if (
                m
                and m.group(1)[0] == fence[0]
                and len(m.group(1)) >= len(fence)
                and not m.group(2).strip()
            ):
                fence = None


# --------------------------------------------------------------------------- diffs


@functools.lru_cache(maxsize=512)
def display_diff(path: str, before: str, after: str) -> tuple[str, int, bool]:
    """(diff text safe to put in a code block, its line count, CRLF file?)

    A file whose lines all end in CRLF before and after is shown with LF (the caller says the
    endings are kept); otherwise a CR is shown as ``␍`` so changed endings are visible. Other
    control characters are shown as their Unicode control pictures.
    """
    diff = unified_diff(path, before, after)
    crlf = _all_crlf(before) and _all_crlf(after)
    lines = diff.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    shown = []
    for line in lines:
        if crlf and line.endswith("\r"):
            line = line[:-1]
        shown.append(_visible(line))
    return "\n".join(shown), len(shown), crlf


def _all_crlf(text: str) -> bool:
    body = text[:-1] if text.endswith("\n") else text
    return "\n" in text and all(
        line.endswith("\r") for line in body.split("\n")[: text.count("\n")]
    )


def _visible(line: str) -> str:
    return "".join(
        chr(0x2400 + ord(c)) if ord(c) < 32 and c != "\t" else ("␡" if c == "\x7f" else c)
        for c in line
    )


def _fenced(text: str, info: str) -> str:
    runs = [len(m) for m in re.findall(r"`{3,}", text)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return f"{fence}{info}\n{text}\n{fence}"


def _diff_counts(diff: str) -> tuple[int, int]:
    plus = minus = 0
    for line in diff.split("\n"):
        if line.startswith("+") and not line.startswith("+++ "):
            plus += 1
        elif line.startswith("-") and not line.startswith("--- "):
            minus += 1
    return plus, minus


# --------------------------------------------------------------------------- the body


@dataclass(frozen=True)
class _Budget:
    """How much of the optional detail to show (the body shrinks by these steps)."""

    omit_diffs: frozenset[str] = frozenset()
    table_rows: int | None = None  # None: all
    examples_per_rule: int = EXAMPLES_PER_RULE
    not_applied_rows: int | None = None
    scorecard_reasons: bool = True


@dataclass(frozen=True)
class _Input:
    proposal: Proposal
    scorecard: ScorecardStatusLike | None
    pinned_before: PinnedCountLike | None
    pinned_after: PinnedCountLike | None
    declined_pr: int | None
    stopped_reason: str | None  # set: show the "stopped" note on top
    marker: Marker
    declined: frozenset[str]
    contexts: Mapping[str, str] | None
    build_now: str  # does not depend on the budget: computed once, not per trial render


def render_body(
    proposal: Proposal,
    *,
    scorecard: ScorecardStatusLike | None = None,
    pinned_before: PinnedCountLike | None = None,
    pinned_after: PinnedCountLike | None = None,
    declined_pr: int | None = None,
    stopped_reason: str | None = None,
    config_hash: str,
    base_sha: str = "",
    declined: Sequence[str] = (),
    contexts: Mapping[str, str] | None = None,
    content: str = "",
    stopped: bool = False,
    max_chars: int = GITHUB_BODY_LIMIT,
) -> str:
    """The pull request body for ``proposal``.

    ``scorecard``: the Scorecard API answer (None: not looked up; the section then shows only
    gocomply's own count). ``pinned_before``/``pinned_after``: gocomply's count of the
    Pinned-Dependencies Dockerfile part without and with this PR. ``declined_pr``: number of the
    closed, unmerged PR this one follows; ``declined``: fingerprints declined before (carried
    forward in the marker). ``stopped``/``stopped_reason``: gocomply stopped updating this PR
    (the note on top says why; the marker remembers it). ``content``: the planner's content
    hash, kept in the marker. ``contexts``: build-context directory per changed Dockerfile for
    the ``docker build`` commands (missing: the repository root). The result is at most
    ``max_chars`` long unless the marker and the explanations alone are longer.
    """
    marker = Marker(
        proposal.fingerprints,
        tuple(sorted(set(declined))),
        proposal.tool_version,
        config_hash,
        base_sha,
        content,
        stopped or stopped_reason is not None,
    )
    if stopped and stopped_reason is None:
        stopped_reason = STOPPED_REASON
    data = _Input(
        proposal,
        scorecard,
        pinned_before,
        pinned_after,
        declined_pr,
        stopped_reason,
        marker,
        frozenset(declined),
        contexts,
        _build_now_section(proposal),
    )
    return _fit(data, max_chars)


def _fit(data: _Input, max_chars: int) -> str:
    budget = _Budget()
    body = _render(data, budget)
    if len(body) <= max_chars:
        return body
    # 1. diffs, largest first
    sizes = sorted(
        (
            (len(_diff_of(f)), f.path)
            for f in data.proposal.changes
            if f.path not in budget.omit_diffs
        ),
        reverse=True,
    )
    for _, path in sizes:
        budget = dataclasses.replace(budget, omit_diffs=budget.omit_diffs | {path})
        body = _render(data, budget)
        if len(body) <= max_chars:
            return body
    # 2. rows of the changes table, 3. examples per rule, 4. rows of "Not applied"
    n_rows = len(data.proposal.applied)
    budget, body = _shrink(
        data, max_chars, n_rows, lambda n: dataclasses.replace(budget, table_rows=n)
    )
    if len(body) <= max_chars:
        return body
    for n in range(EXAMPLES_PER_RULE - 1, -1, -1):
        budget = dataclasses.replace(budget, examples_per_rule=n)
        body = _render(data, budget)
        if len(body) <= max_chars:
            return body
    n_rest = len(_not_applied(data.proposal))
    budget, body = _shrink(
        data, max_chars, n_rest, lambda n: dataclasses.replace(budget, not_applied_rows=n)
    )
    if len(body) <= max_chars:
        return body
    budget = dataclasses.replace(budget, scorecard_reasons=False)
    body = _render(data, budget)
    if len(body) <= max_chars:
        return body
    return _hard_cut(body, max_chars)


def _shrink(
    data: _Input, max_chars: int, total: int, with_rows: Callable[[int], _Budget]
) -> tuple[_Budget, str]:
    """The budget with the largest row count whose body fits (0 rows when none does)."""
    lo, hi = 0, total
    best = with_rows(0)
    best_body = _render(data, best)
    if len(best_body) > max_chars:
        return best, best_body
    while lo < hi:
        mid = (lo + hi + 1) // 2
        trial = with_rows(mid)
        text = _render(data, trial)
        if len(text) <= max_chars:
            lo, best, best_body = mid, trial, text
        else:
            hi = mid - 1
    return best, best_body


_CUT_NOTE = "\n\n_(gocomply cut this description to fit GitHub's size limit.)_\n\n"


def _hard_cut(body: str, max_chars: int) -> str:
    """Last resort: cut the middle, keep the opt-out block, the hand-back box and the marker."""
    start = body.find("<details><summary>Configure or opt out</summary>")
    if start < 0:
        start = body.rfind("\n<!-- gocomply:v")
    tail = body[start:]
    room = max_chars - len(tail) - len(_CUT_NOTE)
    if room <= 0:
        return tail
    head = body[:room]
    head = head[: head.rfind("\n")] if "\n" in head else ""
    inside = set(_code_line_numbers(head))
    lines = head.split("\n")
    while lines and len(lines) - 1 in inside:  # never leave a code block open
        lines.pop()
    head = "\n".join(lines)
    if head.count("<details>") > head.count("</details>"):
        head = head[: head.rfind("<details>")]
    return head + _CUT_NOTE + tail


def _diff_of(f: FileChange) -> str:
    return display_diff(f.path, f.before, f.after)[0]


def _render(data: _Input, budget: _Budget) -> str:
    p = data.proposal
    parts: list[str] = []
    if data.stopped_reason is not None:
        parts.append(_stopped_note(data.stopped_reason))
    if data.declined_pr is not None:
        parts.append(_declined_line(data))
    parts.append(_summary(p))
    if p.applied:
        parts.append(_changes_table(p, budget))
        parts.extend(_diff_blocks(p, budget))
        parts.extend(_rule_sections(p, budget))
        parts.append(_verify_section(p, data.contexts))
        parts.append(data.build_now)
    rest = _not_applied_section(p, budget)
    if rest:
        parts.append(rest)
    parts.append(_scorecard_section(data, budget))
    parts.append(_opt_out_block(p))
    parts.append(_handback_block())
    text = "\n\n".join(s.strip("\n") for s in parts if s)
    return redact(text) + "\n\n" + data.marker.render() + "\n"


def _stopped_note(reason: str) -> str:
    return (
        f"{_STOPPED_LEAD}: {_strip_period(_one_line(reason) or STOPPED_REASON)}. Your commits "
        "stay as they are. To hand the pull request back, tick the box at the end of this "
        "description or delete the branch."
    )


def _declined_line(data: _Input) -> str:
    ref = f"#{data.declined_pr}"
    again = [fp for fp in data.proposal.fingerprints if fp in data.declined]
    if not data.declined:
        return (
            f"A previous proposal ({ref}) was closed without being merged; gocomply does not "
            "propose the changes declined there again."
        )
    if not again:
        return (
            f"A previous proposal ({ref}) was closed without being merged; this one contains "
            "only changes that were not in it."
        )
    return (
        f"A previous proposal ({ref}) was closed without being merged. This one is about new "
        f"findings; {_plural(len(again), 'change')} from {ref} "
        f"{'appears' if len(again) == 1 else 'appear'} again because "
        "a file with a new finding is proposed whole."
    )


def _summary(p: Proposal) -> str:
    applied = p.applied
    if not applied:
        pending = len(_not_applied(p))
        if pending:
            return (
                "gocomply has no change to make in this repository's Go Dockerfiles; "
                f"{_plural(pending, 'finding')} need your decision (below)."
            )
        return "gocomply has no change to make in this repository's Go Dockerfiles."
    codes = list(p.codes)
    listed = ", ".join(codes[:-1]) + f" and {codes[-1]}" if len(codes) > 1 else codes[0]
    lead = (
        f"gocomply fixes {_plural(len(applied), 'finding')} in "
        f"{_plural(len(p.changes), 'Go Dockerfile')} of this repository, with "
        f"{'rule' if len(codes) == 1 else 'rules'} {listed}."
    )
    pending = len(_not_applied(p))
    if pending:
        lead += (
            f" {_plural(pending, 'more finding')} {'needs' if pending == 1 else 'need'} your "
            "decision (see **Not applied** below)."
        )
    out = [lead, "Nothing else in the files changed."]
    unsafe = sorted({f.code for _, f in applied if f.applicability == "unsafe"})
    effects = [_outputs(f.code) for _, f in applied]
    if unsafe:
        out.append(
            f"Unsafe fixes ({', '.join(unsafe)}) are included because the configuration's "
            "`unsafe_fixes` allows them: they change how the image is built or run (see below)."
        )
    elif "?" not in effects:
        changed = sorted({e for e in effects if e})
        if not changed:
            out.append("The built binaries, their paths and the images' entrypoints stay the same.")
        else:
            out.append(
                "The binaries keep their paths and the images' entrypoints stay the same; what "
                f"does change: {'; '.join(changed)}."
            )
    return " ".join(out)


def _changes_table(p: Proposal, budget: _Budget) -> str:
    rows = sorted(p.applied, key=lambda pf: (pf[0], pf[1].line, pf[1].column, pf[1].code))
    shown = rows if budget.table_rows is None else rows[: budget.table_rows]
    lines = ["| file | line | rule | change |", "|---|---|---|---|"]
    for path, f in shown:
        lines.append(
            f"| {_cell(_code(path))} | {f.line} | {_cell(_rule_label(f))} | "
            f"{_cell((f.fix.description if f.fix else '') or f.message)} |"
        )
    if len(shown) < len(rows):
        lines.append(f"| … | | | …and {len(rows) - len(shown)} more (see the Files tab) |")
    return "\n".join(lines)


def _diff_blocks(p: Proposal, budget: _Budget) -> list[str]:
    out = []
    for f in p.changes:
        diff, n, crlf = display_diff(f.path, f.before, f.after)
        plus, minus = _diff_counts(diff)
        name = html.escape(f.path)
        if f.path in budget.omit_diffs or n > DIFF_MAX_LINES:
            out.append(
                f"<sub>Diff of <code>{name}</code> omitted: {_plural(n, 'line')}; "
                "see the Files tab.</sub>"
            )
            continue
        note = "\n\nThis file uses CRLF line endings; the changed lines keep them." if crlf else ""
        out.append(
            f"<details><summary>Diff of <code>{name}</code> (+{plus} −{minus})</summary>{note}\n\n"
            f"{_fenced(diff, 'diff')}\n\n</details>"
        )
    return out


def _rule_sections(p: Proposal, budget: _Budget) -> list[str]:
    by_code: dict[str, list[tuple[str, Finding]]] = {}
    for path, f in p.applied:
        by_code.setdefault(f.code, []).append((path, f))
    return [_rule_section(code, by_code[code], budget) for code in sorted(by_code)]


def _rule_section(code: str, items: list[tuple[str, Finding]], budget: _Budget) -> str:
    rule = find_rule(code)
    first = items[0][1]
    items = sorted(items, key=lambda pf: (pf[0], pf[1].line, pf[1].column))
    heading = f"### {code} {first.name}"
    if rule is not None:
        heading += f": {_strip_period(rule.doc.summary)}"
    paragraphs = [heading]
    if len(items) == 1:
        path, f = items[0]
        paragraphs.append(
            f"**What was wrong.** {_code(path)} line {f.line}: {_one_line(f.message)}"
        )
    else:
        shown = items[: budget.examples_per_rule]
        bullets = [f"- {_code(path)} line {f.line}: {_one_line(f.message)}" for path, f in shown]
        if len(shown) < len(items):
            bullets.append(f"- …and {_plural(len(items) - len(shown), 'more finding')} of {code}.")
        paragraphs.append("**What was wrong.**\n" + "\n".join(bullets))
    if rule is not None:
        paragraphs.append(f"**Why it matters.** {condense(rule.doc.why, WHY_MAX_CHARS)}")
        paragraphs.append(f"**The fix and its safety.** {_safety(rule, items)}")
        paragraphs.append(f"More: [{code} {rule.name}]({_rule_url(code)}).")
    return "\n\n".join(paragraphs)


def _safety(rule: Rule, items: list[tuple[str, Finding]]) -> str:
    text = condense(rule.doc.fix_safety, SAFETY_MAX_CHARS)
    if any(f.applicability == "unsafe" for _, f in items):
        extra = condense(
            rule.doc.fix_safety, SAFETY_MAX_CHARS, keep=lambda s: "unsafe" in s.lower()
        )
        label = f"Unsafe, applied because the configuration's `unsafe_fixes` lists {rule.code}."
        return " ".join(t for t in (label, text, extra if extra not in text else "") if t)
    if re.match(r"^\**safe\**[.:]", text, re.IGNORECASE):
        return text
    return f"Safe. {text}"


def _verify_section(p: Proposal, contexts: Mapping[str, str] | None) -> str:
    cmds: list[str] = []
    secrets: set[str] = set()
    for f in p.changes:
        ctx = (contexts or {}).get(f.path, "") or "."
        new_secrets = _secret_ids(f.after) - _secret_ids(f.before)
        secrets |= new_secrets
        flags = "".join(
            f" --secret {_shell_word(f'id={s},src=/path/to/{s}')}" for s in sorted(new_secrets)
        )
        cmds.append(f"docker build{flags} -f {_shell_word(f.path)} {_shell_word(ctx)}")
    where = (
        "From the repository root:"
        if contexts is not None
        else "From the repository root (use the build context you normally build with):"
    )
    lines = ["### How to verify", where, _fenced("\n".join(cmds), "sh")]
    if secrets:
        lines.append(
            "The build now reads "
            + ", ".join(_code(s) for s in sorted(secrets))
            + " from a BuildKit secret mount: pass it with `--secret` as above (replace the "
            "path with the file that holds it). Secret mounts never end up in the image."
        )
    return "\n\n".join(lines)


def secrets_from_build_args(before: str, after: str) -> list[tuple[str, str]]:
    """``(secret id, variable)`` of each ``RUN --mount=type=secret,…,env=NAME`` in ``after``
    that ``before`` did not have, where ``before`` declared ``ARG NAME``: a value the build
    took with ``--build-arg NAME=…`` and now takes with ``--secret id=…,env=NAME``."""
    old_args = {
        p.key.value for ins in Document.parse(before).walk() if ins.name == "ARG" for p in ins.pairs
    }
    seen = set(_env_secrets(before))
    out: list[tuple[str, str]] = []
    for pair in _env_secrets(after):
        if pair not in seen and pair[1] in old_args and pair not in out:
            out.append(pair)
    return sorted(out, key=lambda p: p[1])


def _env_secrets(text: str) -> list[tuple[str, str]]:
    out = []
    for ins in Document.parse(text).walk():
        if ins.name != "RUN":
            continue
        for f in ins.flags_named("mount"):
            opts = mount_options(f.value or "")
            if opts["type"] == "secret" and opts.get("env"):
                out.append((opts.get("id") or opts["env"], opts["env"]))
    return out


def _build_now_section(p: Proposal) -> str:
    """How to invoke the build after fixes that turned build arguments into secret mounts:
    the ``docker build`` flags and the ``docker/build-push-action`` inputs. gocomply does not
    edit workflow files (that needs the ``workflows`` permission), so they are shown here."""
    pairs: list[tuple[str, str]] = []
    for f in p.changes:
        if "type=secret" not in f.after:  # the common case: no parse needed
            continue
        for pair in secrets_from_build_args(f.before, f.after):
            if pair not in pairs:
                pairs.append(pair)
    if not pairs:
        return ""
    names = ", ".join(_code(env) for _, env in pairs)
    old = " ".join(f"--build-arg {env}=…" for _, env in pairs)
    new = " ".join(f"--secret {_shell_word(f'id={sid},env={env}')}" for sid, env in pairs)
    yaml_old = "\n".join(f"  #   {env}=${{{{ secrets.{env} }}}}" for _, env in pairs)
    yaml_new = "\n".join(f"    {sid}=${{{{ secrets.{env} }}}}" for sid, env in pairs)
    return "\n\n".join(
        [
            "### How to build now",
            f"The build takes {names} from a BuildKit secret instead of a build argument, "
            "so the value no longer ends up in the image's history or the build cache. "
            f"Where you ran `docker build {old} .`, set the variable in the environment of "
            "`docker build` and run:",
            _fenced(f"docker build {new} .", "sh"),
            "In GitHub Actions, `docker/build-push-action` takes it under `secrets:` instead "
            "of `build-args:` (use the repository secret you passed before):",
            _fenced(
                f"with:\n  # was:\n  # build-args: |\n{yaml_old}\n  secrets: |\n{yaml_new}",
                "yaml",
            ),
            "gocomply does not change files under `.github/workflows/` (that needs the "
            "`workflows` permission, which it does not ask for): make this change in the "
            "workflow yourself, in the same pull request.",
        ]
    )


_SECRET_RE = re.compile(r"--mount=(?:[^\s]*?,)?type=secret(?:,[^\s]*)?")
_SECRET_ID_RE = re.compile(r"(?:^|,)(?:id|target)=([^,\s]+)")


def _secret_ids(text: str) -> set[str]:
    out = set()
    for m in _SECRET_RE.finditer(text):
        opts = m.group(0)[len("--mount=") :]
        ids = dict(kv.split("=", 1) for kv in opts.split(",") if "=" in kv)
        name = ids.get("id") or posixpath.basename(ids.get("target", "") or ids.get("dst", ""))
        if name:
            out.add(name)
    return out


def _shell_word(word: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9_./@%+=:,-]+", word):
        return word
    return "'" + word.replace("'", "'\\''") + "'"


def _not_applied(p: Proposal) -> list[tuple[str, Finding]]:
    rows = [(f.path, x) for f in p.files for x in f.findings if not x.fix_applied]
    return sorted(rows, key=lambda pf: (pf[1].code, pf[0], pf[1].line, pf[1].column))


def _not_applied_section(p: Proposal, budget: _Budget) -> str:
    rows = _not_applied(p)
    if not rows:
        return ""
    shown = rows if budget.not_applied_rows is None else rows[: budget.not_applied_rows]
    lines = ["### Not applied (needs your decision)"]
    for path, f in shown:
        lines.append(_not_applied_item(path, f))
    if len(shown) < len(rows):
        lines.append(
            f"- …and {_plural(len(rows) - len(shown), 'more finding')}; run `gocomply check` "
            "in the repository to see them all."
        )
    return "\n".join(lines)


def _not_applied_item(path: str, f: Finding) -> str:
    head = f"- {_code(path)} line {f.line}, {f.code} {f.name}: {_one_line(f.message)}"
    note = _one_line(f.note) if f.note else ""
    if f.fix is not None and f.applicability == "unsafe" and not note.startswith("fix not applied"):
        rule = find_rule(f.code)
        why = ""
        if rule is not None:
            why = condense(
                rule.doc.fix_safety, SAFETY_MAX_CHARS, keep=lambda s: "unsafe" in s.lower()
            )
        why = why or "It changes how the image is built or run."
        return (
            f"{head}\n  gocomply can fix this ({_one_line(f.fix.description)}), but not safely "
            f"here. {why} "
            f"To allow it, add `unsafe_fixes: [{f.code}]` to `.gocomply.yml`."
        )
    if note:
        return f"{head}\n  {note if note.endswith(('.', '!', '?', ')')) else note + '.'}"
    return head


def _scorecard_section(data: _Input, budget: _Budget) -> str:
    lines = ["### OpenSSF Scorecard"]
    status = data.scorecard
    if status is not None:
        message = _one_line(status.message)
        if message and not message.endswith("."):
            message += "."
        if status.result is None:
            lines.append(message)
        else:
            lines.append(_scorecard_result(message, status.result, budget))
    before, after = data.pinned_before, data.pinned_after
    if before is not None and after is not None:
        lines.append(
            "gocomply's own count, with Scorecard's rules, of what the **Pinned-Dependencies** "
            "check reads in the Dockerfiles this PR changes:"
        )
        lines.append(_projection_table(before, after))
        lines.append(_score_sentence(before, after))
    elif status is None:
        return ""
    return "\n\n".join(lines)


def _scorecard_result(message: str, result: ScorecardResultLike, budget: _Budget) -> str:
    head = message or f"OpenSSF Scorecard scored this repository {_score(result.score)} / 10."
    checks = {c.name: c for c in result.checks}
    rows = ["| check | score | Scorecard's reason |", "|---|---|---|"]
    for name in SELECTED_CHECKS:
        c = checks.get(name)
        if c is None:
            rows.append(f"| {name} | — | not in this result |")
            continue
        label = f"[{name}]({c.doc_url})" if c.doc_url.startswith("https://") else name
        reason = _cell(c.reason) if budget.scorecard_reasons else ""
        rows.append(f"| {label} | {_check_score(c.score)} | {reason} |")
    return f"{head} [What Scorecard checks]({SCORECARD_URL}).\n\n" + "\n".join(rows)


def _score(value: float) -> str:
    return format_score(value) if value != int(value) else str(int(value))


def _check_score(value: float) -> str:
    if value < 0:
        return "? (inconclusive)"
    return f"{_score(value)} / 10"


def _projection_table(before: PinnedCountLike, after: PinnedCountLike) -> str:
    rows = projection_table(
        PinnedCount(before.container_images, before.go_commands),
        PinnedCount(after.container_images, after.go_commands),
    )
    out = ["| dependency type | before | after this PR |", "|---|---|---|"]
    out += [f"| {_cell(kind)} | {_cell(b)} | {_cell(a)} |" for kind, b, a in rows]
    return "\n".join(out)


def _direction(before: tuple[int, int], after: tuple[int, int]) -> int:
    """+1 / -1 when this change can only raise / only lower the type's Scorecard score, 0 when
    nothing changed, 2 when it goes both ways (more pinned and more unpinned, or fewer of both).

    Scorecard scores each dependency type by its pinned share and averages the types present.
    Adding pinned or removing unpinned dependencies never lowers that (a type that appears fully
    pinned or disappears fully unpinned included), whatever the rest of the repository holds.
    """
    d_pinned = after[0] - before[0]
    d_unpinned = (after[1] - after[0]) - (before[1] - before[0])
    if d_pinned == d_unpinned == 0:
        return 0
    if d_pinned >= 0 and d_unpinned <= 0:
        return 1
    if d_pinned <= 0 and d_unpinned >= 0:
        return -1
    return 2


def _score_sentence(before: PinnedCountLike, after: PinnedCountLike) -> str:
    """One sentence on what this PR alone does to the Pinned-Dependencies score."""
    moves = {
        _direction(before.container_images, after.container_images),
        _direction(before.go_commands, after.go_commands),
    } - {0}
    if not moves:
        return (
            "This PR changes none of these counts, so on its own it does not change the "
            "Pinned-Dependencies check or, through it, the Scorecard score."
        )
    if moves == {1}:
        return (
            "This PR adds pinned or removes unpinned dependencies in these files and removes no "
            "pinned one, so on its own it can only raise the Pinned-Dependencies score (or leave "
            "it as it is); the new score shows after Scorecard's next scan of the default branch."
        )
    if moves == {-1}:
        return (
            "This PR removes dependencies Scorecard counted as pinned in these files and pins "
            "nothing new, so on its own it can only lower the Pinned-Dependencies score (or "
            "leave it as it is); pinning the remaining dependencies raises it."
        )
    return (
        "This PR changes what Pinned-Dependencies counts in these files in both directions "
        "(see the table); the effect on the score depends on the rest of the repository and "
        "shows after Scorecard's next scan of the default branch."
    )


def _opt_out_block(p: Proposal) -> str:
    codes = list(p.codes) or sorted({f.code for _, f in _not_applied(p) if find_rule(f.code)})
    codes = codes or ["GC101"]
    rules = ", ".join(f"{c}: off" for c in codes)
    first = codes[0]
    return (
        "<details><summary>Configure or opt out</summary>\n\n"
        f"- Skip a rule for this repository: add `rules: {{{rules}}}` to `.gocomply.yml` "
        "(keep the codes you want; merge them into an existing `rules:` mapping).\n"
        f'- Skip one instruction: put `# gocomply:ignore {first} reason="…"` on the line above '
        f'it; for a whole file, `# gocomply:ignore-file {first} reason="…"` before its first '
        "instruction.\n"
        "- Close this PR to decline these exact changes; gocomply will not propose them again "
        "unless the flagged lines change (a file that gets a new finding is proposed whole).\n"
        f"- Every setting: [configuration reference]({INFORMATION_URI}#configuration).\n\n"
        "</details>"
    )


def _handback_block() -> str:
    return (
        "gocomply stops updating this PR as soon as someone else pushes to its branch, so your "
        "commits are never overwritten.\n\n"
        f"- [ ] {HANDBACK_LABEL} (tick after deleting your commits or if you want gocomply to "
        "take over: it then recreates its own commits on the default branch, without any others)"
    )


# --------------------------------------------------------------------------- config issue

CONFIG_ISSUE_MARKER = "<!-- gocomply:config-error v1 -->"


def is_config_issue(body: object) -> bool:
    """Is this issue body gocomply's configuration-error issue? (never raises)"""
    return isinstance(body, str) and any(
        line.strip() == CONFIG_ISSUE_MARKER for line in _outside_code(body)
    )


@dataclass(frozen=True)
class _ConfigProblem:
    file: str
    line: int
    key: str | None
    message: str
    hint: str | None


def _problem(e: ConfigErrorLike | Mapping[str, object]) -> _ConfigProblem:
    if isinstance(e, Mapping):
        line = e.get("line")
        key, hint = e.get("key"), e.get("hint")
        return _ConfigProblem(
            str(e.get("file") or ".gocomply.yml"),
            line if isinstance(line, int) else 0,
            str(key) if key else None,
            str(e.get("message") or "invalid configuration"),
            str(hint) if hint else None,
        )
    return _ConfigProblem(e.file, e.line, e.key, e.message, e.hint)


def render_config_issue(error: ConfigErrorLike | Mapping[str, object]) -> tuple[str, str]:
    """Title and body of the "gocomply: configuration error" issue for a broken config file.

    ``error`` is a `bot.config.ConfigError` or its dict form (``file``, ``line``, ``key``,
    ``message``, optional ``hint`` and ``errors``). Every problem of the file is listed (the
    error's ``errors`` when present), with how to check the fix locally; the body ends with
    `CONFIG_ISSUE_MARKER` so the issue is found again and updated.
    """
    many = error.get("errors") if isinstance(error, Mapping) else getattr(error, "errors", None)
    listed = [
        _problem(cast("ConfigErrorLike | Mapping[str, object]", e))
        for e in (many if isinstance(many, (list, tuple)) else ())
        if isinstance(e, Mapping) or hasattr(e, "message")
    ]
    errors = listed or [_problem(error)]
    file = errors[0].file
    org = posixpath.basename(file) == "gocomply.yml"
    schema = SCHEMA_BASE + ("gocomply-org.schema.json" if org else "gocomply.schema.json")
    validate = f"gocomply validate {'--org ' if org else ''}{_shell_word(file)}"
    rows = ["| file | line | key | problem | how to fix |", "|---|---|---|---|---|"]
    for e in errors:
        rows.append(
            f"| {_cell(_code(e.file))} | {e.line} | {_cell(_code(e.key)) if e.key else ''} | "
            f"{_cell(e.message)} | {_cell(e.hint or '')} |"
        )
    body = "\n\n".join(
        [
            f"gocomply cannot use {_code(file)}: "
            f"{_plural(len(errors), 'problem')} below. Until the file is valid, gocomply does "
            "not check this repository's Dockerfiles or update its pull requests. This issue "
            "is updated while the problem remains and closed automatically once the "
            "configuration is valid.",
            "\n".join(rows),
            "### How to fix",
            f"1. Edit {_code(file)} at the lines above.\n"
            f"2. Check it locally or in CI: `{validate}` prints `{file}: ok` when it is valid.\n"
            f"3. For completion and checks in your editor, make this the file's first line:\n"
            f"   `# yaml-language-server: $schema={schema}`",
            f"The keys and their values: [configuration reference]({INFORMATION_URI}"
            f"#configuration), [JSON Schema]({schema}).",
            CONFIG_ISSUE_MARKER,
        ]
    )
    return CONFIG_ISSUE_TITLE, redact(body) + "\n"


# --------------------------------------------------------------------------- samples


ROOT = Path(__file__).resolve().parents[1]
EXAMPLES_DIR = ROOT / "examples"
SAMPLES_DIR = ROOT / "docs" / "examples"
SAMPLE_REPO = "acme/{name}"
SAMPLE_BASE_SHA = "0" * 40
SAMPLE_CONFIG_HASH = "(config hash)"
SAMPLE_VERSION = "(version)"
_GENERATED_BEGIN = "<!-- generated by python -m bot.pr_body --examples: begin -->"
_GENERATED_END = "<!-- generated: end -->"


def proposal_from_results(
    repo: str,
    base_branch: str,
    results: Sequence[tuple[str, str, Sequence[Finding]]],
    *,
    new_texts: Mapping[str, str],
    config_hash: str,
    tool_version: str,
) -> Proposal:
    """A `Proposal` from engine output: (path, text, findings) per file and the fixed texts."""
    files = [
        FileChange(path, text, new_texts.get(path, text), tuple(findings))
        for path, text, findings in results
    ]
    return Proposal(repo, base_branch, tuple(files), config_hash, tool_version)


def _read_exact(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


@dataclass(frozen=True)
class _Example:
    name: str
    path: str  # repository path of the Dockerfile
    context: str  # its build context
    text: str
    new_text: str
    findings: tuple[Finding, ...]


def _examples(examples: Path, *, nested: bool) -> list[_Example]:
    """The engine's verdict on each ``examples/*/Dockerfile`` (the directory is the context).

    ``nested``: paths as in one repository holding ``examples/`` (else each directory is its
    own repository, with the Dockerfile at its root).
    """
    from bot.config import builtin_defaults, effective_config
    from bot.discover import build_context
    from rewriters.engine import analyze

    options = effective_config(builtin_defaults(), None, "examples", None).options()
    out = []
    for d in sorted(p for p in examples.iterdir() if (p / "Dockerfile").is_file()):
        text = _read_exact(d / "Dockerfile")
        bc = build_context(d)
        context = f"examples/{d.name}" if nested else "."
        path = f"{context}/Dockerfile" if nested else "Dockerfile"
        r = analyze(text, path=path, options=options, build_context=bc)
        out.append(_Example(d.name, path, context, text, r.new_text, r.findings))
    return out


def _sample_proposal(repo: str, found: Sequence[_Example]) -> Proposal:
    return proposal_from_results(
        repo,
        "main",
        [(e.path, e.text, e.findings) for e in found],
        new_texts={e.path: e.new_text for e in found},
        config_hash=SAMPLE_CONFIG_HASH,
        tool_version=SAMPLE_VERSION,
    )


def example_pages(
    examples: Path = EXAMPLES_DIR, readme: Path = SAMPLES_DIR / "README.md"
) -> dict[str, str]:
    """Sample PR bodies for ``examples/`` (file name → Markdown), and the README's index.

    One sample per example directory (each treated as a repository of its own, with the
    built-in default configuration), and ``all-examples.md`` for one repository holding all of
    them. Examples gocomply would open no PR for are listed in the index with the reason.
    """
    from bot.config import builtin_defaults, effective_config
    from rewriters.registry import all_rules

    prefix = effective_config(builtin_defaults(), None, "examples", None).pr.title_prefix
    known = all_rules()
    codes = f"{known[0].code}–{known[-1].code}" if known else "none"
    pages: dict[str, str] = {}
    index: list[tuple[str, str, str]] = []
    for e in _examples(examples, nested=False):
        proposal = _sample_proposal(SAMPLE_REPO.format(name=e.name), [e])
        if proposal.empty:
            rest = sorted({f.code for _, f in _not_applied(proposal)})
            why = (
                f"none: nothing gocomply can fix safely; {', '.join(rest)} reported by "
                "`gocomply check`"
                if rest
                else f"none: no findings from the rules gocomply has today ({codes})"
            )
            index.append((e.name, "—", why))
            continue
        name = f"{e.name}.md"
        pages[name] = _sample_page(f"examples/{e.name}/", proposal, prefix)
        index.append((e.name, f"[{name}]({name})", _cell(render_title(proposal, prefix=prefix))))
    every = _examples(examples, nested=True)
    combined = _sample_proposal(SAMPLE_REPO.format(name="examples"), every)
    pages["all-examples.md"] = _sample_page(
        "a repository holding all of examples/",
        combined,
        prefix,
        {e.path: e.context for e in every},
    )
    index.append(
        (
            "all of them",
            "[all-examples.md](all-examples.md)",
            _cell(render_title(combined, prefix=prefix)),
        )
    )
    pages["README.md"] = _readme(readme, index)
    return pages


def _sample_page(
    what: str, proposal: Proposal, prefix: str | None, contexts: Mapping[str, str] | None = None
) -> str:
    title = render_title(proposal, prefix=prefix)
    before = pinned_dependencies({f.path: f.before for f in proposal.changes})
    after = pinned_dependencies({f.path: f.after for f in proposal.changes})
    body = render_body(
        proposal,
        scorecard=ScorecardStatus(None, NOT_FOUND_MESSAGE, "not_found"),
        pinned_before=before,
        pinned_after=after,
        config_hash=SAMPLE_CONFIG_HASH,
        base_sha=SAMPLE_BASE_SHA,
        contexts=contexts or {f.path: "." for f in proposal.changes},
    )
    return (
        f"<!-- Sample pull request for {what}, rendered by `python -m bot.pr_body --examples`; "
        "do not edit by hand. -->\n\n"
        f"**Title:** {_code(title)}\n\n---\n\n{body}"
    )


def _readme(path: Path, index: Sequence[tuple[str, str, str]]) -> str:
    table = ["| example | sample | pull request title, or why there is none |", "|---|---|---|"]
    table += [
        f"| {n if n.startswith('all ') else f'`{n}/`'} | {link} | {what} |"
        for n, link, what in index
    ]
    block = f"{_GENERATED_BEGIN}\n" + "\n".join(table) + f"\n{_GENERATED_END}"
    text = _read_exact(path) if path.is_file() else f"# Sample pull requests\n\n{block}\n"
    start, end = text.find(_GENERATED_BEGIN), text.find(_GENERATED_END)
    if start < 0 or end < 0:
        return text.rstrip("\n") + f"\n\n{block}\n"
    return text[:start] + block + text[end + len(_GENERATED_END) :]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.pr_body")
    parser.add_argument("--examples", action="store_true", help="render docs/examples/")
    parser.add_argument("--check", action="store_true", help="fail if docs/examples/ is stale")
    args = parser.parse_args(argv)
    if not args.examples:
        parser.error("nothing to do: pass --examples")
    wanted = example_pages()
    SAMPLES_DIR.mkdir(parents=True, exist_ok=True)
    on_disk = {p.name: _read_exact(p) for p in SAMPLES_DIR.glob("*.md")}
    stale = sorted(n for n in set(wanted) | set(on_disk) if wanted.get(n) != on_disk.get(n))
    if args.check:
        for n in stale:
            print(f"docs/examples/{n}: stale", file=sys.stderr)
        return 1 if stale else 0
    for n in on_disk:
        if n not in wanted:
            (SAMPLES_DIR / n).unlink()
    for n, text in wanted.items():
        with open(SAMPLES_DIR / n, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
