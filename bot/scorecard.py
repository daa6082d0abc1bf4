"""OpenSSF Scorecard: the repository's published result, and gocomply's own projection of the
Dockerfile part of the Pinned-Dependencies check.

**The result** comes from the public Scorecard API (``GET {base}/projects/github.com/{owner}/
{repo}``, ossf/scorecard-webapp ``openapi.yaml``): `ScorecardClient.get` never raises; it returns
a `ScorecardStatus` whose ``message`` says plainly why there is no result (404: the API has no
result, which is always the case for private repositories; network errors, 5xx and answers that
are not a Scorecard result get a line of their own). Answers are cached per repository per UTC
day, in memory and, when a `Store` is given, under ``scorecard:{owner/repo}:{yyyy-mm-dd}``. A
private repository or one on GitHub Enterprise Server is never sent to the public API (its name
would leak to a third party, and there is no public result for it anyway).

**The projection** (`pinned_dependencies`) counts what Scorecard counts in Dockerfile texts, so a
PR can show its effect before → after even when the API has no data. It follows Scorecard's
source (ossf/scorecard ``checks/raw/pinned_dependencies.go``, ``checks/raw/
shell_download_validate.go``, ``checks/fileparser/listing.go``), including its quirks:

- Files: a name containing "dockerfile" (any case), not under ``vendor``/``third_party``/
  ``testdata``/``src/test``, not source code (``.go``, ``.py``, …) nor a shell script (extension
  or ``#!`` line), with at least one line that is not a comment. Templates (``tmpl``, ``tpl``,
  ``template`` in the name) have their ``FROM`` lines ignored but their ``RUN`` lines counted.
- containerImage: each top-level instruction spelled exactly ``FROM`` (Scorecard compares the
  keyword case-sensitively). ``${NAME}`` is replaced by the value of an earlier ``ARG NAME=value``
  anywhere in the file (``$NAME``, ``${NAME:-x}`` and ARGs without a default are not resolved).
  ``scratch`` is no dependency. An image is pinned when its text contains ``@sha256:`` followed by
  64 lowercase hex digits or by a ``${…}`` variable; ``FROM <earlier stage>`` is counted as a
  dependency again and is pinned when that stage's image was.
- goCommand: each simple command ``go get|install <at least one argument>`` in a top-level
  ``RUN`` spelled exactly ``RUN`` (exec form joined with spaces, heredoc bodies instead of the
  RUN line when there are heredocs, ``sh -c '…'`` strings followed). Scorecard only sees words
  that are one literal, one single-quoted string or one double-quoted literal (quotes kept), and
  drops ``sudo``. The first package-like argument decides: no ``host.tld/path`` shape (``./...``,
  ``.``, a flag such as ``-ldflags=…``) → pinned (local); ``@vX.Y.Z`` (not with ``-insecure``),
  40+ hex digits or ``@none`` → pinned; otherwise the next argument is tried, and unpinned when
  none pins. A quoted ``"mod@v1.2.3"`` therefore counts as unpinned (the quote is part of the
  version Scorecard reads), and ``go install mod@${VERSION}`` is not counted at all.
"""

from __future__ import annotations

import contextlib
import json
import posixpath
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, Protocol
from urllib.parse import quote, urlsplit

import requests

from bot.settings import DEFAULT_SCORECARD_URL, Settings
from rewriters.document import Document, Instruction
from rewriters.gocmd import is_pinned
from rewriters.shell import ShellScript, SimpleCommand, parse_shell
from rewriters.text import LogicalText

__all__ = [
    "NOT_FOUND_MESSAGE",
    "SELECTED_CHECKS",
    "PinnedCount",
    "PinnedDependency",
    "ScorecardCheck",
    "ScorecardClient",
    "ScorecardFormatError",
    "ScorecardResult",
    "ScorecardStatus",
    "parse_result",
    "pinned_dependencies",
    "projection_table",
    "selected_checks",
]

