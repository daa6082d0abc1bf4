"""The one module that knows GitHub's REST paths.

A small client over ``requests`` (Apache-2.0). PyGithub, named on the project card, is LGPL-3.0;
gocomply ships only permissively licensed imports, so this module speaks the REST API itself.
Everything else in gocomply sees frozen dataclasses and the exceptions below.

Behaviour every caller can rely on:
- The base URL (``GOCOMPLY_GITHUB_URL``; GitHub Enterprise Server: ``https://HOST/api/v3``) is
  used for every request, and pagination follows the server's own ``Link`` URLs.
- Conditional GETs: ETags are kept in the `Store`; a ``304 Not Modified`` answers from the
  stored body (GitHub does not charge 304s against the rate limit).
- Rate limits: the ``X-RateLimit-*`` headers are tracked per credential. When the primary
  budget is spent the client raises `BudgetExhausted` instead of waiting or hammering; the
  sweep stops cleanly and the next run resumes. Secondary limits (403/429 with
  ``Retry-After`` or the secondary-limit message) and 5xx answers are retried with bounded
  back-off, at most ``max_retries`` times. A 401 on an installation token refreshes the token
  once.
- No token, JWT or key ever appears in an exception message or a log event.
"""

from __future__ import annotations

import base64
import contextlib
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
import structlog

from bot.auth import AppAuth, InstallationToken, InstallationTokens, parse_expiry, redact
from bot.settings import Settings
from bot.store import Store

log = structlog.get_logger("gocomply.github")

API_VERSION = "2022-11-28"
USER_AGENT = "gocomply"
_RETRY_STATUSES = frozenset({500, 502, 503, 504})


class GitHubError(Exception):
    """A GitHub request failed; ``status`` is the HTTP status (0 for a network error)."""

    def __init__(self, status: int, method: str, path: str, message: str) -> None:
        self.status = status
        self.method = method
        self.path = path
        self.message = redact(message)
        super().__init__(str(self))

    def __str__(self) -> str:
        what = f"HTTP {self.status}" if self.status else "network error"
        return f"{self.method} {self.path}: {what}: {self.message}"


class NotFound(GitHubError):
    pass


class EmptyRepository(GitHubError):
    """409 "Git Repository is empty"."""


class BudgetExhausted(GitHubError):
    """The primary rate limit for this credential is spent until ``reset_at``."""

    def __init__(self, method: str, path: str, reset_at: float) -> None:
        self.reset_at = reset_at
        when = time.strftime("%H:%M:%SZ", time.gmtime(reset_at))
        super().__init__(403, method, path, f"API rate limit exhausted until {when}")


@dataclass(frozen=True)
class Installation:
    id: int
    account: str
    account_type: str
    suspended: bool = False


@dataclass(frozen=True)
class Repo:
    id: int
    owner: str
    name: str
    default_branch: str
    archived: bool = False
    fork: bool = False
    disabled: bool = False
    private: bool = False
    pushed_at: str | None = None
    size: int = 0
    clone_url: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


@dataclass(frozen=True)
class TreeEntry:
    path: str
    type: str  # "blob" | "tree" | "commit"
    sha: str
    mode: str = ""
    size: int | None = None


@dataclass(frozen=True)
class Tree:
    sha: str
    entries: tuple[TreeEntry, ...]
    truncated: bool


@dataclass
class Counters:
    """Requests made (all, including retries and 304s) and 304 answers; thread-safe enough."""

    requests: int = 0
    not_modified: int = 0
    retries: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, kind: str, status: int) -> None:
        with self._lock:
            self.requests += 1
            self.by_kind[kind] = self.by_kind.get(kind, 0) + 1
            if status == 304:
                self.not_modified += 1


@dataclass
class _Budget:
    remaining: int | None = None
    reset: float = 0.0


@dataclass(frozen=True)
class _Response:
    status: int
    body: bytes
    headers: Mapping[str, str]

    def json(self) -> Any:
        import json

        return json.loads(self.body.decode("utf-8")) if self.body else None


