"""The ONE GitHub stand-in for gocomply's tests: a real HTTP server on 127.0.0.1.

* REST endpoints the App uses (App/JWT auth, installations, repositories, Git Data API, pull
  requests, issues), state in memory, git objects in real bare repositories;
* smart HTTP git (`/{owner}/{repo}.git/...`) through `git http-backend` with
  `x-access-token:<installation token>` basic auth, so clones and pushes see the same objects as
  the API;
* every request and response checked against GitHub's OpenAPI description (tests/github/
  contract.py): violations are recorded on the stand-in and the `github` fixture fails the test;
* rate limits (headers on every response, per installation/App budget, 304s free), fault
  injection (5xx, secondary and primary limits, token expiry, truncated trees, repository states)
  and a request log.

Usage::

    with GitHubStandIn.start(base_path="/api/v3") as gh:
        app = gh.create_app()
        inst = gh.install(app, org="acme")
        repo = gh.create_repo("acme", "svc", files={"Dockerfile": "FROM golang:1.22\\n"})
        ...  # point the code under test at gh.url with app.id and app.private_key_pem
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import itertools
import json
import re
import secrets
import shutil
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, NamedTuple, TypeVar
from urllib.parse import parse_qs, quote, urlencode

from tests.github.appauth import (
    JWTError,
    private_key_pem,
    session_private_key,
    unverified_claims,
    verify_jwt,
)
from tests.github.contract import Contract, Operation
from tests.github.githttp import run_http_backend
from tests.github.gitstore import ZERO_SHA, BareRepo, CommitInfo, GitError, Ident, TreeEntry
from tests.github.model import (
    Account,
    App,
    Comment,
    Installation,
    Issue,
    Label,
    Pull,
    Repo,
    Token,
)

T = TypeVar("T")
DOCS = "https://docs.github.com/rest"
RATE_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID {rid}."
)
DEFAULT_PERMISSIONS = {
    "contents": "write",
    "pull_requests": "write",
    "issues": "write",
    "metadata": "read",
}
LEVELS = {"read": 1, "write": 2, "admin": 3}
WEB_FLOW = ("GitHub", "noreply@github.com")
TOKEN_TTL = 3600.0
MAX_CONTENT_SIZE = 1024 * 1024  # the contents API gives no content above 1 MB

_CONTRACT: Contract | None = None
_CONTRACT_LOCK = threading.Lock()


def contract() -> Contract:
    """The parsed OpenAPI subset (loaded once per process)."""
    global _CONTRACT
    with _CONTRACT_LOCK:
        if _CONTRACT is None:
            _CONTRACT = Contract()
        return _CONTRACT


def iso(t: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def parse_iso(text: str) -> tuple[int, str]:
    """ISO 8601 -> (epoch seconds, git tz offset like +0200)."""
    dt = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    offset = dt.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    return int(dt.timestamp()), f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def node_id(kind: str, ident: int | str) -> str:
    return base64.b64encode(f"0{len(kind)}:{kind}{ident}".encode()).decode().rstrip("=")


class ApiError(Exception):
    """An error answer: GitHub's error body {message, documentation_url, status[, errors]}."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
        doc: str = DOCS,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors
        self.headers = dict(headers or {})
        self.doc = doc
        self.extra = dict(extra or {})

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"message": self.message, "documentation_url": self.doc}
        if self.errors is not None:
            out["errors"] = self.errors
        else:
            out["status"] = str(self.status)
        out.update(self.extra)
        return out


def not_found(message: str = "Not Found") -> ApiError:
    return ApiError(404, message)


def invalid(
    message: str = "Validation Failed",
    *,
    resource: str | None = None,
    field_: str | None = None,
    code: str = "invalid",
) -> ApiError:
    errors: list[dict[str, Any]] = []
    if resource:
        error: dict[str, Any] = {"resource": resource, "code": code}
        if field_:
            error["field"] = field_
        errors.append(error)
    elif message != "Validation Failed":
        errors.append({"message": message, "code": "custom"})
    return ApiError(422, message if resource is None else "Validation Failed", errors=errors)


@dataclass(frozen=True)
class Violation:
    """A request or response that GitHub's description does not allow."""

    method: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.method} {self.path}: {self.message}"


class LoggedRequest(NamedTuple):
    """One request the stand-in answered (path relative to the API base, with query string)."""

    method: str
    path: str
    status: int
    token_kind: str  # jwt | installation | anonymous | invalid


@dataclass
class _Fault:
    method: str
    regex: re.Pattern[str]
    status: int
    times: int
    retry_after: int | None = None
    secondary: bool = False


@dataclass
class _Bucket:
    limit: int
    remaining: int
    reset: float

    @property
    def used(self) -> int:
        return self.limit - self.remaining


@dataclass
class _Principal:
    kind: Literal["jwt", "installation", "anonymous", "invalid"]
    app: App | None = None
    installation: Installation | None = None
    token: Token | None = None
    error: str | None = None

    @property
    def bucket_key(self) -> tuple[str, int]:
        if self.installation is not None:
            return ("installation", self.installation.id)
        if self.app is not None:
            return ("app", self.app.id)
        return ("anonymous", 0)


@dataclass
class _Request:
    method: str
    path: str  # relative to the API base, without the query string
    query_string: str
    query: dict[str, list[str]]
    headers: Mapping[str, str]
    body: bytes
    rid: str
    op: Operation | None = None
    params: dict[str, Any] = field(default_factory=dict)
    json: Any = None
    principal: _Principal = field(default_factory=lambda: _Principal("anonymous"))
    repo: Repo | None = None

    @property
    def logged_path(self) -> str:
        return self.path + (f"?{self.query_string}" if self.query_string else "")


@dataclass
class _Response:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # non-JSON payload (git)

    @property
    def has_body(self) -> bool:
        return self.body is not None


Handler = Callable[["GitHubStandIn", _Request], "_Response | tuple[int, Any]"]
_ROUTES: dict[str, tuple[Handler, str, tuple[tuple[str, str], ...]]] = {}


def route(
    key: str, *, auth: str = "installation", perm: Iterable[tuple[str, str]] = ()
) -> Callable[[Handler], Handler]:
    """Register a handler for the operation `key` ("METHOD /template" as in the description).

    `auth`: "jwt" (App JWT), "installation" (installation token) or "any". `perm`: alternatives,
    any one of which the token must hold, e.g. (("issues", "write"), ("pull_requests", "write")).
    """

    def deco(fn: Handler) -> Handler:
        _ROUTES[key] = (fn, auth, tuple(perm))
        return fn

    return deco


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # set on the handler class too, where socketserver reads it; kept here for the record
    disable_nagle_algorithm = True
    standin: GitHubStandIn


class _HTTPHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "GitHub.com"
    sys_version = ""
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        body = self._body()
        headers = {k: v for k, v in self.headers.items()}
        try:
            resp = self.server.standin._serve(self.command, self.path, headers, body)
        except Exception as exc:  # a bug in the stand-in: answer 500 and record it
            where = "".join(traceback.format_exc(limit=-3))
            self.server.standin._record(
                self.command, self.path, f"stand-in crashed: {exc!r}\n{where}"
            )
            resp = _Response(500, {"message": f"stand-in error: {exc!r}"})
        payload = resp.raw
        if payload is None:
            payload = b"" if resp.body is None else json.dumps(resp.body).encode()
            if resp.body is not None:
                resp.headers.setdefault("Content-Type", "application/json; charset=utf-8")
        self.send_response(resp.status)
        for name, value in resp.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = _handle