PUBLIC_PLATFORM = "github.com"
NOT_FOUND_MESSAGE = (
    "Scorecard has no public result for this repository (private repositories are not scanned "
    "by the public API)"
)
SELECTED_CHECKS = ("Pinned-Dependencies", "Token-Permissions", "Dangerous-Workflow")
MIN_CHECK_SCORE = -1  # checker.InconclusiveResultScore
MAX_SCORE = 10  # checker.MaxResultScore
MAX_BODY = 5 * 1024 * 1024  # a result is tens of kilobytes
USER_AGENT = "gocomply"
_NAME_RE = re.compile(r"[A-Za-z0-9_.-]{1,100}")


# --------------------------------------------------------------------------------------------
# The API result


@dataclass(frozen=True)
class ScorecardCheck:
    """One check of a result. ``score`` is -1 (inconclusive) or 0..10; ``details`` is None when
    the API sent ``null`` (results published without details)."""

    name: str
    score: int
    reason: str
    details: tuple[str, ...] | None
    doc_url: str
    doc_short: str

    @property
    def inconclusive(self) -> bool:
        return self.score < 0


@dataclass(frozen=True)
class ScorecardResult:
    date: str
    repo_name: str
    repo_commit: str
    scorecard_version: str
    scorecard_commit: str
    score: float
    checks: tuple[ScorecardCheck, ...]

    def check(self, name: str) -> ScorecardCheck | None:
        """The check named ``name`` (Scorecard's spelling, e.g. ``Pinned-Dependencies``;
        compared without regard to case), or None."""
        for c in self.checks:
            if c.name == name:
                return c
        folded = name.casefold()
        for c in self.checks:
            if c.name.casefold() == folded:
                return c
        return None


StatusKind = Literal["ok", "not_found", "unsupported", "unavailable", "invalid"]


@dataclass(frozen=True)
class ScorecardStatus:
    """What the PR body shows: the result, or None and a plain sentence saying why not.

    ``kind``: ``ok``; ``not_found`` (404, or a private repository, not asked); ``unsupported``
    (not a github.com repository); ``unavailable`` (network error, 5xx, other HTTP errors);
    ``invalid`` (an answer that is not a Scorecard result).
    """

    result: ScorecardResult | None
    message: str
    kind: StatusKind = "ok"


class ScorecardFormatError(ValueError):
    """The JSON is not a Scorecard result (the message names the field)."""


def selected_checks(result: ScorecardResult | None) -> tuple[ScorecardCheck, ...]:
    """Pinned-Dependencies, Token-Permissions and Dangerous-Workflow, in that order, as far as
    the result has them."""
    if result is None:
        return ()
    found = (result.check(name) for name in SELECTED_CHECKS)
    return tuple(c for c in found if c is not None)


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _str(obj: Mapping[str, Any], key: str, where: str) -> str:
    v = obj.get(key)
    if v is None:
        return ""
    if not isinstance(v, str):
        raise ScorecardFormatError(f"{where}{key} is not a string")
    return v