def _repo_from(d: Mapping[str, Any]) -> Repo:
    return Repo(
        id=int(d["id"]),
        owner=str(d["owner"]["login"]),
        name=str(d["name"]),
        default_branch=str(d.get("default_branch") or "main"),
        archived=bool(d.get("archived", False)),
        fork=bool(d.get("fork", False)),
        disabled=bool(d.get("disabled", False)),
        private=bool(d.get("private", False)),
        pushed_at=d.get("pushed_at"),
        size=int(d.get("size") or 0),
        clone_url=d.get("clone_url"),
    )


def _next_link(link: str | None) -> str | None:
    if not link:
        return None
    for part in link.split(","):
        url, _, params = part.partition(";")
        if 'rel="next"' in params:
            return url.strip().strip("<>")
    return None


class _Transport:
    """HTTP with retries, rate-limit accounting and conditional GETs."""

    def __init__(
        self,
        settings: Settings,
        store: Store | None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base = settings.github_url
        self.settings = settings
        self.store = store
        self.session = session or requests.Session()
        self.sleep = sleep
        self.clock = clock
        self.counters = Counters()
        self._budgets: dict[str, _Budget] = {}
        self._lock = threading.Lock()

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else f"{self.base}{path}"

    def _shown(self, url: str) -> str:
        parts = urlsplit(url)
        base_path = urlsplit(self.base).path
        path = parts.path[len(base_path) :] if parts.path.startswith(base_path) else parts.path
        return path + (f"?{parts.query}" if parts.query else "")

    def request(
        self,
        method: str,
        path: str,
        *,
        credential: Callable[[], str],
        credential_key: str,
        refresh: Callable[[], None] | None = None,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        cache_key: str | None = None,
        ok: tuple[int, ...] = (200, 201, 204),
    ) -> _Response:
        url = self.url(path)
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"
        shown = self._shown(url)
        cached = self.store.get_cached(cache_key) if (self.store and cache_key) else None
        attempt = 0
        refreshed = False
        while True:
            self._check_budget(credential_key, method, shown)
            headers = {
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": USER_AGENT,
                "Authorization": f"Bearer {credential()}",
            }
            if cached is not None:
                headers["If-None-Match"] = cached[0]
            try:
                r = self.session.request(method, url, headers=headers, json=body, timeout=30)
                resp = _Response(r.status_code, r.content, r.headers)
            except requests.RequestException as exc:
                self.counters.count(credential_key.split(":")[0], 0)
                if attempt < self.settings.max_retries:
                    attempt += 1
                    self.counters.retries += 1
                    self.sleep(min(2.0**attempt, self.settings.max_backoff))
                    continue
                raise GitHubError(0, method, shown, type(exc).__name__) from None
            self.counters.count(credential_key.split(":")[0], resp.status)
            self._note_budget(credential_key, resp)
            if resp.status == 304 and cached is not None:
                headers = dict(resp.headers)
                if cached[2] is not None:
                    headers["Link"] = cached[2]
                return _Response(200, cached[1], headers)
            if resp.status in ok:
                etag = resp.headers.get("ETag")
                if self.store and cache_key and etag and method == "GET":
                    self.store.put_etag(cache_key, etag, resp.body, resp.headers.get("Link"))
                return resp
            message = _message(resp)
            if resp.status == 401 and refresh is not None and not refreshed:
                refresh()
                refreshed = True
                continue
            if resp.status in (403, 429):
                wait = self._secondary_wait(resp, message)
                if wait is not None:
                    if attempt >= self.settings.max_retries:
                        raise GitHubError(resp.status, method, shown, message)
                    attempt += 1
                    self.counters.retries += 1
                    log.warning("github.secondary_rate_limit", path=shown, wait=wait)
                    self.sleep(wait)
                    continue
                if resp.headers.get("X-RateLimit-Remaining") == "0":
                    raise BudgetExhausted(method, shown, _reset(resp))
            if resp.status in _RETRY_STATUSES and attempt < self.settings.max_retries:
                attempt += 1
                self.counters.retries += 1
                self.sleep(min(2.0**attempt, self.settings.max_backoff))
                continue
            if resp.status == 404:
                raise NotFound(404, method, shown, message)
            if resp.status == 409 and "empty" in message.lower():
                raise EmptyRepository(409, method, shown, message)
            raise GitHubError(resp.status, method, shown, message)

    def _secondary_wait(self, resp: _Response, message: str) -> float | None:
        retry_after = resp.headers.get("Retry-After")
        if retry_after is not None:
            try:
                return min(max(float(retry_after), 0.0), self.settings.max_backoff)
            except ValueError:
                return self.settings.max_backoff
        if "secondary rate limit" in message.lower():
            return min(60.0, self.settings.max_backoff)
        return None

    def _note_budget(self, key: str, resp: _Response) -> None:
        rem = resp.headers.get("X-RateLimit-Remaining")
        if rem is None:
            return
        with self._lock:
            b = self._budgets.setdefault(key, _Budget())
            try:
                b.remaining = int(rem)
                b.reset = _reset(resp)
            except ValueError:
                pass

    def _check_budget(self, key: str, method: str, shown: str) -> None:
        with self._lock:
            b = self._budgets.get(key)
            if b is None or b.remaining is None or b.remaining > 0:
                return
            if b.reset <= self.clock():
                b.remaining = None
                return
            reset = b.reset
        raise BudgetExhausted(method, shown, reset)

    def budget(self, key: str) -> int | None:
        b = self._budgets.get(key)
        return None if b is None else b.remaining


def _reset(resp: _Response) -> float:
    try:
        return float(resp.headers.get("X-RateLimit-Reset", "0"))
    except ValueError:
        return 0.0


def _message(resp: _Response) -> str:
    try:
        data = resp.json()
    except ValueError:
        return resp.body[:200].decode("utf-8", "replace")
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        return str(data["message"])
    return ""


class GitHubApp:
    """The App's view of GitHub: installations, and a client per installation."""

    def __init__(
        self,
        settings: Settings,
        store: Store | None = None,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        app_id, key = settings.require_app()
        self.settings = settings
        self.auth = AppAuth(app_id, key, clock)
        self.http = _Transport(settings, store, session, sleep, clock)
        self.tokens = InstallationTokens(self._fetch_token, clock)
        self._slug: str | None = None

    @property
    def counters(self) -> Counters:
        return self.http.counters

    def _app_get(self, path: str, params: Mapping[str, Any] | None = None) -> _Response:
        return self.http.request(
            "GET", path, credential=self.auth.jwt, credential_key="app", params=params
        )

    def _fetch_token(self, installation_id: int) -> InstallationToken:
        r = self.http.request(
            "POST",
            f"/app/installations/{installation_id}/access_tokens",
            credential=self.auth.jwt,
            credential_key="app",
        )
        d = r.json()
        return InstallationToken(str(d["token"]), parse_expiry(str(d["expires_at"])))

    def installations(self) -> list[Installation]:
        out: list[Installation] = []
        url: str | None = "/app/installations"
        params: Mapping[str, Any] | None = {"per_page": self.settings.per_page}
        while url is not None:
            r = self._app_get(url, params)
            out.extend(_installation_from(d) for d in r.json())
            url, params = _next_link(r.headers.get("Link")), None
        return out

    def installation(self, installation_id: int) -> Installation:
        return _installation_from(self._app_get(f"/app/installations/{installation_id}").json())

    def installation_for_org(self, org: str) -> Installation:
        return _installation_from(self._app_get(f"/orgs/{org}/installation").json())

    def client(self, installation_id: int) -> InstallationClient:
        return InstallationClient(self, installation_id)

    def slug(self) -> str:
        """The App's slug; its commits and pull requests are by ``<slug>[bot]``."""
        if self._slug is None:
            self._slug = str(self._app_get("/app").json()["slug"])
        return self._slug


def _installation_from(d: Mapping[str, Any]) -> Installation:
    account = d.get("account") or {}
    return Installation(
        id=int(d["id"]),
        account=str(account.get("login", "")),
        account_type=str(d.get("target_type") or account.get("type") or ""),
        suspended=d.get("suspended_at") is not None,
    )


# ----------------------------------------------------------------------------- writes


@dataclass(frozen=True)
class CommitInfo:
    sha: str
    tree: str
    parents: tuple[str, ...]
    message: str
    author_login: str | None
    committer_login: str | None
    verified: bool


@dataclass(frozen=True)
class PullInfo:
    number: int
    state: str  # "open" | "closed"
    merged: bool
    title: str
    body: str
    head_ref: str
    head_sha: str
    base_ref: str
    user_login: str
    html_url: str
    draft: bool = False


@dataclass(frozen=True)
class IssueInfo:
    number: int
    state: str
    title: str
    body: str
    user_login: str
    html_url: str


def _pull_from(d: Mapping[str, Any]) -> PullInfo:
    return PullInfo(
        number=int(d["number"]),
        state=str(d["state"]),
        merged=bool(d.get("merged") or d.get("merged_at")),
        title=str(d.get("title") or ""),
        body=str(d.get("body") or ""),
        head_ref=str(d["head"]["ref"]),
        head_sha=str(d["head"]["sha"]),
        base_ref=str(d["base"]["ref"]),
        user_login=str((d.get("user") or {}).get("login", "")),
        html_url=str(d.get("html_url") or ""),
        draft=bool(d.get("draft", False)),
    )


def _issue_from(d: Mapping[str, Any]) -> IssueInfo:
    return IssueInfo(
        number=int(d["number"]),
        state=str(d["state"]),
        title=str(d.get("title") or ""),
        body=str(d.get("body") or ""),
        user_login=str((d.get("user") or {}).get("login", "")),
        html_url=str(d.get("html_url") or ""),
    )


def _commit_from(d: Mapping[str, Any]) -> CommitInfo:
    """From GET /repos/{o}/{r}/commits/{ref} or a pull request's commit list."""
    c = d.get("commit") or {}
    return CommitInfo(
        sha=str(d["sha"]),
        tree=str((c.get("tree") or {}).get("sha", "")),
        parents=tuple(str(p["sha"]) for p in d.get("parents") or ()),
        message=str(c.get("message") or ""),
        author_login=(d.get("author") or {}).get("login"),
        committer_login=(d.get("committer") or {}).get("login"),
        verified=bool((c.get("verification") or {}).get("verified", False)),
    )


class InstallationClient:
    """Requests made as one installation (its access token)."""

    def __init__(self, app: GitHubApp, installation_id: int) -> None:
        self.app = app
        self.installation_id = installation_id
        self._key = f"installation:{installation_id}"

    def token(self) -> str:
        return self.app.tokens.token(self.installation_id)

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        conditional: bool = False,
        ok: tuple[int, ...] = (200, 201, 204),
    ) -> _Response:
        cache_key = None
        if conditional:
            url = self.app.http.url(path)
            q = f"?{urlencode(params)}" if params else ""
            cache_key = f"{self.installation_id}:{url}{q}"
        return self.app.http.request(
            method,
            path,
            credential=self.token,
            credential_key=self._key,
            refresh=lambda: self.app.tokens.invalidate(self.installation_id),
            params=params,
            body=body,
            cache_key=cache_key,
            ok=ok,
        )

    def repositories(self) -> Iterator[Repo]:
        """Every repository the installation can see (100 per page, conditional)."""
        url: str | None = "/installation/repositories"
        params: Mapping[str, Any] | None = {"per_page": self.app.settings.per_page}
        while url is not None:
            r = self._request("GET", url, params=params, conditional=True)
            for d in r.json().get("repositories", []):
                yield _repo_from(d)
            url, params = _next_link(r.headers.get("Link")), None

    def repo(self, owner: str, name: str) -> Repo:
        return _repo_from(self._request("GET", f"/repos/{owner}/{name}").json())

    def tree(self, repo: Repo, ref: str, *, recursive: bool = True) -> Tree:
        params = {"recursive": "1"} if recursive else None
        d = self._request(
            "GET", f"/repos/{repo.full_name}/git/trees/{ref}", params=params, conditional=True
        ).json()
        entries = tuple(
            TreeEntry(
                str(e["path"]), str(e["type"]), str(e["sha"]), str(e.get("mode", "")), e.get("size")
            )
            for e in d.get("tree", [])
        )
        return Tree(str(d["sha"]), entries, bool(d.get("truncated", False)))

    def blob(self, repo: Repo, sha: str) -> bytes:
        """A blob's bytes, from the store when this sha was fetched before (no request)."""
        store = self.app.http.store
        if store is not None:
            cached = store.get_blob(sha)
            if cached is not None:
                return cached
        d = self._request("GET", f"/repos/{repo.full_name}/git/blobs/{sha}").json()
        if d.get("encoding") != "base64":
            raise GitHubError(
                200,
                "GET",
                f"/repos/{repo.full_name}/git/blobs/{sha}",
                f"unexpected blob encoding {d.get('encoding')!r}",
            )
        data = base64.b64decode(str(d.get("content", "")))
        if store is not None:
            store.put_blob(sha, data)
        return data

    def file(self, repo: Repo, path: str, ref: str | None = None) -> bytes | None:
        """A file's bytes at ``ref`` through the contents API (conditional), None if absent."""
        params = {"ref": ref} if ref else None
        try:
            d = self._request(
                "GET", f"/repos/{repo.full_name}/contents/{path}", params=params, conditional=True
            ).json()
        except NotFound:
            return None
        if not isinstance(d, dict) or d.get("type") != "file":
            return None
        return base64.b64decode(str(d.get("content", "")))

    def clone_url(self, repo: Repo) -> str:
        """HTTPS clone URL: the server's own ``clone_url``, else derived from the base URL."""
        if repo.clone_url:
            return repo.clone_url
        parts = urlsplit(self.app.settings.github_url)
        host = parts.netloc
        if host == "api.github.com":
            host = "github.com"
        prefix = parts.path[: -len("/api/v3")] if parts.path.endswith("/api/v3") else parts.path
        return f"{parts.scheme}://{host}{prefix}/{repo.full_name}.git"

    def _pages(self, path: str, params: Mapping[str, Any]) -> Iterator[Any]:
        url: str | None = path
        p: Mapping[str, Any] | None = {**params, "per_page": 100}
        while url is not None:
            r = self._request("GET", url, params=p)
            yield from r.json()
            url, p = _next_link(r.headers.get("Link")), None

    def branch_sha(self, repo: Repo, branch: str) -> str | None:
        try:
            d = self._request("GET", f"/repos/{repo.full_name}/git/ref/heads/{branch}").json()
        except NotFound:
            return None
        return str(d["object"]["sha"])

    def commit(self, repo: Repo, ref: str) -> CommitInfo:
        return _commit_from(self._request("GET", f"/repos/{repo.full_name}/commits/{ref}").json())

    def create_blob(self, repo: Repo, content: bytes) -> str:
        body = {"content": base64.b64encode(content).decode("ascii"), "encoding": "base64"}
        return str(
            self._request("POST", f"/repos/{repo.full_name}/git/blobs", body=body).json()["sha"]
        )

    def create_tree(self, repo: Repo, base_tree: str, files: Mapping[str, str]) -> str:
        """A tree: ``base_tree`` with ``files`` (path → blob sha) replaced, modes kept 100644."""
        entries = [
            {"path": p, "mode": "100644", "type": "blob", "sha": sha}
            for p, sha in sorted(files.items())
        ]
        body = {"base_tree": base_tree, "tree": entries}
        return str(
            self._request("POST", f"/repos/{repo.full_name}/git/trees", body=body).json()["sha"]
        )

    def create_commit(self, repo: Repo, message: str, tree: str, parents: list[str]) -> str:
        """A commit with NO author, committer or signature: GitHub then signs it as the App
        (shown as Verified), which repositories requiring signed commits accept."""
        body = {"message": message, "tree": tree, "parents": parents}
        return str(
            self._request("POST", f"/repos/{repo.full_name}/git/commits", body=body).json()["sha"]
        )

    def create_branch(self, repo: Repo, branch: str, sha: str) -> None:
        body = {"ref": f"refs/heads/{branch}", "sha": sha}
        self._request("POST", f"/repos/{repo.full_name}/git/refs", body=body)

    def move_branch(self, repo: Repo, branch: str, sha: str, *, force: bool) -> None:
        body = {"sha": sha, "force": force}
        self._request("PATCH", f"/repos/{repo.full_name}/git/refs/heads/{branch}", body=body)

    def delete_branch(self, repo: Repo, branch: str) -> None:
        # already gone is fine (GitHub's "delete branch" button, or a second run)
        with contextlib.suppress(NotFound):
            self._request("DELETE", f"/repos/{repo.full_name}/git/refs/heads/{branch}")

    def pulls(
        self, repo: Repo, *, state: str = "all", head_branch: str | None = None
    ) -> list[PullInfo]:
        params: dict[str, Any] = {"state": state}
        if head_branch is not None:
            params["head"] = f"{repo.owner}:{head_branch}"
        return [_pull_from(d) for d in self._pages(f"/repos/{repo.full_name}/pulls", params)]

    def pull(self, repo: Repo, number: int) -> PullInfo:
        return _pull_from(self._request("GET", f"/repos/{repo.full_name}/pulls/{number}").json())

    def pull_commits(self, repo: Repo, number: int) -> list[CommitInfo]:
        return [
            _commit_from(d)
            for d in self._pages(f"/repos/{repo.full_name}/pulls/{number}/commits", {})
        ]

    def create_pull(
        self, repo: Repo, *, title: str, body: str, head: str, base: str, draft: bool
    ) -> PullInfo:
        payload = {"title": title, "body": body, "head": head, "base": base, "draft": draft}
        return _pull_from(
            self._request("POST", f"/repos/{repo.full_name}/pulls", body=payload).json()
        )

    def update_pull(
        self,
        repo: Repo,
        number: int,
        *,
        title: str | None = None,
        body: str | None = None,
        state: str | None = None,
    ) -> PullInfo:
        payload = {
            k: v for k, v in (("title", title), ("body", body), ("state", state)) if v is not None
        }
        return _pull_from(
            self._request("PATCH", f"/repos/{repo.full_name}/pulls/{number}", body=payload).json()
        )

    def add_labels(self, repo: Repo, number: int, labels: list[str]) -> None:
        if labels:
            self._request(
                "POST", f"/repos/{repo.full_name}/issues/{number}/labels", body={"labels": labels}
            )

    def request_reviewers(self, repo: Repo, number: int, reviewers: list[str]) -> None:
        users = [r for r in reviewers if "/" not in r]
        teams = [r.split("/", 1)[1] for r in reviewers if "/" in r]
        body: dict[str, Any] = {}
        if users:
            body["reviewers"] = users
        if teams:
            body["team_reviewers"] = teams
        if body:
            self._request(
                "POST", f"/repos/{repo.full_name}/pulls/{number}/requested_reviewers", body=body
            )

    def add_assignees(self, repo: Repo, number: int, assignees: list[str]) -> None:
        if assignees:
            self._request(
                "POST",
                f"/repos/{repo.full_name}/issues/{number}/assignees",
                body={"assignees": assignees},
            )

    def comment(self, repo: Repo, number: int, body: str) -> None:
        self._request(
            "POST", f"/repos/{repo.full_name}/issues/{number}/comments", body={"body": body}
        )

    def comments(self, repo: Repo, number: int) -> list[str]:
        return [
            str(d.get("body") or "")
            for d in self._pages(f"/repos/{repo.full_name}/issues/{number}/comments", {})
        ]

    def issues(
        self, repo: Repo, *, state: str = "all", creator: str | None = None
    ) -> list[IssueInfo]:
        params: dict[str, Any] = {"state": state}
        if creator:
            params["creator"] = creator
        return [
            _issue_from(d)
            for d in self._pages(f"/repos/{repo.full_name}/issues", params)
            if "pull_request" not in d
        ]

    def create_issue(self, repo: Repo, *, title: str, body: str, labels: list[str]) -> IssueInfo:
        payload = {"title": title, "body": body, "labels": labels}
        return _issue_from(
            self._request("POST", f"/repos/{repo.full_name}/issues", body=payload).json()
        )

    def update_issue(
        self, repo: Repo, number: int, *, body: str | None = None, state: str | None = None
    ) -> IssueInfo:
        payload = {k: v for k, v in (("body", body), ("state", state)) if v is not None}
        return _issue_from(
            self._request("PATCH", f"/repos/{repo.full_name}/issues/{number}", body=payload).json()
        )