class GitHubStandIn:
    """The stand-in server and its builder API (see the module docstring)."""

    def __init__(
        self,
        base_path: str = "",
        *,
        validate: bool = True,
        rate_limit: int = 5000,
        token_ttl: float = TOKEN_TTL,
        root: Path | None = None,
    ) -> None:
        if base_path and (not base_path.startswith("/") or base_path.endswith("/")):
            raise ValueError("base_path is like '/api/v3' (leading slash, no trailing slash)")
        self.base_path = base_path
        self.validate = validate
        self.rate_limit = rate_limit
        self.token_ttl = token_ttl
        self._own_root = root is None
        self.root = Path(tempfile.mkdtemp(prefix="gh-standin-")) if root is None else root
        (self.root / "repos").mkdir(parents=True, exist_ok=True)
        self.contract = contract() if validate else None
        self.violations: list[Violation] = []
        self.requests: list[LoggedRequest] = []
        self._lock = threading.RLock()  # state changes
        self._meta = threading.Lock()  # log, violations, budgets, faults
        self._ids = itertools.count(1001)
        self._accounts: dict[str, Account] = {}  # lower-case login -> account
        self._apps: dict[int, App] = {}
        self._installations: dict[int, Installation] = {}
        self._tokens: dict[str, Token] = {}
        self._repos: dict[int, Repo] = {}
        self._repo_names: dict[str, int] = {}  # lower-case full name -> repo id
        self._buckets: dict[tuple[str, int], _Bucket] = {}
        self._faults: list[_Fault] = []
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        self.web_flow = self._account("web-flow", "User", email=WEB_FLOW[1], name=WEB_FLOW[0])

    # -- lifecycle -----------------------------------------------------------------------

    @classmethod
    def start(cls, base_path: str = "", **kwargs: Any) -> GitHubStandIn:
        """Create a stand-in and start serving on a random free port of 127.0.0.1."""
        standin = cls(base_path, **kwargs)
        standin._start()
        return standin

    def _start(self) -> None:
        httpd = _HTTPServer(("127.0.0.1", 0), _HTTPHandler)
        httpd.standin = self
        self._httpd = httpd
        self.port = httpd.server_address[1]
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> GitHubStandIn:
        if self._httpd is None:
            self._start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def web_url(self) -> str:
        """Root of the web UI and of git (on GHES too, git is not under /api/v3)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The REST API base URL (with the base path, e.g. http://127.0.0.1:PORT/api/v3)."""
        return self.web_url + self.base_path

    def git_url(self, owner: str, repo: str, token: str | None = None) -> str:
        """Clone URL; with `token`, embeds `x-access-token:<token>@` like an App clone does."""
        if token is None:
            return f"{self.web_url}/{owner}/{repo}.git"
        return f"http://x-access-token:{token}@127.0.0.1:{self.port}/{owner}/{repo}.git"

    # -- builder API: accounts, apps, installations ----------------------------------------

    def _account(
        self,
        login: str,
        type_: Literal["Organization", "User", "Bot"],
        *,
        email: str | None = None,
        name: str | None = None,
    ) -> Account:
        with self._lock:
            account = self._accounts.get(login.lower())
            if account is None:
                account = Account(next(self._ids), login, type_, email=email, name=name)
                self._accounts[login.lower()] = account
            return account

    def create_org(self, login: str) -> Account:
        return self._account(login, "Organization")

    def create_user(
        self,
        login: str,
        *,
        email: str | None = None,
        name: str | None = None,
        orgs: Iterable[str] = (),
    ) -> Account:
        """A user; members of `orgs` can be assignees and requested reviewers there."""
        user = self._account(
            login, "User", email=email or f"{login}@users.noreply.github.com", name=name or login
        )
        user.orgs.update(o.lower() for o in orgs)
        return user

    def create_app(
        self,
        name: str = "gocomply",
        *,
        permissions: Mapping[str, str] | None = None,
        events: Iterable[str] = ("push", "pull_request", "repository"),
        owner: str = "gocomply-dev",
        private_key: str | None = None,
    ) -> App:
        """Register a GitHub App; its `private_key_pem` is the session RSA key unless given."""
        with self._lock:
            app_id = next(self._ids)
            slug = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")
            bot = self._account(f"{slug}[bot]", "Bot")
            app = App(
                id=app_id,
                slug=slug,
                name=name,
                client_id=f"Iv1.{secrets.token_hex(8)}",
                owner=self.create_org(owner),
                private_key_pem=private_key or private_key_pem(session_private_key()),
                permissions=dict(permissions or DEFAULT_PERMISSIONS),
                events=list(events),
                webhook_secret=secrets.token_hex(16),
                bot=bot,
                created_at=time.time(),
            )
            self._apps[app_id] = app
            return app

    def install(
        self,
        app: App,
        org: str,
        *,
        repositories: Literal["all"] | Iterable[Repo | str] = "all",
        permissions: Mapping[str, str] | None = None,
        account_type: Literal["Organization", "User"] = "Organization",
    ) -> Installation:
        """Install `app` on an organisation (or user) account, on all or selected repos."""
        with self._lock:
            account = self._account(org, account_type)
            selected: set[int] = set()
            if repositories != "all":
                for r in repositories:
                    selected.add(r.id if isinstance(r, Repo) else self.repo(f"{org}/{r}").id)
            inst = Installation(
                id=next(self._ids),
                app=app,
                account=account,
                repository_selection="all" if repositories == "all" else "selected",
                repo_ids=selected,
                permissions=dict(permissions or app.permissions),
                events=list(app.events),
                created_at=time.time(),
            )
            self._installations[inst.id] = inst
            return inst

    def suspend(self, inst: Installation) -> None:
        inst.suspended_at = time.time()

    def issue_token(
        self,
        inst: Installation,
        *,
        permissions: Mapping[str, str] | None = None,
        repo_ids: Iterable[int] | None = None,
        ttl: float | None = None,
    ) -> Token:
        """An installation token made directly (tests that need one without the HTTP dance)."""
        with self._lock:
            token = Token(
                token="ghs_" + secrets.token_urlsafe(27).replace("-", "a").replace("_", "b")[:36],
                installation=inst,
                expires_at=time.time() + (self.token_ttl if ttl is None else ttl),
                permissions=dict(permissions or inst.permissions),
                repo_ids=None if repo_ids is None else set(repo_ids),
            )
            self._tokens[token.token] = token
            return token

    # -- builder API: repositories ------------------------------------------------------------

    def create_repo(
        self,
        owner: str,
        name: str,
        files: Mapping[str, str | bytes | tuple[str, str | bytes]] | None = None,
        *,
        default_branch: str = "main",
        private: bool = True,
        archived: bool = False,
        fork: bool = False,
        disabled: bool = False,
        description: str | None = None,
        language: str | None = None,
        message: str = "Initial commit",
        author: tuple[str, str] = ("Octo Cat", "octocat@example.com"),
        when: int | None = None,
    ) -> Repo:
        """A repository; `files` (path -> text/bytes, or (mode, content)) make its first commit.

        `files=None` makes an EMPTY repository (no commits: the Git Data API answers 409).
        """
        with self._lock:
            account = self._account(owner, "Organization")
            full = f"{owner}/{name}".lower()
            if full in self._repo_names:
                raise ValueError(f"{owner}/{name} exists")
            repo_id = next(self._ids)
            git = BareRepo.create(self.root / "repos" / f"{repo_id}.git", default_branch)
            t = time.time()
            repo = Repo(
                id=repo_id,
                owner=account,
                name=name,
                git=git,
                default_branch=default_branch,
                private=private,
                created_at=t,
                updated_at=t,
                pushed_at=None,
                description=description,
                language=language,
                archived=archived,
                fork=fork,
                disabled=disabled,
            )
            self._repos[repo_id] = repo
            self._repo_names[full] = repo_id
        if files is not None:
            stamp = int(when if when is not None else t)
            ident = Ident(author[0], author[1], stamp)
            tree: dict[str, tuple[str, str]] = {}
            size = 0
            for path, content in files.items():
                mode, data = content if isinstance(content, tuple) else ("100644", content)
                raw = data.encode() if isinstance(data, str) else data
                size += len(raw)
                tree[path.strip("/")] = (mode, git.write_blob(raw))
            commit = git.write_commit(git.write_tree(tree), (), ident, ident, message + "\n")
            (git.path / "refs" / "heads" / default_branch).parent.mkdir(parents=True, exist_ok=True)
            (git.path / "refs" / "heads" / default_branch).write_text(commit + "\n")
            repo.pushed_at = t
            repo.size_kb = max(1, size // 1024)
        return repo

    def repo(self, full_name: str) -> Repo:
        """Look a repository up by its current `owner/name` (KeyError if none)."""
        return self._repos[self._repo_names[full_name.lower()]]

    def _repo(self, repo: Repo | str) -> Repo:
        return repo if isinstance(repo, Repo) else self.repo(repo)

    def commit(
        self,
        repo: Repo | str,
        files: Mapping[str, str | bytes | tuple[str, str | bytes] | None],
        message: str = "Update files",
        *,
        branch: str | None = None,
        author: tuple[str, str] = ("Octo Cat", "octocat@example.com"),
        when: int | None = None,
    ) -> str:
        """Commit on `branch` (default branch when None; created if missing) as a person would
        push it: `None` deletes a path. Returns the commit SHA."""
        repo = self._repo(repo)
        stamp = int(when if when is not None else time.time())
        ident = Ident(author[0], author[1], stamp)
        normalized: dict[str, bytes | tuple[str, bytes] | None] = {}
        for path, content in files.items():
            if content is None:
                normalized[path] = None
            elif isinstance(content, tuple):
                mode, data = content
                normalized[path] = (mode, data.encode() if isinstance(data, str) else data)
            else:
                normalized[path] = content.encode() if isinstance(content, str) else content
        sha = repo.git.commit_files(
            branch or repo.default_branch, normalized, message + "\n", ident
        )
        self._pushed(repo)
        return sha

    def create_branch(self, repo: Repo | str, branch: str, from_ref: str | None = None) -> str:
        repo = self._repo(repo)
        sha = repo.git.resolve(from_ref or repo.default_branch)
        if sha is None:
            raise ValueError(f"no commit {from_ref!r}")
        repo.git.update_ref(f"refs/heads/{branch}", sha, ZERO_SHA)
        self._pushed(repo)
        return sha

    def delete_branch(self, repo: Repo | str, branch: str) -> None:
        repo = self._repo(repo)
        repo.git.delete_ref(f"refs/heads/{branch}")
        self._refs_changed(repo)

    def branch_sha(self, repo: Repo | str, branch: str) -> str | None:
        return self._repo(repo).git.ref(f"refs/heads/{branch}")

    def read_file(self, repo: Repo | str, path: str, ref: str | None = None) -> bytes | None:
        repo = self._repo(repo)
        obj = repo.git.read_object(f"{ref or repo.default_branch}:{path}")
        return obj[2] if obj is not None and obj[1] == "blob" else None

    def files(self, repo: Repo | str, ref: str | None = None) -> dict[str, bytes]:
        """Every file at `ref` (default branch), for exact assertions."""
        repo = self._repo(repo)
        rev = ref or repo.default_branch
        out = {}
        for entry in repo.git.ls_tree(rev, True, trees=False):
            obj = repo.git.read_object(entry.sha)
            if obj is not None:
                out[entry.path] = obj[2]
        return out

    def set_repo(
        self,
        repo: Repo | str,
        *,
        archived: bool | None = None,
        disabled: bool | None = None,
        fork: bool | None = None,
        private: bool | None = None,
        blocked: bool | None = None,
        default_branch: str | None = None,
    ) -> Repo:
        """Change repository states (blocked: every request about it answers 451)."""
        repo = self._repo(repo)
        with self._lock:
            for attr, value in (
                ("archived", archived),
                ("disabled", disabled),
                ("fork", fork),
                ("private", private),
                ("blocked", blocked),
            ):
                if value is not None:
                    setattr(repo, attr, value)
            if default_branch is not None:
                repo.default_branch = default_branch
                (repo.git.path / "HEAD").write_text(f"ref: refs/heads/{default_branch}\n")
            repo.updated_at = time.time()
        return repo

    def rename_repo(self, repo: Repo | str, new_name: str) -> Repo:
        """Rename: the old name answers 404 from now on (the bot must cope mid-sweep)."""
        repo = self._repo(repo)
        with self._lock:
            del self._repo_names[repo.full_name.lower()]
            repo.name = new_name
            self._repo_names[repo.full_name.lower()] = repo.id
            repo.updated_at = time.time()
        return repo

    def delete_repo(self, repo: Repo | str) -> None:
        repo = self._repo(repo)
        with self._lock:
            del self._repo_names[repo.full_name.lower()]
            del self._repos[repo.id]

    def pulls(self, repo: Repo | str, state: str = "all") -> list[Issue]:
        """Pull requests (their issue halves; `.pull` holds the PR part), by number."""
        repo = self._repo(repo)
        return [
            i
            for _, i in sorted(repo.issues.items())
            if i.pull is not None and state in ("all", i.state)
        ]

    def issues(self, repo: Repo | str, state: str = "all") -> list[Issue]:
        """Issues that are not pull requests, by number."""
        repo = self._repo(repo)
        return [
            i
            for _, i in sorted(repo.issues.items())
            if i.pull is None and state in ("all", i.state)
        ]

    def merge_pull(
        self, repo: Repo | str, number: int, *, by: str = "octocat", delete_branch: bool = False
    ) -> str:
        """Merge a PR as a maintainer would (merge commit on the base branch)."""
        repo = self._repo(repo)
        with self._lock:
            issue = repo.issues[number]
            pull = issue.pull
            if pull is None or issue.state != "open":
                raise ValueError(f"#{number} is not an open pull request")
            head = self._pull_head(repo, issue)
            base_ref = f"refs/heads/{pull.base_ref}"
            base = repo.git.ref(base_ref)
            assert base is not None
            tree = repo.git.merge_tree(base, head)
            if tree is None:
                raise ValueError(f"#{number} has conflicts")
            user = self.create_user(by)
            t = int(time.time())
            sha = repo.git.write_commit(
                tree,
                (base, head),
                Ident(user.name or by, user.email or f"{by}@example.com", t),
                Ident(*WEB_FLOW, t),
                f"Merge pull request #{number} from {repo.owner.login}/{pull.head_ref}\n\n"
                f"{issue.title}",
            )
            repo.git.update_ref(base_ref, sha, base)
            pull.merged = True
            pull.merged_at = time.time()
            pull.merged_by = user
            pull.merge_commit_sha = sha
            pull.head_sha = head
            self._close(issue, user, "completed")
            if delete_branch:
                repo.git.delete_ref(f"refs/heads/{pull.head_ref}")
            self._pushed(repo)
            return sha

    def close_pull(self, repo: Repo | str, number: int, *, by: str = "octocat") -> None:
        """A maintainer closes a PR (or an issue) without merging."""
        repo = self._repo(repo)
        with self._lock:
            issue = repo.issues[number]
            self._close(issue, self.create_user(by), "not_planned" if issue.pull is None else None)

    def comment(self, repo: Repo | str, number: int, body: str, *, by: str = "octocat") -> None:
        """A maintainer comments on an issue or PR."""
        repo = self._repo(repo)
        with self._lock:
            issue = repo.issues[number]
            t = time.time()
            issue.comments.append(Comment(next(self._ids), body, self.create_user(by), t, t))
            issue.updated_at = t

    # -- fault injection ---------------------------------------------------------------------

    def fail_next(self, method: str, path_regex: str, status: int = 502, times: int = 1) -> None:
        """The next `times` requests matching (method or "*", re.search on the path relative
        to the API base — or the git path) answer `status` with GitHub's error body."""
        with self._meta:
            self._faults.append(_Fault(method.upper(), re.compile(path_regex), status, times))

    def secondary_rate_limit(
        self, path_regex: str, retry_after: int = 1, times: int = 1, status: int = 403
    ) -> None:
        """The next `times` matching requests hit a secondary rate limit: 403 (or 429) with
        Retry-After and GitHub's documented message (X-RateLimit-Remaining is NOT 0)."""
        with self._meta:
            self._faults.append(
                _Fault("*", re.compile(path_regex), status, times, retry_after, secondary=True)
            )

    def exhaust_primary(self, who: str | Installation | App, reset_in: float = 3600.0) -> None:
        """Spend the whole primary budget of a token's installation (or an App's JWT budget):
        requests answer 403 'API rate limit exceeded' until the reset."""
        if isinstance(who, str):
            key: tuple[str, int] = ("installation", self._tokens[who].installation.id)
        elif isinstance(who, Installation):
            key = ("installation", who.id)
        else:
            key = ("app", who.id)
        with self._meta:
            bucket = self._bucket(key)
            bucket.remaining = 0
            bucket.reset = time.time() + reset_in

    def budget(self, who: str | Installation | App) -> _Bucket:
        """The budget of a token's installation / an installation / an App (for assertions)."""
        if isinstance(who, str):
            key: tuple[str, int] = ("installation", self._tokens[who].installation.id)
        elif isinstance(who, Installation):
            key = ("installation", who.id)
        else:
            key = ("app", who.id)
        with self._meta:
            return self._bucket(key)

    def expire_tokens(self) -> None:
        """Every installation token issued so far expires now (401 Bad credentials)."""
        with self._lock:
            for token in self._tokens.values():
                token.expires_at = min(token.expires_at, time.time() - 1)

    def truncate_trees(self, repo: Repo | str, keep: float = 0.5) -> None:
        """Recursive tree reads of `repo` answer `truncated: true` with only the first `keep`
        fraction of the entries (non-recursive reads stay complete, as on GitHub)."""
        self._repo(repo).truncate_trees = keep

    # -- inspection ------------------------------------------------------------------------

    def take_violations(self) -> list[Violation]:
        """Return and clear the recorded violations (for tests that provoke them)."""
        with self._meta:
            out, self.violations = self.violations, []
            return out

    def api_requests(
        self,
        method: str | None = None,
        path_regex: str | None = None,
        status: int | None = None,
    ) -> list[LoggedRequest]:
        """Logged REST requests (git traffic excluded), optionally filtered."""
        with self._meta:
            log = list(self.requests)
        return [
            r
            for r in log
            if ".git/" not in r.path.split("?")[0]
            and (method is None or r.method == method)
            and (path_regex is None or re.search(path_regex, r.path))
            and (status is None or r.status == status)
        ]

    def reset_log(self) -> None:
        with self._meta:
            self.requests.clear()

    # -- internals: bookkeeping --------------------------------------------------------------

    def _record(self, method: str, path: str, message: str) -> None:
        with self._meta:
            self.violations.append(Violation(method, path, message))

    def _log(self, method: str, path: str, status: int, kind: str) -> None:
        with self._meta:
            self.requests.append(LoggedRequest(method, path, status, kind))

    def _bucket(self, key: tuple[str, int]) -> _Bucket:
        bucket = self._buckets.get(key)
        now = time.time()
        if bucket is None or bucket.reset <= now:
            limit = 60 if key[0] == "anonymous" else self.rate_limit
            bucket = _Bucket(limit, limit, now + 3600)
            self._buckets[key] = bucket
        return bucket

    def _take_fault(self, method: str, path: str) -> _Fault | None:
        with self._meta:
            for fault in self._faults:
                if fault.method in ("*", method) and fault.regex.search(path):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def _pushed(self, repo: Repo) -> None:
        repo.pushed_at = repo.updated_at = time.time()
        self._refs_changed(repo)

    def _refs_changed(self, repo: Repo) -> None:
        """GitHub closes an open PR whose head branch is deleted."""
        with self._lock:
            for issue in repo.issues.values():
                pull = issue.pull
                if pull is None or issue.state != "open":
                    continue
                sha = repo.git.ref(f"refs/heads/{pull.head_ref}")
                if sha is None:
                    self._close(issue, None, None)
                else:
                    pull.head_sha = sha

    def _close(self, issue: Issue, by: Account | None, reason: str | None) -> None:
        t = time.time()
        issue.state = "closed"
        issue.state_reason = reason
        issue.closed_at = t
        issue.closed_by = by
        issue.updated_at = t

    def _pull_head(self, repo: Repo, issue: Issue) -> str:
        pull = issue.pull
        assert pull is not None
        if issue.state == "open":
            sha = repo.git.ref(f"refs/heads/{pull.head_ref}")
            if sha is not None:
                pull.head_sha = sha
        return pull.head_sha

    # -- internals: HTTP pipeline ---------------------------------------------------------------

    _GIT_PATH = re.compile(r"^/(?P<owner>[^/]+)/(?P<repo>[^/]+)\.git(?P<rest>/.*)?$")

    def _serve(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes
    ) -> _Response:
        raw_path, _, query_string = target.partition("?")
        hdrs = _Headers(headers)
        git = self._GIT_PATH.match(raw_path)
        if git is not None:
            return self._serve_git(method, raw_path, query_string, hdrs, body, git)
        rid = secrets.token_hex(8).upper()
        if not raw_path.startswith(self.base_path + "/") and raw_path != self.base_path:
            self._record(method, target, f"not under the API base path {self.base_path!r}")
            self._log(method, target, 404, "anonymous")
            return _Response(404, ApiError(404, "Not Found").body())
        req = _Request(
            method=method,
            path=raw_path[len(self.base_path) :] or "/",
            query_string=query_string,
            query=parse_qs(query_string, keep_blank_values=True),
            headers=hdrs,
            body=body,
            rid=rid,
        )
        resp = self._serve_api(req)
        resp.headers.setdefault("X-GitHub-Request-Id", rid)
        resp.headers.setdefault("X-GitHub-Media-Type", "github.v3; format=json")
        resp.headers.setdefault("X-GitHub-Api-Version-Selected", "2022-11-28")
        self._log(method, req.logged_path, resp.status, req.principal.kind)
        return resp

    def _serve_api(self, req: _Request) -> _Response:
        req.principal = self._authenticate(req.headers.get("Authorization"))
        found = contract().find(req.method, req.path)
        if found is None:
            self._record(
                req.method,
                req.logged_path,
                "no such operation in the vendored OpenAPI description (or not emulated)",
            )
            return self._finish(req, _Response(404, ApiError(404, "Not Found").body()))
        op, path_params = found
        req.op = op
        params, problems = op.check_params(path_params, req.query)
        req.params = params
        parsed, body_problems = op.check_body(req.body)
        problems += body_problems
        req.json = parsed
        if problems:
            for problem in problems:
                self._record(req.method, req.logged_path, problem)
            return self._finish(req, _Response(422, invalid("; ".join(problems)).body()))
        fault = self._take_fault(req.method, req.path)
        if fault is not None:
            return self._finish(req, self._fault_response(req, fault))
        try:
            resp = self._dispatch(req, op)
        except ApiError as err:
            resp = _Response(err.status, err.body(), dict(err.headers))
        except GitError as err:
            resp = _Response(422, invalid(str(err)).body())
        return self._finish(req, resp)

    def _fault_response(self, req: _Request, fault: _Fault) -> _Response:
        if fault.secondary:
            err = ApiError(
                fault.status,
                SECONDARY_MESSAGE.format(rid=req.rid),
                doc=RATE_DOCS + "#about-secondary-rate-limits",
                headers={"Retry-After": str(fault.retry_after or 60)},
            )
        else:
            message = {500: "Server Error", 502: "Server Error", 503: "Service Unavailable"}
            err = ApiError(fault.status, message.get(fault.status, "Error"))
        return _Response(err.status, err.body(), dict(err.headers))

    def _finish(self, req: _Request, resp: _Response) -> _Response:
        """ETag/304, rate-limit accounting and headers, response validation."""
        principal = req.principal
        counted = principal.kind != "invalid" and req.path != "/rate_limit"
        if req.method == "GET" and resp.status == 200 and resp.body is not None:
            etag = 'W/"' + hashlib.sha256(json.dumps(resp.body).encode()).hexdigest() + '"'
            resp.headers["ETag"] = etag
            resp.headers.setdefault("Cache-Control", "private, max-age=60, s-maxage=60")
            resp.headers.setdefault("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP")
            if _etag_matches(req.headers.get("If-None-Match"), etag):
                resp = _Response(304, None, {"ETag": etag})
                counted = False  # 304s do not count against the primary rate limit
        if resp.status >= 500 or resp.status == 401:
            counted = False
        if principal.kind != "invalid":
            with self._meta:
                bucket = self._bucket(principal.bucket_key)
                if counted and bucket.remaining > 0:
                    bucket.remaining -= 1
                resp.headers.update(_rate_headers(bucket))
        if self.validate and req.op is not None:
            for problem in req.op.check_response(resp.status, resp.body, resp.has_body):
                self._record(req.method, req.logged_path, problem)
        return resp

    def _authenticate(self, header: str | None) -> _Principal:
        if not header:
            return _Principal("anonymous")
        scheme, _, credential = header.strip().partition(" ")
        credential = credential.strip()
        scheme = scheme.lower()
        if scheme == "basic":
            try:
                _, _, credential = base64.b64decode(credential).decode().partition(":")
            except (ValueError, UnicodeDecodeError):
                return _Principal("invalid", error="Bad credentials")
        elif scheme not in ("bearer", "token"):
            return _Principal("invalid", error="Bad credentials")
        if credential.count(".") == 2:
            return self._authenticate_jwt(credential)
        token = self._tokens.get(credential)
        if token is None or token.expires_at <= time.time():
            return _Principal("invalid", error="Bad credentials")
        inst = token.installation
        return _Principal("installation", app=inst.app, installation=inst, token=token)

    def _authenticate_jwt(self, credential: str) -> _Principal:
        try:
            issuer = str(unverified_claims(credential).get("iss"))
        except JWTError as err:
            return _Principal("invalid", error=str(err))
        app = next((a for a in self._apps.values() if issuer in (str(a.id), a.client_id)), None)
        if app is None:
            return _Principal("invalid", error="Integration not found")
        try:
            verify_jwt(credential, app.public_key)
        except JWTError as err:
            return _Principal("invalid", error=str(err))
        return _Principal("jwt", app=app)

    def _dispatch(self, req: _Request, op: Operation) -> _Response:
        handler, auth, perms = _ROUTES[op.key]
        principal = req.principal
        if principal.kind == "invalid":
            raise ApiError(401, principal.error or "Bad credentials")
        if auth == "jwt" and principal.kind != "jwt":
            raise ApiError(401, "A JSON web token could not be decoded")
        if auth == "installation":
            if principal.kind == "anonymous":
                raise ApiError(401, "Requires authentication")
            if principal.kind == "jwt":
                raise ApiError(403, "Resource not accessible by integration")
        with self._meta:
            bucket = self._bucket(principal.bucket_key)
            if bucket.remaining <= 0 and req.path != "/rate_limit":
                who = (
                    f"installation ID {principal.installation.id}"
                    if principal.installation is not None
                    else "this app"
                    if principal.app is not None
                    else "127.0.0.1"
                )
                raise ApiError(
                    403,
                    f"API rate limit exceeded for {who}. If you reach out to GitHub Support for "
                    f"help, please include the request ID {req.rid}.",
                    doc=RATE_DOCS + "#about-the-primary-rate-limit",
                )
        if auth == "installation" and "owner" in req.params and "repo" in req.params:
            req.repo = self._visible_repo(req)
            self._check_permissions(req, perms)
            if req.method != "GET" and req.repo.archived:
                raise ApiError(403, "Repository was archived so is read-only.")
        if req.method == "GET":
            result = handler(self, req)
        else:
            with self._lock:
                result = handler(self, req)
        if isinstance(result, _Response):
            return result
        status, body = result
        return _Response(status, body)

    def _visible_repo(self, req: _Request) -> Repo:
        token = req.principal.token
        assert token is not None
        full = f"{req.params['owner']}/{req.params['repo']}".lower()
        repo_id = self._repo_names.get(full)
        repo = self._repos.get(repo_id) if repo_id is not None else None
        if repo is None or not self._can_see(token, repo):
            raise not_found()
        if repo.blocked:
            raise ApiError(
                451,
                "Repository access blocked",
                extra={
                    "block": {
                        "reason": "dmca",
                        "created_at": iso(repo.updated_at),
                        "html_url": f"{self.web_url}/{repo.full_name}",
                    }
                },
            )
        return repo

    def _can_see(self, token: Token, repo: Repo) -> bool:
        inst = token.installation
        if inst.suspended_at is not None or repo.owner is not inst.account:
            return False
        if inst.repository_selection == "selected" and repo.id not in inst.repo_ids:
            return False
        return token.repo_ids is None or repo.id in token.repo_ids

    def _check_permissions(self, req: _Request, perms: tuple[tuple[str, str], ...]) -> None:
        token = req.principal.token
        assert token is not None
        granted = {"metadata": "read", **token.permissions}
        if perms and not any(
            LEVELS.get(granted.get(name, ""), 0) >= LEVELS[level] for name, level in perms
        ):
            raise ApiError(
                403,
                "Resource not accessible by integration",
                headers={
                    "X-Accepted-GitHub-Permissions": ", ".join(f"{n}={lv}" for n, lv in perms)
                },
            )

    def _serve_git(
        self,
        method: str,
        raw_path: str,
        query_string: str,
        headers: _Headers,
        body: bytes,
        m: re.Match[str],
    ) -> _Response:
        logged = raw_path + (f"?{query_string}" if query_string else "")
        principal = self._authenticate_git(headers.get("Authorization"))
        challenge = {"WWW-Authenticate": 'Basic realm="GitHub"', "Content-Type": "text/plain"}
        fault = self._take_fault(method, raw_path)
        if fault is not None:
            self._log(method, logged, fault.status, principal.kind)
            return _Response(fault.status, raw=b"fault injected\n")
        if principal.kind != "installation" or principal.token is None:
            self._log(method, logged, 401, principal.kind)
            return _Response(401, headers=challenge, raw=b"Invalid username or token.\n")
        full = f"{m['owner']}/{m['repo']}".lower()
        repo = self._repos.get(self._repo_names.get(full, -1))
        if repo is None or not self._can_see(principal.token, repo):
            self._log(method, logged, 404, principal.kind)
            return _Response(404, headers={"Content-Type": "text/plain"}, raw=b"Not Found\n")
        rest = m["rest"] or "/"
        pushing = "git-receive-pack" in rest or "service=git-receive-pack" in query_string
        granted = {"metadata": "read", **principal.token.permissions}
        needed = "write" if pushing else "read"
        if LEVELS.get(granted.get("contents", ""), 0) < LEVELS[needed] or (
            pushing and repo.archived
        ):
            self._log(method, logged, 403, principal.kind)
            return _Response(
                403,
                headers={"Content-Type": "text/plain"},
                raw=b"Permission denied to push.\n" if pushing else b"Permission denied.\n",
            )
        status, out_headers, payload = run_http_backend(
            project_root=self.root / "repos",
            path_info=f"/{repo.id}.git{rest}",
            method=method,
            query=query_string,
            headers=headers.plain(),
            body=body,
            remote_user="x-access-token",
        )
        if pushing and method == "POST" and status == 200:
            self._pushed(repo)
        self._log(method, logged, status, principal.kind)
        return _Response(status, headers=dict(out_headers), raw=payload)

    def _authenticate_git(self, header: str | None) -> _Principal:
        if not header or not header.lower().startswith("basic "):
            return _Principal("anonymous")
        try:
            user, _, password = base64.b64decode(header[6:].strip()).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return _Principal("invalid")
        if user != "x-access-token":
            return _Principal("invalid")
        return self._authenticate(f"token {password}")

    # -- internals: JSON shapes --------------------------------------------------------------

    def _api(self, path: str) -> str:
        return f"{self.url}{path}"

    def _user(self, a: Account) -> dict[str, Any]:
        u = self._api(f"/users/{quote(a.login)}")
        html = (
            f"{self.web_url}/apps/{a.login.removesuffix('[bot]')}"
            if a.type == "Bot"
            else f"{self.web_url}/{a.login}"
        )
        return {
            "login": a.login,
            "id": a.id,
            "node_id": node_id("User", a.id),
            "avatar_url": f"{self.web_url}/avatars/u/{a.id}?v=4",
            "gravatar_id": "",
            "url": u,
            "html_url": html,
            "followers_url": f"{u}/followers",
            "following_url": f"{u}/following{{/other_user}}",
            "gists_url": f"{u}/gists{{/gist_id}}",
            "starred_url": f"{u}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{u}/subscriptions",
            "organizations_url": f"{u}/orgs",
            "repos_url": f"{u}/repos",
            "events_url": f"{u}/events{{/privacy}}",
            "received_events_url": f"{u}/received_events",
            "type": a.type,
            "user_view_type": "public",
            "site_admin": False,
        }

    def _app_json(self, app: App) -> dict[str, Any]:
        return {
            "id": app.id,
            "slug": app.slug,
            "node_id": node_id("Integration", app.id),
            "client_id": app.client_id,
            "owner": self._user(app.owner),
            "name": app.name,
            "description": "gocomply stand-in App",
            "external_url": f"{self.web_url}/apps/{app.slug}",
            "html_url": f"{self.web_url}/apps/{app.slug}",
            "created_at": iso(app.created_at),
            "updated_at": iso(app.created_at),
            "permissions": dict(app.permissions),
            "events": list(app.events),
            "installations_count": sum(1 for i in self._installations.values() if i.app is app),
        }

    def _installation_json(self, inst: Installation) -> dict[str, Any]:
        return {
            "id": inst.id,
            "client_id": inst.app.client_id,
            "account": self._user(inst.account),
            "repository_selection": inst.repository_selection,
            "access_tokens_url": self._api(f"/app/installations/{inst.id}/access_tokens"),
            "repositories_url": self._api("/installation/repositories"),
            "html_url": f"{self.web_url}/organizations/{inst.account.login}/settings/"
            f"installations/{inst.id}",
            "app_id": inst.app.id,
            "app_slug": inst.app.slug,
            "target_id": inst.account.id,
            "target_type": inst.account.type,
            "permissions": dict(inst.permissions),
            "events": list(inst.events),
            "created_at": iso(inst.created_at),
            "updated_at": iso(inst.created_at),
            "single_file_name": None,
            "has_multiple_single_files": False,
            "single_file_paths": [],
            "suspended_by": None,
            "suspended_at": None if inst.suspended_at is None else iso(inst.suspended_at),
        }

    def _repo_json(self, repo: Repo, *, full: bool = False) -> dict[str, Any]:
        api = self._api(f"/repos/{repo.full_name}")
        html = f"{self.web_url}/{repo.full_name}"
        data: dict[str, Any] = {
            "id": repo.id,
            "node_id": node_id("Repository", repo.id),
            "name": repo.name,
            "full_name": repo.full_name,
            "owner": self._user(repo.owner),
            "private": repo.private,
            "visibility": "private" if repo.private else "public",
            "html_url": html,
            "description": repo.description,
            "fork": repo.fork,
            "url": api,
            "archive_url": f"{api}/{{archive_format}}{{/ref}}",
            "assignees_url": f"{api}/assignees{{/user}}",
            "blobs_url": f"{api}/git/blobs{{/sha}}",
            "branches_url": f"{api}/branches{{/branch}}",
            "collaborators_url": f"{api}/collaborators{{/collaborator}}",
            "comments_url": f"{api}/comments{{/number}}",
            "commits_url": f"{api}/commits{{/sha}}",
            "compare_url": f"{api}/compare/{{base}}...{{head}}",
            "contents_url": f"{api}/contents/{{+path}}",
            "contributors_url": f"{api}/contributors",
            "deployments_url": f"{api}/deployments",
            "downloads_url": f"{api}/downloads",
            "events_url": f"{api}/events",
            "forks_url": f"{api}/forks",
            "git_commits_url": f"{api}/git/commits{{/sha}}",
            "git_refs_url": f"{api}/git/refs{{/sha}}",
            "git_tags_url": f"{api}/git/tags{{/sha}}",
            "git_url": f"git://127.0.0.1:{self.port}/{repo.full_name}.git",
            "issue_comment_url": f"{api}/issues/comments{{/number}}",
            "issue_events_url": f"{api}/issues/events{{/number}}",
            "issues_url": f"{api}/issues{{/number}}",
            "keys_url": f"{api}/keys{{/key_id}}",
            "labels_url": f"{api}/labels{{/name}}",
            "languages_url": f"{api}/languages",
            "merges_url": f"{api}/merges",
            "milestones_url": f"{api}/milestones{{/number}}",
            "notifications_url": f"{api}/notifications{{?since,all,participating}}",
            "pulls_url": f"{api}/pulls{{/number}}",
            "releases_url": f"{api}/releases{{/id}}",
            "ssh_url": f"git@127.0.0.1:{repo.full_name}.git",
            "stargazers_url": f"{api}/stargazers",
            "statuses_url": f"{api}/statuses/{{sha}}",
            "subscribers_url": f"{api}/subscribers",
            "subscription_url": f"{api}/subscription",
            "tags_url": f"{api}/tags",
            "teams_url": f"{api}/teams",
            "trees_url": f"{api}/git/trees{{/sha}}",
            "clone_url": f"{self.web_url}/{repo.full_name}.git",
            "mirror_url": None,
            "hooks_url": f"{api}/hooks",
            "svn_url": html,
            "homepage": None,
            "language": repo.language,
            "forks_count": 0,
            "forks": 0,
            "stargazers_count": 0,
            "watchers_count": 0,
            "watchers": 0,
            "size": 0 if repo.empty else repo.size_kb,
            "default_branch": repo.default_branch,
            "open_issues_count": sum(1 for i in list(repo.issues.values()) if i.state == "open"),
            "open_issues": sum(1 for i in list(repo.issues.values()) if i.state == "open"),
            "is_template": False,
            "topics": [],
            "has_issues": True,
            "has_projects": True,
            "has_wiki": True,
            "has_pages": False,
            "has_downloads": True,
            "has_discussions": False,
            "archived": repo.archived,
            "disabled": repo.disabled,
            "pushed_at": None if repo.pushed_at is None else iso(repo.pushed_at),
            "created_at": iso(repo.created_at),
            "updated_at": iso(repo.updated_at),
            "allow_forking": True,
            "web_commit_signoff_required": False,
            "license": None,
        }
        if full:
            data["network_count"] = 0
            data["subscribers_count"] = 0
        return data

    def _commit_urls(self, repo: Repo, sha: str) -> dict[str, str]:
        return {
            "sha": sha,
            "url": self._api(f"/repos/{repo.full_name}/commits/{sha}"),
            "html_url": f"{self.web_url}/{repo.full_name}/commit/{sha}",
        }

    def _git_user(self, ident: Ident) -> dict[str, Any]:
        sign = 1 if ident.tz[0] == "+" else -1
        offset = sign * (int(ident.tz[1:3]) * 60 + int(ident.tz[3:5]))
        if offset == 0:
            date = iso(ident.when)
        else:
            local = time.gmtime(ident.when + offset * 60)
            date = time.strftime("%Y-%m-%dT%H:%M:%S", local) + f"{ident.tz[:3]}:{ident.tz[3:]}"
        return {"name": ident.name, "email": ident.email, "date": date}

    def _verification(self, repo: Repo, sha: str) -> dict[str, Any]:
        return repo.verified.get(
            sha,
            {
                "verified": False,
                "reason": "unsigned",
                "signature": None,
                "payload": None,
                "verified_at": None,
            },
        )

    def _account_by_email(self, email: str) -> Account | None:
        for account in self._accounts.values():
            if account.email and account.email.lower() == email.lower():
                return account
        for app in self._apps.values():
            if app.bot_email.lower() == email.lower():
                return app.bot
        return None

    def _git_commit_json(self, repo: Repo, info: CommitInfo) -> dict[str, Any]:
        api = self._api(f"/repos/{repo.full_name}/git")
        return {
            "sha": info.sha,
            "node_id": node_id("Commit", info.sha),
            "url": f"{api}/commits/{info.sha}",
            "html_url": f"{self.web_url}/{repo.full_name}/commit/{info.sha}",
            "author": self._git_user(info.author),
            "committer": self._git_user(info.committer),
            "tree": {"sha": info.tree, "url": f"{api}/trees/{info.tree}"},
            "message": info.message,
            "parents": [
                {
                    "sha": p,
                    "url": f"{api}/commits/{p}",
                    "html_url": f"{self.web_url}/{repo.full_name}/commit/{p}",
                }
                for p in info.parents
            ],
            "verification": self._verification(repo, info.sha),
        }

    def _commit_json(self, repo: Repo, info: CommitInfo, *, files: bool) -> dict[str, Any]:
        author = self._account_by_email(info.author.email)
        committer = self._account_by_email(info.committer.email)
        data: dict[str, Any] = {
            **self._commit_urls(repo, info.sha),
            "node_id": node_id("Commit", info.sha),
            "comments_url": self._api(f"/repos/{repo.full_name}/commits/{info.sha}/comments"),
            "commit": {
                "url": self._api(f"/repos/{repo.full_name}/git/commits/{info.sha}"),
                "author": self._git_user(info.author),
                "committer": self._git_user(info.committer),
                "message": info.message.rstrip("\n"),
                "tree": {
                    "sha": info.tree,
                    "url": self._api(f"/repos/{repo.full_name}/git/trees/{info.tree}"),
                },
                "comment_count": 0,
                "verification": self._verification(repo, info.sha),
            },
            "author": None if author is None else self._user(author),
            "committer": None if committer is None else self._user(committer),
            "parents": [self._commit_urls(repo, p) for p in info.parents],
        }
        if files:
            entries = repo.git.diff_tree(info.parents[0] if info.parents else None, info.sha)
            status = {"A": "added", "D": "removed", "M": "modified", "T": "changed"}
            out = []
            for e in entries:
                sha = e.old_sha if e.status == "D" else e.new_sha
                ref = info.parents[0] if e.status == "D" and info.parents else info.sha
                out.append(
                    {
                        "sha": sha,
                        "filename": e.path,
                        "status": status.get(e.status, "modified"),
                        "additions": e.additions,
                        "deletions": e.deletions,
                        "changes": e.additions + e.deletions,
                        "blob_url": f"{self.web_url}/{repo.full_name}/blob/{ref}/{quote(e.path)}",
                        "raw_url": f"{self.web_url}/{repo.full_name}/raw/{ref}/{quote(e.path)}",
                        "contents_url": self._api(
                            f"/repos/{repo.full_name}/contents/{quote(e.path)}?ref={ref}"
                        ),
                    }
                )
            adds = sum(e.additions for e in entries)
            dels = sum(e.deletions for e in entries)
            data["stats"] = {"total": adds + dels, "additions": adds, "deletions": dels}
            data["files"] = out
        return data

    def _ref_json(self, repo: Repo, ref: str, sha: str) -> dict[str, Any]:
        kind = repo.git.object_type(sha) or "commit"
        return {
            "ref": ref,
            "node_id": node_id("Ref", f"{repo.id}:{ref}"),
            "url": self._api(f"/repos/{repo.full_name}/git/{ref}"),
            "object": {
                "type": kind,
                "sha": sha,
                "url": self._api(f"/repos/{repo.full_name}/git/{kind}s/{sha}"),
            },
        }

    def _tree_entry(self, repo: Repo, e: TreeEntry) -> dict[str, Any]:
        data: dict[str, Any] = {"path": e.path, "mode": e.mode, "type": e.type, "sha": e.sha}
        if e.type == "blob":
            data["size"] = e.size
        if e.type in ("blob", "tree"):
            data["url"] = self._api(f"/repos/{repo.full_name}/git/{e.type}s/{e.sha}")
        return data

    def _label_json(self, repo: Repo, label: Label) -> dict[str, Any]:
        return {
            "id": label.id,
            "node_id": node_id("Label", label.id),
            "url": self._api(f"/repos/{repo.full_name}/labels/{quote(label.name)}"),
            "name": label.name,
            "description": label.description,
            "color": label.color,
            "default": label.default,
        }

    def _association(self, repo: Repo, user: Account) -> str:
        if user.type == "Bot":
            return "NONE"
        if user is repo.owner:
            return "OWNER"
        if repo.owner.login.lower() in user.orgs:
            return "MEMBER"
        return "NONE"

    def _issue_json(self, repo: Repo, issue: Issue) -> dict[str, Any]:
        api = self._api(f"/repos/{repo.full_name}")
        url = f"{api}/issues/{issue.number}"
        kind = "pull" if issue.pull is not None else "issues"
        data: dict[str, Any] = {
            "id": issue.id,
            "node_id": node_id("Issue", issue.id),
            "url": url,
            "repository_url": api,
            "labels_url": f"{url}/labels{{/name}}",
            "comments_url": f"{url}/comments",
            "events_url": f"{url}/events",
            "html_url": f"{self.web_url}/{repo.full_name}/{kind}/{issue.number}",
            "number": issue.number,
            "state": issue.state,
            "state_reason": issue.state_reason,
            "title": issue.title,
            "body": issue.body,
            "user": self._user(issue.user),
            "labels": [self._label_json(repo, repo.labels[n.lower()]) for n in issue.labels],
            "assignee": self._user(self._accounts[issue.assignees[0].lower()])
            if issue.assignees
            else None,
            "assignees": [self._user(self._accounts[a.lower()]) for a in issue.assignees],
            "milestone": None,
            "locked": issue.locked,
            "active_lock_reason": None,
            "comments": len(issue.comments),
            "closed_at": None if issue.closed_at is None else iso(issue.closed_at),
            "created_at": iso(issue.created_at),
            "updated_at": iso(issue.updated_at),
            "closed_by": None if issue.closed_by is None else self._user(issue.closed_by),
            "author_association": self._association(repo, issue.user),
            "performed_via_github_app": None if issue.app is None else self._app_json(issue.app),
        }
        if issue.pull is not None:
            pr = f"{api}/pulls/{issue.number}"
            html = f"{self.web_url}/{repo.full_name}/pull/{issue.number}"
            data["pull_request"] = {
                "url": pr,
                "html_url": html,
                "diff_url": f"{html}.diff",
                "patch_url": f"{html}.patch",
                "merged_at": None if issue.pull.merged_at is None else iso(issue.pull.merged_at),
            }
            data["draft"] = issue.pull.draft
        return data

    def _comment_json(self, repo: Repo, issue: Issue, c: Comment) -> dict[str, Any]:
        kind = "pull" if issue.pull is not None else "issues"
        return {
            "id": c.id,
            "node_id": node_id("IssueComment", c.id),
            "url": self._api(f"/repos/{repo.full_name}/issues/comments/{c.id}"),
            "html_url": f"{self.web_url}/{repo.full_name}/{kind}/{issue.number}"
            f"#issuecomment-{c.id}",
            "body": c.body,
            "user": self._user(c.user),
            "created_at": iso(c.created_at),
            "updated_at": iso(c.updated_at),
            "issue_url": self._api(f"/repos/{repo.full_name}/issues/{issue.number}"),
            "author_association": self._association(repo, c.user),
            "performed_via_github_app": None if c.app is None else self._app_json(c.app),
        }

    def _pull_json(self, repo: Repo, issue: Issue, *, full: bool) -> dict[str, Any]:
        pull = issue.pull
        assert pull is not None
        api = self._api(f"/repos/{repo.full_name}")
        url = f"{api}/pulls/{issue.number}"
        html = f"{self.web_url}/{repo.full_name}/pull/{issue.number}"
        head_sha = self._pull_head(repo, issue)
        base_sha = repo.git.ref(f"refs/heads/{pull.base_ref}") or head_sha
        repo_json = self._repo_json(repo)
        issue_url = f"{api}/issues/{issue.number}"

        def side(ref: str, sha: str) -> dict[str, Any]:
            return {
                "label": f"{repo.owner.login}:{ref}",
                "ref": ref,
                "sha": sha,
                "user": self._user(repo.owner),
                "repo": repo_json,
            }

        data: dict[str, Any] = {
            "url": url,
            "id": pull.id,
            "node_id": node_id("PullRequest", pull.id),
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "issue_url": issue_url,
            "commits_url": f"{url}/commits",
            "review_comments_url": f"{url}/comments",
            "review_comment_url": f"{api}/pulls/comments{{/number}}",
            "comments_url": f"{issue_url}/comments",
            "statuses_url": f"{api}/statuses/{head_sha}",
            "number": issue.number,
            "state": issue.state,
            "locked": issue.locked,
            "title": issue.title,
            "user": self._user(issue.user),
            "body": issue.body,
            "labels": [self._label_json(repo, repo.labels[n.lower()]) for n in issue.labels],
            "milestone": None,
            "active_lock_reason": None,
            "created_at": iso(issue.created_at),
            "updated_at": iso(issue.updated_at),
            "closed_at": None if issue.closed_at is None else iso(issue.closed_at),
            "merged_at": None if pull.merged_at is None else iso(pull.merged_at),
            "merge_commit_sha": pull.merge_commit_sha,
            "assignee": self._user(self._accounts[issue.assignees[0].lower()])
            if issue.assignees
            else None,
            "assignees": [self._user(self._accounts[a.lower()]) for a in issue.assignees],
            "requested_reviewers": [
                self._user(self._accounts[r.lower()]) for r in pull.requested_reviewers
            ],
            "requested_teams": [],
            "head": side(pull.head_ref, head_sha),
            "base": side(pull.base_ref, base_sha),
            "_links": {
                "self": {"href": url},
                "html": {"href": html},
                "issue": {"href": issue_url},
                "comments": {"href": f"{issue_url}/comments"},
                "review_comments": {"href": f"{url}/comments"},
                "review_comment": {"href": f"{api}/pulls/comments{{/number}}"},
                "commits": {"href": f"{url}/commits"},
                "statuses": {"href": f"{api}/statuses/{head_sha}"},
            },
            "author_association": self._association(repo, issue.user),
            "auto_merge": None,
            "draft": pull.draft,
        }
        if full:
            merge_base = self._merge_base(repo, base_sha, head_sha)
            entries = repo.git.diff_tree(merge_base, head_sha) if merge_base else []
            mergeable: bool | None = None
            state = "unknown"
            if issue.state == "open":
                mergeable = repo.git.merge_tree(base_sha, head_sha) is not None
                state = "clean" if mergeable else "dirty"
            data.update(
                merged=pull.merged,
                mergeable=mergeable,
                rebaseable=mergeable,
                mergeable_state=state,
                merged_by=None if pull.merged_by is None else self._user(pull.merged_by),
                comments=len(issue.comments),
                review_comments=0,
                maintainer_can_modify=pull.maintainer_can_modify,
                commits=len(repo.git.rev_list(head_sha, base_sha))
                if not pull.merged
                else len(repo.git.rev_list(head_sha, merge_base) if merge_base else []),
                additions=sum(e.additions for e in entries),
                deletions=sum(e.deletions for e in entries),
                changed_files=len(entries),
            )
        return data

    def _merge_base(self, repo: Repo, a: str, b: str) -> str | None:
        out = repo.git.git("merge-base", a, b, check=False).decode().strip()
        return out or None

    def _paginate(
        self,
        req: _Request,
        items: list[T],
        render: Callable[[T], Any],
        *,
        default: int = 30,
        cap: int = 100,
    ) -> tuple[list[Any], dict[str, str]]:
        """One page of `items` rendered, and the Link header (absolute URLs of this server)."""
        per_page = min(max(int(req.params.get("per_page", default)), 1), cap)
        page = max(int(req.params.get("page", 1)), 1)
        last = max(1, -(-len(items) // per_page))
        chunk = [render(item) for item in items[(page - 1) * per_page : page * per_page]]
        links = []

        def link(n: int, rel: str) -> str:
            query = [(k, v) for k, vs in req.query.items() for v in vs if k != "page"]
            query.append(("page", str(n)))
            return f'<{self.url}{req.path}?{urlencode(query)}>; rel="{rel}"'

        if page > 1:
            links.append(link(page - 1, "prev"))
        if page < last:
            links.append(link(page + 1, "next"))
            links.append(link(last, "last"))
        if page > 1:
            links.append(link(1, "first"))
        return chunk, ({"Link": ", ".join(links)} if links else {})

    # -- internals: endpoint helpers -------------------------------------------------------------

    def _nonempty(self, repo: Repo) -> None:
        if repo.empty:
            raise ApiError(409, "Git Repository is empty.")

    def _issue(self, repo: Repo, number: int) -> Issue:
        issue = repo.issues.get(number)
        if issue is None:
            raise not_found()
        return issue

    def _actor(self, req: _Request) -> Account:
        app = req.principal.app
        assert app is not None
        return app.bot

    def _ensure_labels(self, repo: Repo, names: Iterable[str]) -> list[str]:
        out = []
        for name in names:
            label = repo.labels.get(name.lower())
            if label is None:
                label = Label(next(self._ids), name)
                repo.labels[name.lower()] = label
            if label.name not in out:
                out.append(label.name)
        return out

    def _assignable(self, repo: Repo, logins: Iterable[str]) -> tuple[list[str], list[str]]:
        ok, bad = [], []
        for login in logins:
            account = self._accounts.get(login.lower())
            if (
                account is not None
                and account.type == "User"
                and (repo.owner.login.lower() in account.orgs or account is repo.owner)
            ):
                ok.append(account.login)
            else:
                bad.append(login)
        return ok, bad

    def _new_issue(self, req: _Request, title: str, body: str | None) -> Issue:
        repo = req.repo
        assert repo is not None
        t = time.time()
        issue = Issue(
            id=next(self._ids),
            number=repo.next_number,
            title=title,
            body=body,
            user=self._actor(req),
            created_at=t,
            updated_at=t,
            app=req.principal.app,
        )
        repo.next_number += 1
        repo.issues[issue.number] = issue
        return issue

    def _tree_changes(self, repo: Repo, items: list[dict[str, Any]], base: str | None) -> str:
        files = repo.git.flat_tree(base) if base else {}
        for item in items:
            path = item.get("path")
            mode, kind = item.get("mode"), item.get("type")
            if not isinstance(path, str) or not path or mode is None or kind is None:
                raise invalid("Invalid tree info: path, mode and type are required")
            parts = path.split("/")
            if path.startswith("/") or any(p in ("", ".", "..", ".git") for p in parts):
                raise invalid(f"tree.path contains a malformed path component: {path!r}")
            expected = {"040000": "tree", "160000": "commit"}.get(mode, "blob")
            if kind != expected:
                raise invalid(f"tree.type {kind!r} does not match tree.mode {mode!r}")
            has_sha, has_content = "sha" in item, "content" in item
            if has_sha == has_content:
                raise invalid("Must supply either tree.sha or tree.content")
            if has_sha and item["sha"] is None:
                files.pop(path, None)
                prefix = path + "/"
                for p in [p for p in files if p.startswith(prefix)]:
                    del files[p]
                continue
            if has_content:
                if kind != "blob":
                    raise invalid("tree.content is only allowed for blobs")
                sha = repo.git.write_blob(str(item["content"]).encode())
            else:
                sha = str(item["sha"])
                actual = repo.git.object_type(sha)
                if kind != "commit" and actual != kind:
                    raise invalid(f"tree.sha {sha} is not a valid {kind}")
            prefix = path + "/"
            for p in [p for p in files if p.startswith(prefix)]:
                del files[p]
            if kind == "tree":
                for sub_path, leaf in repo.git.flat_tree(sha).items():
                    files[f"{path}/{sub_path}"] = leaf
            else:
                files[path] = (mode, sha)
        return repo.git.write_tree(files)


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    wanted = etag.removeprefix("W/")
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == wanted:
            return True
    return False


def _rate_headers(bucket: _Bucket) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(bucket.limit),
        "X-RateLimit-Remaining": str(bucket.remaining),
        "X-RateLimit-Reset": str(int(bucket.reset)),
        "X-RateLimit-Used": str(bucket.used),
        "X-RateLimit-Resource": "core",
    }


class _Headers(Mapping[str, str]):
    """Case-insensitive request headers."""

    def __init__(self, headers: Mapping[str, str]) -> None:
        self._plain = dict(headers)
        self._lower = {k.lower(): v for k, v in headers.items()}

    def __getitem__(self, key: str) -> str:
        return self._lower[key.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._plain)

    def __len__(self) -> int:
        return len(self._plain)

    def plain(self) -> dict[str, str]:
        return dict(self._plain)


# =============================================================================================
# Endpoints. Each is registered for one operation of the vendored description.


def _b64_lines(data: bytes) -> str:
    """Base64 as GitHub sends file content: 60-character lines, each ending in a newline."""
    text = base64.b64encode(data).decode()
    return "".join(text[i : i + 60] + "\n" for i in range(0, len(text), 60))


@route("GET /app", auth="jwt")
def _get_app(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    assert req.principal.app is not None
    return 200, gh._app_json(req.principal.app)


@route("GET /app/installations", auth="jwt")
def _list_installations(gh: GitHubStandIn, req: _Request) -> _Response:
    app = req.principal.app
    items = [i for i in gh._installations.values() if i.app is app]
    chunk, headers = gh._paginate(req, items, gh._installation_json)
    return _Response(200, chunk, headers)


def _app_installation(gh: GitHubStandIn, req: _Request, inst: Installation | None) -> Installation:
    if inst is None or inst.app is not req.principal.app:
        raise not_found()
    return inst


@route("GET /app/installations/{installation_id}", auth="jwt")
def _get_installation(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    inst = _app_installation(gh, req, gh._installations.get(req.params["installation_id"]))
    return 200, gh._installation_json(inst)


@route("POST /app/installations/{installation_id}/access_tokens", auth="jwt")
def _create_token(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    inst = _app_installation(gh, req, gh._installations.get(req.params["installation_id"]))
    if inst.suspended_at is not None:
        raise ApiError(403, "This installation has been suspended")
    body = req.json or {}
    permissions = body.get("permissions") or None
    if permissions:
        for name, level in permissions.items():
            if LEVELS.get(inst.permissions.get(name, ""), 0) < LEVELS.get(level, 9):
                raise invalid(
                    f"The permissions requested are not granted to this installation: {name}"
                )
    repo_ids: set[int] | None = None
    names = body.get("repositories")
    ids = body.get("repository_ids")
    if names is not None or ids is not None:
        repo_ids = set()
        for name in names or []:
            rid = gh._repo_names.get(f"{inst.account.login}/{name}".lower())
            if rid is None:
                raise invalid(f"There is at least one repository that does not exist: {name}")
            repo_ids.add(rid)
        repo_ids.update(ids or [])
    token = gh.issue_token(inst, permissions=permissions, repo_ids=repo_ids)
    data: dict[str, Any] = {
        "token": token.token,
        "expires_at": iso(token.expires_at),
        "permissions": dict(token.permissions),
        "repository_selection": "selected" if repo_ids is not None else inst.repository_selection,
    }
    if repo_ids is not None:
        data["repositories"] = [gh._repo_json(gh._repos[i]) for i in sorted(repo_ids)]
    return 201, data


@route("GET /orgs/{org}/installation", auth="jwt")
def _org_installation(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    for inst in gh._installations.values():
        if (
            inst.app is req.principal.app
            and inst.account.login.lower() == req.params["org"].lower()
        ):
            return 200, gh._installation_json(inst)
    raise not_found()


@route("GET /repos/{owner}/{repo}/installation", auth="jwt")
def _repo_installation(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    rid = gh._repo_names.get(f"{req.params['owner']}/{req.params['repo']}".lower())
    if rid is not None:
        repo = gh._repos[rid]
        for inst in gh._installations.values():
            if (
                inst.app is req.principal.app
                and inst.account is repo.owner
                and (inst.repository_selection == "all" or repo.id in inst.repo_ids)
            ):
                return 200, gh._installation_json(inst)
    raise not_found()


@route("GET /rate_limit", auth="any")
def _rate_limit(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    with gh._meta:
        bucket = gh._bucket(req.principal.bucket_key)
        core = {
            "limit": bucket.limit,
            "remaining": bucket.remaining,
            "reset": int(bucket.reset),
            "used": bucket.used,
        }
    search = {"limit": 30, "remaining": 30, "reset": int(time.time()) + 60, "used": 0}
    return 200, {"resources": {"core": core, "search": search}, "rate": core}


@route("GET /installation/repositories")
def _installation_repos(gh: GitHubStandIn, req: _Request) -> _Response:
    token = req.principal.token
    assert token is not None
    repos = [r for r in list(gh._repos.values()) if gh._can_see(token, r)]
    chunk, headers = gh._paginate(req, repos, gh._repo_json)
    selection = token.installation.repository_selection
    body = {"total_count": len(repos), "repository_selection": selection, "repositories": chunk}
    return _Response(200, body, headers)


@route("GET /repos/{owner}/{repo}", perm=[("metadata", "read")])
def _get_repo(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    assert req.repo is not None
    return 200, gh._repo_json(req.repo, full=True)


@route("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", perm=[("contents", "read")])
def _get_tree(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    repo = req.repo
    assert repo is not None
    gh._nonempty(repo)
    tree = repo.git.resolve(req.params["tree_sha"], "tree")
    if tree is None:
        raise not_found()
    recursive = "recursive" in req.params
    entries = repo.git.ls_tree(tree, recursive)
    truncated = False
    if recursive and repo.truncate_trees is not None:
        keep = max(1, int(len(entries) * repo.truncate_trees))
        truncated = keep < len(entries) or repo.truncate_trees < 1
        entries = entries[:keep]
    return 200, {
        "sha": tree,
        "url": gh._api(f"/repos/{repo.full_name}/git/trees/{tree}"),
        "tree": [gh._tree_entry(repo, e) for e in entries],
        "truncated": truncated,
    }


@route("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", perm=[("contents", "read")])
def _get_blob(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    repo = req.repo
    assert repo is not None
    gh._nonempty(repo)
    sha = req.params["file_sha"]
    if not re.fullmatch(r"[0-9a-f]{40}", sha):
        raise invalid("The sha parameter must be exactly 40 characters and contain only [0-9a-f].")
    obj = repo.git.read_object(sha)
    if obj is None or obj[1] != "blob":
        raise not_found()
    return 200, {
        "sha": sha,
        "node_id": node_id("Blob", sha),
        "size": len(obj[2]),
        "url": gh._api(f"/repos/{repo.full_name}/git/blobs/{sha}"),
        "content": _b64_lines(obj[2]),
        "encoding": "base64",
    }


@route("GET /repos/{owner}/{repo}/contents/{path}", perm=[("contents", "read")])
def _get_contents(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    repo = req.repo
    assert repo is not None
    if repo.empty:
        raise not_found("This repository is empty.")
    ref = req.params.get("ref") or repo.default_branch
    commit = repo.git.resolve(ref)
    if commit is None:
        raise not_found(f"No commit found for the ref {ref}")
    path = req.params["path"].strip("/")
    obj = repo.git.read_object(f"{commit}:{path}")
    if obj is None:
        raise not_found()
    sha, kind, data = obj

    def item(kind_: str, item_path: str, item_sha: str, size: int) -> dict[str, Any]:
        api = gh._api(f"/repos/{repo.full_name}/contents/{quote(item_path)}?ref={quote(ref)}")
        git = gh._api(
            f"/repos/{repo.full_name}/git/{'trees' if kind_ == 'dir' else 'blobs'}/{item_sha}"
        )
        html = f"{gh.web_url}/{repo.full_name}/{'tree' if kind_ == 'dir' else 'blob'}/{ref}/" + (
            quote(item_path)
        )
        return {
            "type": kind_,
            "size": size,
            "name": item_path.rsplit("/", 1)[-1],
            "path": item_path,
            "sha": item_sha,
            "url": api,
            "git_url": git,
            "html_url": html,
            "download_url": None
            if kind_ == "dir"
            else f"{gh.web_url}/{repo.full_name}/raw/{ref}/{quote(item_path)}",
            "_links": {"self": api, "git": git, "html": html},
        }

    if kind == "tree":
        listing = []
        for e in repo.git.ls_tree(sha, False):
            kind_ = {"tree": "dir", "commit": "submodule"}.get(e.type, "file")
            listing.append(item(kind_, f"{path}/{e.path}" if path else e.path, e.sha, e.size or 0))
        return 200, listing
    if kind != "blob":
        raise not_found()
    data_json = item("file", path, sha, len(data))
    too_big = len(data) > MAX_CONTENT_SIZE
    data_json["content"] = "" if too_big else _b64_lines(data)
    data_json["encoding"] = "none" if too_big else "base64"
    return 200, data_json


def _resolve_commit(gh: GitHubStandIn, repo: Repo, ref: str) -> CommitInfo:
    gh._nonempty(repo)
    sha = repo.git.resolve(ref)
    info = repo.git.read_commit(sha) if sha else None
    if info is None:
        raise invalid(f"No commit found for SHA: {ref}")
    return info


@route("GET /repos/{owner}/{repo}/commits/{ref}", perm=[("contents", "read")])
def _get_commit(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    repo = req.repo
    assert repo is not None
    info = _resolve_commit(gh, repo, req.params["ref"])
    return 200, gh._commit_json(repo, info, files=True)


@route("GET /repos/{owner}/{repo}/branches/{branch}", perm=[("contents", "read")])
def _get_branch(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    repo = req.repo
    assert repo is not None
    name = req.params["branch"]
    sha = repo.git.ref(f"refs/heads/{name}")
    if sha is None:
        raise not_found("Branch not found")
    info = repo.git.read_commit(sha)
    assert info is not None
    api = gh._api(f"/repos/{repo.full_name}/branches/{quote(name)}")
    return 200, {
        "name": name,
        "commit": gh._commit_json(repo, info, files=False),
        "_links": {"self": api, "html": f"{gh.web_url}/{repo.full_name}/tree/{name}"},
        "protected": False,
        "protection": {
            "enabled": False,
            "required_status_checks": {"enforcement_level": "off", "contexts": [], "checks": []},
        },
        "protection_url": f"{api}/protection",
    }


@route("GET /repos/{owner}/{repo}/git/ref/{ref}", perm=[("contents", "read")])
def _get_ref(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    repo = req.repo
    assert repo is not None
    gh._nonempty(repo)
    ref = "refs/" + req.params["ref"]
    sha = repo.git.ref(ref)
    if sha is None:
        raise not_found()
    return 200, gh._ref_json(repo, ref, sha)


# -- Git Data API writes ---------------------------------------------------------------------


@route("POST /repos/{owner}/{repo}/git/blobs", perm=[("contents", "write")])
def _create_blob(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    repo = req.repo
    assert repo is not None
    gh._nonempty(repo)
    body = req.json
    encoding = body.get("encoding", "utf-8")
    if encoding == "base64":
        try:
            data = base64.b64decode(body["content"], validate=False)
        except (binascii.Error, ValueError) as exc:
            raise invalid("content is not valid Base64") from exc
    elif encoding in ("utf-8", "utf8"):
        data = body["content"].encode()
    else:
        raise invalid(f"encoding must be utf-8 or base64, not {encoding!r}")
    sha = repo.git.write_blob(data)
    return 201, {"sha": sha, "url": gh._api(f"/repos/{repo.full_name}/git/blobs/{sha}")}


@route("POST /repos/{owner}/{repo}/git/trees", perm=[("contents", "write")])
def _create_tree(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    repo = req.repo
    assert repo is not None
    gh._nonempty(repo)
    base = req.json.get("base_tree")
    if base is not None:
        base_tree = repo.git.resolve(base, "tree") if re.fullmatch(r"[0-9a-f]{40}", base) else None
        if base_tree is None:
            raise invalid(f"base_tree {base} is not a valid tree oid")
        base = base_tree
    tree = gh._tree_changes(repo, req.json["tree"], base)
    return 201, {
        "sha": tree,
        "url": gh._api(f"/repos/{repo.full_name}/git/trees/{tree}"),
        "tree": [gh._tree_entry(repo, e) for e in repo.git.ls_tree(tree, False)],
        "truncated": False,
    }


def _ident(part: Mapping[str, Any] | None, fallback: Ident) -> Ident:
    if part is None:
        return fallback
    name, email = part.get("name", fallback.name), part.get("email", fallback.email)
    if "date" in part:
        try:
            when, tz = parse_iso(part["date"])
        except ValueError as exc:
            raise invalid(f"Invalid date {part['date']!r}") from exc
    else:
        when, tz = fallback.when, fallback.tz
    return Ident(name, email, when, tz)


@route("POST /repos/{owner}/{repo}/git/commits", perm=[("contents", "write")])
def _create_commit(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    repo = req.repo
    assert repo is not None
    gh._nonempty(repo)
    body = req.json
    tree = body["tree"]
    if not re.fullmatch(r"[0-9a-f]{40}", tree) or repo.git.object_type(tree) != "tree":
        raise invalid("Tree SHA does not exist")
    parents = body.get("parents", [])
    for parent in parents:
        if not re.fullmatch(r"[0-9a-f]{40}", parent) or repo.git.object_type(parent) != "commit":
            raise invalid("Parent SHA does not exist or is not a commit object")
    app = req.principal.app
    assert app is not None
    now = int(time.time())
    bot = Ident(app.bot.login, app.bot_email, now)
    signed = not ({"author", "committer", "signature"} & body.keys())
    author = _ident(body.get("author"), bot)
    committer = _ident(body.get("committer"), author if "author" in body else bot)
    if signed:
        # github.com signs commits it creates for an App (no custom author/committer/signature)
        # with its own key and shows the committer as GitHub <noreply@github.com> (web-flow)
        committer = Ident(*WEB_FLOW, now)
    sha = repo.git.write_commit(tree, parents, author, committer, body["message"])
    if signed:
        info = repo.git.read_commit(sha)
        assert info is not None
        payload = repo.git.read_object(sha)
        assert payload is not None
        repo.verified[sha] = {
            "verified": True,
            "reason": "valid",
            "signature": "-----BEGIN PGP SIGNATURE-----\n\nwsBcBAABCAAQBQJ"
            + hashlib.sha256(payload[2]).hexdigest()
            + "\n-----END PGP SIGNATURE-----\n",
            "payload": payload[2].decode(errors="replace"),
            "verified_at": iso(now),
        }
    info = repo.git.read_commit(sha)
    assert info is not None
    return 201, gh._git_commit_json(repo, info)


@route("GET /repos/{owner}/{repo}/git/commits/{commit_sha}", perm=[("contents", "read")])
def _get_git_commit(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    repo = req.repo
    assert repo is not None
    gh._nonempty(repo)
    sha = req.params["commit_sha"]
    info = repo.git.read_commit(sha) if re.fullmatch(r"[0-9a-f]{40}", sha) else None
    if info is None:
        raise not_found()
    return 200, gh._git_commit_json(repo, info)


def _check_ref_name(repo: Repo, ref: str) -> None:
    if not ref.startswith("refs/") or ref.count("/") < 2:
        raise invalid("Reference name must start with 'refs/' and have at least two slashes.")
    out = repo.git.git("check-ref-format", "--normalize", ref, check=False).decode().strip()
    if out != ref:
        raise invalid(f"{ref} is not a valid ref name.")


@route("POST /repos/{owner}/{repo}/git/refs", perm=[("contents", "write")])
def _create_ref(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    repo = req.repo
    assert repo is not None
    gh._nonempty(repo)
    ref, sha = req.json["ref"], req.json["sha"]
    _check_ref_name(repo, ref)
    if not re.fullmatch(r"[0-9a-f]{40}", sha) or repo.git.object_type(sha) is None:
        raise invalid("Object does not exist")
    if repo.git.ref(ref) is not None:
        raise invalid("Reference already exists")
    repo.git.update_ref(ref, sha, ZERO_SHA)
    gh._pushed(repo)
    return 201, gh._ref_json(repo, ref, sha)


@route("PATCH /repos/{owner}/{repo}/git/refs/{ref}", perm=[("contents", "write")])
def _update_ref(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    repo = req.repo
    assert repo is not None
    gh._nonempty(repo)
    ref = "refs/" + req.params["ref"]
    sha, force = req.json["sha"], bool(req.json.get("force", False))
    old = repo.git.ref(ref)
    if old is None:
        raise invalid("Reference does not exist")
    if not re.fullmatch(r"[0-9a-f]{40}", sha) or repo.git.object_type(sha) != "commit":
        raise invalid("Object does not exist")
    if not force and not repo.git.is_ancestor(old, sha):
        raise invalid("Update is not a fast forward")
    repo.git.update_ref(ref, sha, old)
    gh._pushed(repo)
    return 200, gh._ref_json(repo, ref, sha)


@route("DELETE /repos/{owner}/{repo}/git/refs/{ref}", perm=[("contents", "write")])
def _delete_ref(gh: GitHubStandIn, req: _Request) -> _Response:
    repo = req.repo
    assert repo is not None
    gh._nonempty(repo)
    ref = "refs/" + req.params["ref"]
    if repo.git.ref(ref) is None:
        raise invalid("Reference does not exist")
    if ref == f"refs/heads/{repo.default_branch}":
        raise invalid("Cannot delete the default branch")
    repo.git.delete_ref(ref)
    gh._pushed(repo)
    return _Response(204)


# -- pull requests ---------------------------------------------------------------------------


def _sorted_issues(req: _Request, issues: list[Issue]) -> list[Issue]:
    sort = req.params.get("sort", "created")
    direction = req.params.get("direction", "desc")
    key: Callable[[Issue], Any] = {
        "updated": lambda i: (i.updated_at, i.number),
        "comments": lambda i: (len(i.comments), i.number),
    }.get(sort, lambda i: (i.created_at, i.number))
    return sorted(issues, key=key, reverse=direction == "desc")


@route("GET /repos/{owner}/{repo}/pulls", perm=[("pull_requests", "read")])
def _list_pulls(gh: GitHubStandIn, req: _Request) -> _Response:
    repo = req.repo
    assert repo is not None
    state = req.params.get("state", "open")
    head = req.params.get("head")
    base = req.params.get("base")
    found = []
    for issue in list(repo.issues.values()):
        pull = issue.pull
        if pull is None or state not in ("all", issue.state):
            continue
        # like github.com, `head` must be "owner:branch"; a bare branch name filters nothing
        if head and ":" in head:
            owner, _, branch = head.partition(":")
            if owner.lower() != repo.owner.login.lower() or branch != pull.head_ref:
                continue
        if base and base != pull.base_ref:
            continue
        found.append(issue)
    ordered = _sorted_issues(req, found)
    chunk, headers = gh._paginate(req, ordered, lambda i: gh._pull_json(repo, i, full=False))
    return _Response(200, chunk, headers)


@route("POST /repos/{owner}/{repo}/pulls", perm=[("pull_requests", "write")])
def _create_pull(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    repo = req.repo
    assert repo is not None
    body = req.json
    if "issue" in body or "head_repo" in body:
        raise invalid("The stand-in does not emulate issue conversion or cross-repo PRs")
    head = body["head"]
    if ":" in head:
        owner, _, head = head.partition(":")
        if owner.lower() != repo.owner.login.lower():
            raise invalid(resource="PullRequest", field_="head")
    base = body["base"]
    head_sha = repo.git.ref(f"refs/heads/{head}")
    if head_sha is None:
        raise invalid(resource="PullRequest", field_="head")
    base_sha = repo.git.ref(f"refs/heads/{base}")
    if base_sha is None:
        raise invalid(resource="PullRequest", field_="base")
    for other in repo.issues.values():
        if (
            other.pull is not None
            and other.state == "open"
            and other.pull.head_ref == head
            and other.pull.base_ref == base
        ):
            raise invalid(f"A pull request already exists for {repo.owner.login}:{head}.")
    if not repo.git.rev_list(head_sha, base_sha):
        raise invalid(f"No commits between {base} and {head}")
    if not body.get("title"):
        raise invalid(resource="PullRequest", field_="title", code="missing_field")
    issue = gh._new_issue(req, str(body["title"]), body.get("body"))
    issue.pull = Pull(
        head_ref=head,
        base_ref=base,
        head_sha=head_sha,
        draft=bool(body.get("draft", False)),
        maintainer_can_modify=bool(body.get("maintainer_can_modify", True)),
        id=next(gh._ids),
    )
    return 201, gh._pull_json(repo, issue, full=True)


def _pull(gh: GitHubStandIn, req: _Request) -> Issue:
    assert req.repo is not None
    issue = gh._issue(req.repo, req.params["pull_number"])
    if issue.pull is None:
        raise not_found()
    return issue


@route("GET /repos/{owner}/{repo}/pulls/{pull_number}", perm=[("pull_requests", "read")])
def _get_pull(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    assert req.repo is not None
    return 200, gh._pull_json(req.repo, _pull(gh, req), full=True)


@route("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", perm=[("pull_requests", "write")])
def _update_pull(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    repo = req.repo
    assert repo is not None
    issue = _pull(gh, req)
    pull = issue.pull
    assert pull is not None
    body = req.json or {}
    if "base" in body:
        if repo.git.ref(f"refs/heads/{body['base']}") is None:
            raise invalid(resource="PullRequest", field_="base")
        pull.base_ref = body["base"]
    if "title" in body:
        issue.title = body["title"]
    if "body" in body:
        issue.body = body["body"]
    if "maintainer_can_modify" in body:
        pull.maintainer_can_modify = bool(body["maintainer_can_modify"])
    state = body.get("state")
    if state == "closed" and issue.state == "open":
        gh._close(issue, gh._actor(req), None)
    elif state == "open" and issue.state == "closed":
        if pull.merged:
            raise invalid("Cannot reopen a merged pull request")
        if repo.git.ref(f"refs/heads/{pull.head_ref}") is None:
            raise invalid("Cannot reopen: the head branch was deleted")
        issue.state, issue.closed_at, issue.closed_by = "open", None, None
        issue.state_reason = "reopened"
    issue.updated_at = time.time()
    return 200, gh._pull_json(repo, issue, full=True)


@route("GET /repos/{owner}/{repo}/pulls/{pull_number}/commits", perm=[("pull_requests", "read")])
def _pull_commits(gh: GitHubStandIn, req: _Request) -> _Response:
    repo = req.repo
    assert repo is not None
    issue = _pull(gh, req)
    pull = issue.pull
    assert pull is not None
    head = gh._pull_head(repo, issue)
    base = repo.git.ref(f"refs/heads/{pull.base_ref}")
    exclude = gh._merge_base(repo, base, head) if base else None
    if pull.merged and pull.merge_commit_sha:
        exclude = repo.git.read_commit(pull.merge_commit_sha).parents[0]  # type: ignore[union-attr]
    shas = repo.git.rev_list(head, exclude)[:250]
    items = []
    for sha in shas:
        info = repo.git.read_commit(sha)
        assert info is not None
        items.append(info)
    chunk, headers = gh._paginate(req, items, lambda i: gh._commit_json(repo, i, files=False))
    return _Response(200, chunk, headers)


@route(
    "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
    perm=[("pull_requests", "write")],
)
def _request_reviewers(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    repo = req.repo
    assert repo is not None
    issue = _pull(gh, req)
    pull = issue.pull
    assert pull is not None
    body = req.json or {}
    if body.get("team_reviewers"):
        raise invalid("The stand-in has no teams: team_reviewers cannot be requested")
    reviewers = body.get("reviewers", [])
    if any(r.lower() == issue.user.login.lower() for r in reviewers):
        raise invalid("Review cannot be requested from pull request author.")
    ok, bad = gh._assignable(repo, reviewers)
    if bad:
        raise invalid(
            "Reviews may only be requested from collaborators. One or more of the users or teams "
            f"you specified is not a collaborator of the {repo.full_name} repository."
        )
    for login in ok:
        if login not in pull.requested_reviewers:
            pull.requested_reviewers.append(login)
    return 201, gh._pull_json(repo, issue, full=False)


# -- issues ----------------------------------------------------------------------------------


@route("GET /repos/{owner}/{repo}/issues", perm=[("issues", "read")])
def _list_issues(gh: GitHubStandIn, req: _Request) -> _Response:
    repo = req.repo
    assert repo is not None
    state = req.params.get("state", "open")
    labels = [x.strip().lower() for x in req.params.get("labels", "").split(",") if x.strip()]
    creator = req.params.get("creator")
    assignee = req.params.get("assignee")
    since = req.params.get("since")
    since_t = parse_iso(since)[0] if since else None
    found = []
    for issue in list(repo.issues.values()):
        if state not in ("all", issue.state):
            continue
        if labels and not set(labels) <= {n.lower() for n in issue.labels}:
            continue
        if creator and creator.lower() != issue.user.login.lower():
            continue
        if assignee == "none" and issue.assignees:
            continue
        if (
            assignee
            and assignee not in ("*", "none")
            and assignee.lower() not in {a.lower() for a in issue.assignees}
        ):
            continue
        if assignee == "*" and not issue.assignees:
            continue
        if since_t is not None and issue.updated_at < since_t:
            continue
        found.append(issue)
    ordered = _sorted_issues(req, found)
    chunk, headers = gh._paginate(req, ordered, lambda i: gh._issue_json(repo, i))
    return _Response(200, chunk, headers)


def _label_names(raw: Any) -> list[str]:
    names = []
    for item in raw or []:
        names.append(item["name"] if isinstance(item, dict) else str(item))
    return names


@route("POST /repos/{owner}/{repo}/issues", perm=[("issues", "write")])
def _create_issue(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    repo = req.repo
    assert repo is not None
    body = req.json
    assignees = list(body.get("assignees") or [])
    if body.get("assignee"):
        assignees.append(body["assignee"])
    ok, bad = gh._assignable(repo, assignees)
    if bad:
        raise invalid(resource="Issue", field_="assignees")
    issue = gh._new_issue(req, str(body["title"]), body.get("body"))
    issue.labels = gh._ensure_labels(repo, _label_names(body.get("labels")))
    issue.assignees = ok
    return 201, gh._issue_json(repo, issue)


@route("GET /repos/{owner}/{repo}/issues/{issue_number}", perm=[("issues", "read")])
def _get_issue(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    assert req.repo is not None
    return 200, gh._issue_json(req.repo, gh._issue(req.repo, req.params["issue_number"]))


def _issue_perm(req: _Request, issue: Issue) -> None:
    """Writes on a PR's issue half need pull_requests or issues write; on an issue, issues."""
    token = req.principal.token
    assert token is not None
    granted = token.permissions
    ok = granted.get("issues") == "write" or (
        issue.pull is not None and granted.get("pull_requests") == "write"
    )
    if not ok:
        raise ApiError(403, "Resource not accessible by integration")


@route(
    "PATCH /repos/{owner}/{repo}/issues/{issue_number}",
    perm=[("issues", "write"), ("pull_requests", "write")],
)
def _update_issue(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    repo = req.repo
    assert repo is not None
    issue = gh._issue(repo, req.params["issue_number"])
    _issue_perm(req, issue)
    body = req.json or {}
    if "title" in body and body["title"] is not None:
        issue.title = str(body["title"])
    if "body" in body:
        issue.body = body["body"]
    if "labels" in body:
        issue.labels = gh._ensure_labels(repo, _label_names(body["labels"]))
    if "assignees" in body or "assignee" in body:
        wanted = [a if isinstance(a, str) else a["login"] for a in body.get("assignees") or []]
        if body.get("assignee"):
            wanted.append(body["assignee"])
        ok, bad = gh._assignable(repo, wanted)
        if bad:
            raise invalid(resource="Issue", field_="assignees")
        issue.assignees = ok
    state = body.get("state")
    if state == "closed" and issue.state == "open":
        gh._close(issue, gh._actor(req), body.get("state_reason") or "completed")
        if issue.pull is not None:
            issue.state_reason = None
    elif state == "open" and issue.state == "closed":
        if issue.pull is not None and issue.pull.merged:
            raise invalid("Cannot reopen a merged pull request")
        issue.state, issue.closed_at, issue.closed_by = "open", None, None
        issue.state_reason = "reopened"
    issue.updated_at = time.time()
    return 200, gh._issue_json(repo, issue)


@route(
    "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
    perm=[("issues", "read"), ("pull_requests", "read")],
)
def _list_comments(gh: GitHubStandIn, req: _Request) -> _Response:
    repo = req.repo
    assert repo is not None
    issue = gh._issue(repo, req.params["issue_number"])
    since = req.params.get("since")
    since_t = parse_iso(since)[0] if since else None
    comments = [c for c in issue.comments if since_t is None or c.updated_at >= since_t]
    chunk, headers = gh._paginate(req, comments, lambda c: gh._comment_json(repo, issue, c))
    return _Response(200, chunk, headers)


@route(
    "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
    perm=[("issues", "write"), ("pull_requests", "write")],
)
def _create_comment(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    repo = req.repo
    assert repo is not None
    issue = gh._issue(repo, req.params["issue_number"])
    _issue_perm(req, issue)
    if issue.locked:
        raise ApiError(403, "Unable to create comment because issue is locked.")
    t = time.time()
    comment = Comment(next(gh._ids), req.json["body"], gh._actor(req), t, t, app=req.principal.app)
    issue.comments.append(comment)
    issue.updated_at = t
    return 201, gh._comment_json(repo, issue, comment)


@route(
    "POST /repos/{owner}/{repo}/issues/{issue_number}/labels",
    perm=[("issues", "write"), ("pull_requests", "write")],
)
def _add_labels(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    repo = req.repo
    assert repo is not None
    issue = gh._issue(repo, req.params["issue_number"])
    _issue_perm(req, issue)
    body = req.json
    names = _label_names(body.get("labels") if isinstance(body, dict) else body)
    for name in gh._ensure_labels(repo, names):
        if name.lower() not in {n.lower() for n in issue.labels}:
            issue.labels.append(name)
    issue.updated_at = time.time()
    return 200, [gh._label_json(repo, repo.labels[n.lower()]) for n in issue.labels]


@route(
    "POST /repos/{owner}/{repo}/issues/{issue_number}/assignees",
    perm=[("issues", "write"), ("pull_requests", "write")],
)
def _add_assignees(gh: GitHubStandIn, req: _Request) -> tuple[int, Any]:
    repo = req.repo
    assert repo is not None
    issue = gh._issue(repo, req.params["issue_number"])
    _issue_perm(req, issue)
    ok, _ = gh._assignable(repo, (req.json or {}).get("assignees", []))  # others: ignored
    for login in ok:
        if login not in issue.assignees:
            issue.assignees.append(login)
    issue.updated_at = time.time()
    return 201, gh._issue_json(repo, issue)


def _check_routes() -> None:
    """Every operation of the vendored subset has a handler and vice versa."""
    ops = {op.key for op in contract().operations}
    missing = ops - _ROUTES.keys()
    extra = _ROUTES.keys() - ops
    if missing or extra:
        raise AssertionError(f"routes vs description: missing {missing}, extra {extra}")