def _obj(obj: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    v = obj.get(key)
    if v is None:
        return {}
    if not isinstance(v, dict):
        raise ScorecardFormatError(f"{where}{key} is not an object")
    return v


def _parse_check(raw: object, i: int) -> ScorecardCheck:
    where = f"checks[{i}]."
    if not isinstance(raw, dict):
        raise ScorecardFormatError(f"checks[{i}] is not an object")
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise ScorecardFormatError(f"{where}name is missing")
    score = raw.get("score")
    if isinstance(score, float) and score.is_integer():
        score = int(score)
    if not isinstance(score, int) or isinstance(score, bool):
        raise ScorecardFormatError(f"{where}score is not an integer")
    if not MIN_CHECK_SCORE <= score <= MAX_SCORE:
        raise ScorecardFormatError(f"{where}score {score} is outside -1..10")
    details_raw = raw.get("details")
    details: tuple[str, ...] | None
    if details_raw is None:
        details = None
    elif isinstance(details_raw, list) and all(isinstance(d, str) for d in details_raw):
        details = tuple(details_raw)
    else:
        raise ScorecardFormatError(f"{where}details is neither null nor a list of strings")
    doc = _obj(raw, "documentation", where)
    return ScorecardCheck(
        name=name,
        score=score,
        reason=_str(raw, "reason", where),
        details=details,
        doc_url=_str(doc, "url", where + "documentation."),
        doc_short=_str(doc, "short", where + "documentation."),
    )


def parse_result(data: object) -> ScorecardResult:
    """A `ScorecardResult` from decoded JSON, or `ScorecardFormatError`.

    Required: ``score`` (a number in -1..10) and ``checks`` (a list; each check needs a name and
    an integer score in -1..10). Missing strings (date, commits, reason, documentation) become
    ``""``; ``details`` may be null or missing.
    """
    if not isinstance(data, dict):
        raise ScorecardFormatError("the answer is not a JSON object")
    score = data.get("score")
    if not _is_number(score):
        raise ScorecardFormatError("score is missing or not a number")
    assert isinstance(score, int | float)
    if not MIN_CHECK_SCORE <= score <= MAX_SCORE:
        raise ScorecardFormatError(f"score {score} is outside -1..10")
    checks = data.get("checks")
    if not isinstance(checks, list):
        raise ScorecardFormatError("checks is missing or not a list")
    repo = _obj(data, "repo", "")
    card = _obj(data, "scorecard", "")
    return ScorecardResult(
        date=_str(data, "date", ""),
        repo_name=_str(repo, "name", "repo."),
        repo_commit=_str(repo, "commit", "repo."),
        scorecard_version=_str(card, "version", "scorecard."),
        scorecard_commit=_str(card, "commit", "scorecard."),
        score=float(score),
        checks=tuple(_parse_check(c, i) for i, c in enumerate(checks)),
    )


def format_score(score: float) -> str:
    return f"{score:.1f}"


_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_VERSION_RE = re.compile(r"v?[0-9A-Za-z.+-]{1,40}")
_HEX_RE = re.compile(r"[0-9a-fA-F]{7,64}")
_PROJECT_RE = re.compile(r"[A-Za-z0-9.-]{1,100}/[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}")


def _ok_message(result: ScorecardResult) -> str:
    """One sentence; only API values of a known, harmless shape go into it (it ends up in a PR
    body)."""
    day = result.date[:10]
    when = f" on {day}" if _DATE_RE.fullmatch(day) else ""
    v = result.scorecard_version
    version = f" {v}" if _VERSION_RE.fullmatch(v) else ""
    commit = f" (commit {result.repo_commit[:7]})" if _HEX_RE.fullmatch(result.repo_commit) else ""
    return (
        f"OpenSSF Scorecard{version} scored this repository {format_score(result.score)} / 10"
        f"{when}{commit}."
    )


# --------------------------------------------------------------------------------------------
# The client


class CacheStore(Protocol):
    """The part of `bot.store.Store` the client uses (its ``notes`` table)."""

    def recall(self, key: str) -> bytes | None: ...

    def remember(self, key: str, value: bytes) -> None: ...


class ScorecardClient:
    """Reads published Scorecard results; `get` never raises.

    A 200 or 404 answer is kept for the rest of the UTC day (memory, and the store if given).
    Failures are not cached, but after a network error or a 5xx the client asks no more for
    ``pause`` seconds and answers "unavailable" at once, so a sweep over many repositories does
    not wait for a timeout per repository while the API is down.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_SCORECARD_URL,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.time,
        store: CacheStore | None = None,
        *,
        timeout: float = 10.0,
        pause: float = 300.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session or requests.Session()
        self.clock = clock
        self.store = store
        self.timeout = timeout
        self.pause = pause
        self.requests = 0  # HTTP requests sent
        self._memory: dict[str, ScorecardStatus] = {}
        self._memory_day = ""
        self._lock = threading.Lock()
        self._key_locks: dict[str, threading.Lock] = {}
        self._down_until = 0.0
        self._down_message = ""

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        store: CacheStore | None = None,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.time,
    ) -> ScorecardClient:
        """A client for ``settings.scorecard_url`` (``GOCOMPLY_SCORECARD_URL``)."""
        return cls(settings.scorecard_url, session=session, clock=clock, store=store)

    # -- public ------------------------------------------------------------------------------

    def get(
        self,
        owner: str,
        repo: str,
        *,
        platform: str = PUBLIC_PLATFORM,
        private: bool = False,
    ) -> ScorecardStatus:
        """The Scorecard status of ``owner/repo`` on ``platform`` (the GitHub host).

        ``private=True`` or a platform other than github.com (GitHub Enterprise Server) is
        answered without a request: the public API has no result for such repositories.
        """
        if platform.lower() != PUBLIC_PLATFORM:
            return ScorecardStatus(
                None,
                f"Scorecard has no public result for repositories on {platform} (the public "
                "Scorecard API covers public github.com repositories only)",
                "unsupported",
            )
        if private:
            return ScorecardStatus(None, NOT_FOUND_MESSAGE, "not_found")
        if not (_NAME_RE.fullmatch(owner) and _NAME_RE.fullmatch(repo)) or repo in (".", ".."):
            return ScorecardStatus(
                None, f"{owner}/{repo} is not a GitHub repository name", "invalid"
            )
        key = f"scorecard:{owner.lower()}/{repo.lower()}:{self._day()}"
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:  # one request per repository and day, even from concurrent workers
            cached = self._cached(key)
            if cached is not None:
                return cached
            try:
                status, keep = self._fetch(owner, repo)
            except Exception as exc:  # never raise: the PR is worth more than its Scorecard line
                return self._unavailable(type(exc).__name__)
            if keep:
                self._remember(key, status)
            return status

    # -- caching -----------------------------------------------------------------------------

    def _day(self) -> str:
        return datetime.fromtimestamp(self.clock(), tz=UTC).date().isoformat()

    def _cached(self, key: str) -> ScorecardStatus | None:
        day = key.rsplit(":", 1)[1]
        with self._lock:
            if self._memory_day != day:  # a new day: yesterday's answers are stale
                self._memory.clear()
                self._key_locks = {k: v for k, v in self._key_locks.items() if k.endswith(day)}
                self._memory_day = day
            hit = self._memory.get(key)
        if hit is not None or self.store is None:
            return hit
        try:
            row = self.store.recall(key)
        except Exception:  # a broken state database costs a request, nothing more
            return None
        if row is None:
            return None
        status = _from_envelope(row)
        if status is not None:
            with self._lock:
                self._memory[key] = status
        return status

    def _remember(self, key: str, status: ScorecardStatus) -> None:
        with self._lock:
            self._memory[key] = status
        if self.store is None:
            return
        with contextlib.suppress(Exception):  # the answer is still cached in memory
            self.store.remember(key, _envelope(status))

    # -- HTTP --------------------------------------------------------------------------------

    def url(self, owner: str, repo: str) -> str:
        return (
            f"{self.base_url}/projects/{PUBLIC_PLATFORM}/"
            f"{quote(owner, safe='')}/{quote(repo, safe='')}"
        )

    def _unavailable(self, why: str) -> ScorecardStatus:
        host = urlsplit(self.base_url).netloc or self.base_url
        message = (
            f"The Scorecard API ({host}) could not be read ({why}), so this repository's "
            "Scorecard result is not shown"
        )
        return ScorecardStatus(None, message, "unavailable")

    def _fetch(self, owner: str, repo: str) -> tuple[ScorecardStatus, bool]:
        """(status, cache it?)"""
        now = self.clock()
        with self._lock:
            if now < self._down_until:
                return ScorecardStatus(None, self._down_message, "unavailable"), False
        url = self.url(owner, repo)
        try:
            with self._lock:
                self.requests += 1
            r = self.session.get(
                url,
                headers={"Accept": "application/json", "User-Agent": USER_AGENT},
                timeout=self.timeout,
            )
            status_code = r.status_code
            body = r.content
        except requests.RequestException as exc:
            return self._trip(self._unavailable(f"{type(exc).__name__}")), False
        if status_code == 404:
            return ScorecardStatus(None, NOT_FOUND_MESSAGE, "not_found"), True
        if status_code >= 500:
            return self._trip(self._unavailable(f"HTTP {status_code}")), False
        if status_code != 200:
            return self._unavailable(f"HTTP {status_code}"), False
        if len(body) > MAX_BODY:
            return _invalid("the answer is larger than 5 MB"), False
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return _invalid("the answer is not JSON"), False
        try:
            result = parse_result(data)
        except ScorecardFormatError as exc:
            return _invalid(str(exc)), False
        expected = f"{PUBLIC_PLATFORM}/{owner}/{repo}".lower()
        if result.repo_name and result.repo_name.lower() != expected:
            other = result.repo_name if _PROJECT_RE.fullmatch(result.repo_name) else "another"
            return _invalid(f"it is the result of {other} repository"), False
        return ScorecardStatus(result, _ok_message(result), "ok"), True

    def _trip(self, status: ScorecardStatus) -> ScorecardStatus:
        with self._lock:
            self._down_until = self.clock() + self.pause
            self._down_message = status.message
        return status


def _invalid(why: str) -> ScorecardStatus:
    return ScorecardStatus(
        None,
        f"The Scorecard API's answer is not a Scorecard result ({why}), so it is not shown",
        "invalid",
    )


def _result_json(result: ScorecardResult) -> dict[str, Any]:
    return {
        "date": result.date,
        "repo": {"name": result.repo_name, "commit": result.repo_commit},
        "scorecard": {"version": result.scorecard_version, "commit": result.scorecard_commit},
        "score": result.score,
        "checks": [
            {
                "name": c.name,
                "score": c.score,
                "reason": c.reason,
                "details": None if c.details is None else list(c.details),
                "documentation": {"url": c.doc_url, "short": c.doc_short},
            }
            for c in result.checks
        ],
    }


def _envelope(status: ScorecardStatus) -> bytes:
    doc: dict[str, Any] = {"kind": status.kind}
    if status.result is not None:
        doc["result"] = _result_json(status.result)
    return json.dumps(doc, sort_keys=True).encode("utf-8")


def _from_envelope(body: bytes) -> ScorecardStatus | None:
    try:
        doc = json.loads(body)
        if doc.get("kind") == "not_found":
            return ScorecardStatus(None, NOT_FOUND_MESSAGE, "not_found")
        if doc.get("kind") == "ok":
            result = parse_result(doc.get("result"))
            return ScorecardStatus(result, _ok_message(result), "ok")
    except (ValueError, AttributeError, ScorecardFormatError):
        pass
    return None  # unreadable: ask the API again


# --------------------------------------------------------------------------------------------
# The projection of Pinned-Dependencies over Dockerfile texts

DependencyKind = Literal["containerImage", "goCommand"]

# pinned_dependencies.go: `.*@sha256:([a-f\d]{64}|\${.*})`, unanchored (RE2: \d is ASCII)
_IMAGE_PINNED_RE = re.compile(r"@sha256:(?:[a-f0-9]{64}|\$\{.*\})")
# shell_download_validate.go isGoUnpinnedDownload: strings that are not URLs are local folders
_URL_LIKE_RE = re.compile(r"[0-9A-Za-z_]+\.[0-9A-Za-z_]+/[0-9A-Za-z_]")
_GO_SKIPPED_FLAGS = frozenset({"-d", "-f", "-t", "-u", "-v", "-fix", "-insecure"})
_CODE_SUFFIXES = (".go", ".c", ".cpp", ".rs", ".js", ".py", ".pyc", ".java")
_SHELLS = ("sh", "bash", "mksh", "dash", "ksh")
_SHELL_SCRIPT_NAMES = ("exec", "su", *_SHELLS)
_PYTHON = ("python", "python3", "python2.7")
_OTHER_INTERPRETERS = ("perl", "ruby", "php", "node", "nodejs", "java")
# extractInterpreterAndCommand tries these in this order
_INTERPRETERS = ("dotnet", "nuget", *_OTHER_INTERPRETERS, *_SHELL_SCRIPT_NAMES, *_SHELLS, *_PYTHON)
_MAX_DEPTH = 8  # nested `sh -c` strings followed


@dataclass(frozen=True)
class PinnedDependency:
    path: str
    line: int  # 1-based line of the FROM/RUN instruction
    kind: DependencyKind
    snippet: str
    pinned: bool


@dataclass(frozen=True)
class PinnedCount:
    """Scorecard's Pinned-Dependencies counts over some Dockerfile texts.

    ``container_images`` and ``go_commands`` are ``(pinned, total)``. ``skipped`` lists files (or
    parts of files) Scorecard would not count, with the reason.
    """

    container_images: tuple[int, int]
    go_commands: tuple[int, int]
    dependencies: tuple[PinnedDependency, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()


def _is_binary_name(expected: str, name: str) -> bool:
    """Go's ``strings.EqualFold(path.Base(name), expected)``."""
    base = posixpath.basename(name.rstrip("/")) or ("/" if name else ".")
    return base.casefold() == expected.casefold()


def _skip_reason(path: str, text: str) -> str | None:
    """Why Scorecard does not read ``path`` as a Dockerfile at all, or None."""
    base = posixpath.basename(path)
    if "dockerfile" not in base.lower():
        return "Scorecard reads only files whose name contains “Dockerfile”"
    if path.startswith(("testdata/", "src/test/")) or "/testdata/" in path or "/src/test/" in path:
        return "Scorecard skips test data"
    parts = posixpath.normpath(path).split("/")
    if any(p.lower() in ("vendor", "third_party") for p in parts):
        return "Scorecard skips vendor and third_party directories"
    if path.endswith(_CODE_SUFFIXES) or _is_shell_script(path, text):
        return "Scorecard does not read it as a Dockerfile"
    return None


def _is_shell_script(path: str, text: str) -> bool:
    by_name = any(path.endswith("." + n) for n in _SHELL_SCRIPT_NAMES)
    first = text.split("\n", 1)[0].rstrip("\r")
    if not first.startswith("#!"):
        return by_name
    parts = first[2:].split(" ")
    for name in _SHELL_SCRIPT_NAMES:
        if _is_binary_name(name, parts[0]):
            return True
        if len(parts) >= 2 and _is_binary_name("env", parts[0]) and _is_binary_name(name, parts[1]):
            return True
    return False


def _has_commands(text: str) -> bool:
    return any(line.strip() and not line.strip().startswith("#") for line in text.splitlines())


def _is_template(path: str) -> bool:
    parts = re.split(r"[._-]", posixpath.basename(path))
    return any(p.lower() in ("template", "tmpl", "tpl") for p in parts)


def _first_line(doc: Document, ins: Instruction) -> str:
    return doc.text[ins.span.start : ins.span.end].split("\n", 1)[0].strip()


def _container_images(path: str, doc: Document) -> tuple[list[PinnedDependency], str | None]:
    """validateDockerfilesPinning: (dependencies, error) — Scorecard stops on a FROM it cannot
    read, and then counts nothing for the repository."""
    deps: list[PinnedDependency] = []
    args: dict[str, str] = {}
    stages: dict[str, bool] = {}
    for ins in doc.instructions:
        keyword = ins.keyword.text
        if keyword == "ARG":
            for value in ins.node_values():
                k, eq, v = value.partition("=")
                if eq:
                    args[k] = v
            continue
        if keyword != "FROM":
            continue
        values = []
        for value in ins.node_values():
            for k, v in args.items():
                value = value.replace("${" + k + "}", v)
            values.append(value)
        if values and values[0].lower() == "scratch":
            if len(values) == 3 and values[1].lower() == "as":
                stages[values[2]] = True
            continue
        if len(values) == 3 and values[1].lower() == "as":
            pinned = stages.get(values[0], False) or bool(_IMAGE_PINNED_RE.search(values[0]))
            stages[values[2]] = pinned
        elif len(values) == 1:
            pinned = stages.get(values[0], False) or bool(_IMAGE_PINNED_RE.search(values[0]))
        else:
            return deps, f"line {ins.start_line}: Scorecard cannot read this FROM line"
        deps.append(
            PinnedDependency(path, ins.start_line, "containerImage", _first_line(doc, ins), pinned)
        )
    return deps, None


def _scan_word(raw: str) -> str | None:
    """The string Scorecard's ``extractCommand`` keeps for a shell word, or None when the word
    is not one part (mvdan/sh): a literal (kept raw), ``'…'`` or ``"literal"`` (quotes kept)."""
    if not raw:
        return None
    if raw.startswith("$'") and raw.endswith("'") and len(raw) >= 3 and "'" not in raw[2:-1]:
        return "'" + raw[2:-1] + "'"
    if raw[0] == "'":
        return raw if len(raw) >= 2 and raw.endswith("'") and "'" not in raw[1:-1] else None
    if raw.startswith('$"'):
        raw = raw[1:]
    if raw[0] == '"':
        inner = raw[1:-1] if len(raw) >= 2 and raw.endswith('"') else None
        if not inner or not _plain(inner, quoted=True):
            return None
        return raw
    return raw if _plain(raw, quoted=False) else None


def _plain(s: str, *, quoted: bool) -> bool:
    """Is ``s`` one literal part: no expansion, no (further) quoting?"""
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c in '$`"' or (not quoted and c == "'"):
            return False
        if not quoted and c in "<>" and s[i + 1 : i + 2] == "(":
            return False  # process substitution
        i += 1
    return True


def _inner_script(raw: str) -> str | None:
    """extractInterpreterCommandFromArgs: the text of a one-part quoted word."""
    if len(raw) >= 2 and raw[0] == "'" and raw.endswith("'") and "'" not in raw[1:-1]:
        return raw[1:-1]
    if raw.startswith("$'") and raw.endswith("'") and len(raw) >= 3 and "'" not in raw[2:-1]:
        return raw[2:-1]
    dq = raw[1:] if raw.startswith('$"') else raw
    if len(dq) >= 3 and dq[0] == '"' and dq.endswith('"') and _plain(dq[1:-1], quoted=True):
        return dq[1:-1]
    return None


def _raw_args(script: ShellScript, cmd: SimpleCommand) -> list[str]:
    """The command's argument words as mvdan/sh sees them (wrappers such as ``env``, ``exec``,
    ``nohup`` are ordinary arguments there; prefix ``K=V`` assignments and the ``time`` keyword
    are not)."""
    text = script.source.text
    items = [(w.logical[0], w.text) for w in (*cmd.wrapper, *cmd.words)]
    if cmd.wrapper:
        first = cmd.wrapper[0].logical[0]
        items += [
            (a.logical[0], text[a.logical[0] : a.logical[1]])
            for a in cmd.assignments
            if a.logical[0] > first
        ]
    items.sort()
    if items and cmd.wrapper and items[0][1] == "time":
        items = items[1:]
    return [raw for _, raw in items]


def _go_pinned(args: Sequence[str]) -> bool:
    """Not isGoUnpinnedDownload(args) (args[0] is ``go``, args[1] ``get``/``install``)."""
    insecure = False
    i = 1
    while i < len(args) - 1:
        while i < len(args) - 1 and args[i + 1] in _GO_SKIPPED_FLAGS:
            if args[i + 1] == "-insecure":
                insecure = True
            i += 1
        if i + 1 >= len(args):
            return True
        pkg = args[i + 1]
        if not _URL_LIKE_RE.search(pkg):
            return True  # not a URL: a local folder, pinned
        parts = pkg.split("@")
        if len(parts) == 2:
            version = parts[1]
            if is_pinned(version, insecure=insecure):
                return True
        i += 1
    return False


def _go_commands(
    path: str, line: int, script_text: str, depth: int = 0
) -> tuple[list[PinnedDependency], list[str]]:
    """validateShellFileAndRecord, goCommand part: (dependencies, notes)."""
    script = parse_shell(LogicalText.build(script_text, [(0, len(script_text))]))
    if script.has_errors:
        return [], [f"line {line}: the shell script does not parse; Scorecard counts nothing in it"]
    deps: list[PinnedDependency] = []
    notes: list[str] = []
    for cmd in script.commands:
        raws = _raw_args(script, cmd)
        args = [a for a in (_scan_word(r) for r in raws) if a is not None and a.lower() != "sudo"]
        interpreter = _interpreter(args)
        if interpreter is not None and depth < _MAX_DEPTH and _shell_like(interpreter):
            inner = next((s for s in map(_inner_script, raws) if s is not None), None)
            if inner is not None:
                d, n = _go_commands(path, line, inner, depth + 1)
                deps += d
                notes += n
        if len(args) > 2 and _is_binary_name("go", args[0]) and args[1] in ("get", "install"):
            deps.append(PinnedDependency(path, line, "goCommand", " ".join(raws), _go_pinned(args)))
    return deps, notes


def _interpreter(args: Sequence[str]) -> str | None:
    for b in _INTERPRETERS:
        seen = False
        for a in args:
            if _is_binary_name(b, a):
                seen = True
            elif seen and a.startswith("-") and "c" in a:
                return b
    return None


def _shell_like(interpreter: str) -> bool:
    return interpreter not in _PYTHON and interpreter not in _OTHER_INTERPRETERS


def _run_scripts(ins: Instruction) -> Iterator[str]:
    """The shell texts Scorecard reads for a RUN: heredoc bodies when there are heredocs, else
    the parser's values joined with spaces (so exec form reads as a shell command)."""
    if ins.heredocs:
        for h in ins.heredocs:
            yield h.content
        return
    yield " ".join(ins.node_values())


def pinned_dependencies(texts: Mapping[str, str]) -> PinnedCount:
    """Scorecard's containerImage and goCommand counts over Dockerfile ``texts`` (path → text,
    paths relative to the repository root). Pure: no I/O."""
    deps: list[PinnedDependency] = []
    skipped: list[tuple[str, str]] = []
    for path in sorted(texts):
        text = texts[path]
        norm = path.removeprefix("./")
        reason = _skip_reason(norm, text)
        if reason is not None:
            skipped.append((path, reason))
            continue
        if not _has_commands(text):
            continue
        doc = Document.parse(text)
        if doc.error is not None:
            skipped.append((path, f"BuildKit's parser rejects it ({doc.error}); Scorecard stops"))
            continue
        if _is_template(norm):
            skipped.append((path, "Scorecard ignores the FROM lines of template files"))
        else:
            images, error = _container_images(path, doc)
            if error is not None:
                skipped.append((path, error))
                continue
            deps += images
        for ins in doc.instructions:
            if ins.keyword.text != "RUN":
                continue
            if not ins.heredocs and not ins.node_values():
                skipped.append((path, f"line {ins.start_line}: Scorecard cannot read this RUN"))
                continue
            for script_text in _run_scripts(ins):
                found, notes = _go_commands(path, ins.start_line, script_text)
                deps += found
                skipped += [(path, n) for n in notes]
    deps.sort(key=lambda d: (d.path, d.line))  # stable: document order within a line
    return PinnedCount(
        container_images=_tally(d for d in deps if d.kind == "containerImage"),
        go_commands=_tally(d for d in deps if d.kind == "goCommand"),
        dependencies=tuple(deps),
        skipped=tuple(skipped),
    )


def _tally(deps: Iterable[PinnedDependency]) -> tuple[int, int]:
    items = list(deps)
    return sum(1 for d in items if d.pinned), len(items)


CONTAINER_IMAGE_LABEL = "containerImage (`FROM … @sha256:`)"
GO_COMMAND_LABEL = (
    "goCommand (`go install`/`go get` of a local package, or of a module at `@vX.Y.Z`, a "
    "commit or `@none`)"
)


def _cell(count: tuple[int, int]) -> str:
    pinned, total = count
    return "none found" if total == 0 else f"{pinned} of {total} pinned"


def projection_table(before: PinnedCount, after: PinnedCount) -> list[tuple[str, str, str]]:
    """Rows (dependency type, before, after this PR) for the PR body."""
    return [
        (CONTAINER_IMAGE_LABEL, _cell(before.container_images), _cell(after.container_images)),
        (GO_COMMAND_LABEL, _cell(before.go_commands), _cell(after.go_commands)),
    ]
