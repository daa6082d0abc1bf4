"""One sweep over an installation: repositories → Go Dockerfiles → findings and proposed fixes.

A thin I/O shell around pure code: `plan_files` (tree → paths that matter), `context_for`
(Dockerfile → build context), `analyze_repo` (texts + config → FileResults) do no I/O.

Request budget, per repository:
- nothing beyond the listing when its ``pushed_at`` and effective-config hash equal the last
  complete scan's (the stored result is reused);
- otherwise one recursive tree request (a truncated tree falls back to walking subtrees), then
  one blob request per Dockerfile, ``.gocomply.yml``, ``.dockerignore`` or ``go.mod`` it needs —
  and none for blobs fetched before (blobs are stored by sha).

Failures are per repository (404 after a rename, 409 empty, 451, 5xx after retries): recorded,
and the sweep continues. A spent rate limit stops the sweep cleanly: the repositories not
reached are reported as ``deferred`` and picked up by the next run.
"""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal, Protocol

import structlog

from bot.config import ConfigError, Decision, RepoConfig
from bot.discover import CONFIG_NAME, CONTEXT_FILES, Excludes, is_dockerfile_name
from bot.github import (
    BudgetExhausted,
    EmptyRepository,
    GitHubError,
    InstallationClient,
    Repo,
    Tree,
    TreeEntry,
)
from bot.store import RepoState, Store
from rewriters.context import BuildContext
from rewriters.edits import SideFile
from rewriters.engine import FileResult, analyze
from rewriters.findings import Finding
from rewriters.registry import family_of

log = structlog.get_logger("gocomply.scan")

SKIP_DIRS = frozenset({".git", "vendor", "node_modules"})
MAX_FILE_BYTES = 1024 * 1024
RepoStatus = Literal["scanned", "unchanged", "skipped", "config-error", "error", "deferred"]


@dataclass(frozen=True)
class RepoFiles:
    """Paths of one repository that matter to gocomply, with their blob shas."""

    dockerfiles: Mapping[str, str]
    config: str | None  # sha of .gocomply.yml at the root
    dockerignores: Mapping[str, str]  # dir -> sha
    gomods: Mapping[str, str]  # dir -> sha
    present: frozenset[str]  # every blob path (for go.sum, vendor/modules.txt checks)


def _skipped_dir(path: str) -> bool:
    return any(part in SKIP_DIRS for part in path.split("/")[:-1])


def plan_files(entries: Iterable[TreeEntry]) -> RepoFiles:
    """Pick the paths gocomply reads from a tree listing (pure)."""
    dockerfiles: dict[str, str] = {}
    ignores: dict[str, str] = {}
    gomods: dict[str, str] = {}
    present: set[str] = set()
    config = None
    for e in entries:
        if e.type != "blob":
            continue
        present.add(e.path)
        d, name = posixpath.split(e.path)
        if e.path == CONFIG_NAME:
            config = e.sha
        if _skipped_dir(e.path):
            continue
        if is_dockerfile_name(name) and e.mode != "120000":
            dockerfiles[e.path] = e.sha
        elif name == ".dockerignore":
            ignores[d] = e.sha
        elif name == "go.mod":
            gomods[d] = e.sha
    return RepoFiles(dockerfiles, config, ignores, gomods, frozenset(present))


def context_for(dockerfile: str, files: RepoFiles, contexts: Mapping[str, str] = {}) -> str:
    """Build-context directory of a Dockerfile in a repository (pure).

    A ``contexts`` entry (Dockerfile glob → directory) wins; otherwise the nearest directory
    holding ``go.mod`` from the Dockerfile's folder up to the root; otherwise the root.
    """
    for pattern, ctx in contexts.items():
        if excluded(Excludes.compile((pattern,)), dockerfile):
            return ctx.strip("/")
    d = posixpath.dirname(dockerfile)
    while True:
        if d in files.gomods:
            return d
        if not d:
            return ""
        d = posixpath.dirname(d)


def excluded(excludes: Excludes, path: str) -> bool:
    """Is a repository path excluded, itself or through one of its folders?"""
    parts = path.split("/")
    for i in range(1, len(parts)):
        if excludes.match("/".join(parts[:i]), is_dir=True) is not None:
            return True
    return excludes.match(path, is_dir=False) is not None


def _join(d: str, name: str) -> str:
    return f"{d}/{name}" if d else name


def needs_go_mod(texts: Iterable[str]) -> bool:
    """go.mod is only read by rules about the Go toolchain version."""
    return any("GOTOOLCHAIN" in t for t in texts)


def analyze_repo(
    texts: Mapping[str, str],
    files: RepoFiles,
    config: RepoConfig,
    side_texts: Mapping[str, str],
    *,
    today: date | None = None,
    contexts: Mapping[str, str] = {},
) -> tuple[FileResult, ...]:
    """Run the engine over the repository's Dockerfiles (pure: texts in, results out)."""
    options = config.options()
    out: list[FileResult] = []
    fixed: dict[str, str] = {}  # side files as the fixes of earlier Dockerfiles left them
    for path in sorted(texts):
        ctx_dir = context_for(path, files, contexts)
        present = frozenset(name for name in CONTEXT_FILES if _join(ctx_dir, name) in files.present)
        ignore = _join(ctx_dir, ".dockerignore")
        bc = BuildContext(
            files=present,
            dockerignore=side_texts.get(ignore),
            go_mod=side_texts.get(_join(ctx_dir, "go.mod")),
            known=True,
            dir=ctx_dir,
            has_dockerignore=ctx_dir in files.dockerignores,
        )
        if ignore in fixed:
            bc = bc.with_side_file(ignore, fixed[ignore])
        result = analyze(
            texts[path],
            path=path,
            options=options,
            build_context=bc,
            scope_all=config.scope == "all",
            today=today,
        )
        fixed.update((s.path, s.after) for s in result.side_files)
        out.append(result)
    return tuple(out)


class ConfigResolver(Protocol):
    """Org configuration as the scanner needs it (implemented in `bot.config`)."""

    def skip_reason(self, repo: Repo) -> str | None:
        """Why a repository is skipped before any request (fork, archived, opt-out)."""

    def org_hash(self) -> str:
        """Hash of the org-level configuration (part of every repo's state key)."""

    def decide(self, repo: Repo, repo_config: str | None) -> Decision:
        """Effective config of a repository from its ``.gocomply.yml`` text (None: absent)."""


@dataclass(frozen=True)
class FileReport:
    """One file of a repository scan, as it is persisted.

    ``findings`` are the engine's findings in their persisted form (`Finding.persisted`), so a
    fresh scan equals the same scan read back from the store and nothing downstream (the
    proposal, the PR body) can depend on which of the two it got.
    """

    path: str
    findings: tuple[Finding, ...]
    diff: str
    error: str | None
    skipped: str | None
    applied: tuple[str, ...]
    refused: tuple[tuple[str, str], ...]
    before: str = ""  # the file's text (kept only when the fixes change it)
    after: str = ""  # the text with the verified fixes applied
    # text after each rule family's fixes, in order ("GC1", text), ("GC2", text): one commit each
    families: tuple[tuple[str, str], ...] = ()
    side_files: tuple[SideFile, ...] = ()  # other files the fixes change (.dockerignore)

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "findings": [f.to_dict() for f in self.findings],
            "diff": self.diff,
            "error": self.error,
            "skipped": self.skipped,
            "applied": list(self.applied),
            "refused": [list(r) for r in self.refused],
            "before": self.before,
            "after": self.after,
            "families": [list(f) for f in self.families],
            "side_files": [f.as_dict() for f in self.side_files],
        }

    @staticmethod
    def from_dict(d: Mapping[str, Any]) -> FileReport:
        return FileReport(
            d["path"],
            tuple(Finding.from_dict(f) for f in d["findings"]),
            d["diff"],
            d["error"],
            d["skipped"],
            tuple(d["applied"]),
            tuple((a, b) for a, b in d["refused"]),
            d.get("before", ""),
            d.get("after", ""),
            tuple((a, b) for a, b in d.get("families", ())),
            tuple(SideFile.from_dict(f) for f in d.get("side_files", ())),
        )


def file_report(result: FileResult) -> FileReport:
    diff = "".join(
        difflib.unified_diff(
            result.text.splitlines(keepends=True),
            result.new_text.splitlines(keepends=True),
            f"a/{result.path}",
            f"b/{result.path}",
        )
    )
    for side in result.side_files:  # the other files the fixes change, a created one from nothing
        diff += "".join(
            difflib.unified_diff(
                (side.before or "").splitlines(keepends=True),
                side.after.splitlines(keepends=True),
                "/dev/null" if side.created else f"a/{side.path}",
                f"b/{side.path}",
            )
        )
    changed = result.changed
    families: dict[str, str] = {}
    for code, text in result.steps:
        families[family_of(code)] = text  # the last step of each rule family
    return FileReport(
        result.path,
        tuple(f.persisted() for f in result.findings),
        diff,
        result.error,
        result.skipped,
        result.applied,
        result.refused,
        result.text if changed else "",
        result.new_text if changed else "",
        tuple(sorted(families.items())) if changed else (),
        result.side_files,
    )


@dataclass(frozen=True)
class RepoScan:
    repo: str
    repo_id: int
    status: RepoStatus
    reason: str = ""
    files: tuple[FileReport, ...] = ()
    config_error: dict[str, Any] | None = None
    config_hash: str = ""
    default_branch: str = ""
    head_sha: str = ""
    config_text: str | None = None  # the repository's .gocomply.yml, to rebuild its config

    @property
    def go_files(self) -> tuple[FileReport, ...]:
        return tuple(f for f in self.files if f.skipped is None and f.error is None)

    @property
    def findings(self) -> int:
        return sum(len(f.findings) for f in self.files)

    def as_dict(self) -> dict[str, Any]:
        return {
            "repo": self.repo,
            "repo_id": self.repo_id,
            "status": self.status,
            "reason": self.reason,
            "files": [f.as_dict() for f in self.files],
            "config_error": self.config_error,
            "config_hash": self.config_hash,
            "default_branch": self.default_branch,
            "head_sha": self.head_sha,
            "config_text": self.config_text,
        }

    @staticmethod
    def from_dict(d: Mapping[str, Any]) -> RepoScan:
        return RepoScan(
            d["repo"],
            d["repo_id"],
            d["status"],
            d["reason"],
            tuple(FileReport.from_dict(f) for f in d["files"]),
            d["config_error"],
            d["config_hash"],
            d.get("default_branch", ""),
            d.get("head_sha", ""),
            d.get("config_text"),
        )


@dataclass
class SweepReport:
    installation_id: int
    account: str
    repos: list[RepoScan] = field(default_factory=list)
    org_error: str | None = None
    listing: dict[int, Repo] = field(default_factory=dict)  # repo id -> as listed
    resolver: Any = None  # the org's ConfigResolver (bot.config.OrgResolver) of this sweep
    listed: int = 0
    requests: int = 0
    not_modified: int = 0
    budget_exhausted: bool = False

    def count(self, status: RepoStatus) -> int:
        return sum(1 for r in self.repos if r.status == status)


def _config_error_dict(exc: ConfigError) -> dict[str, Any]:
    d: dict[str, Any] = {
        "file": exc.file,
        "line": exc.line,
        "key": exc.key,
        "message": exc.message,
        "hint": getattr(exc, "hint", None),
    }
    others = [e for e in getattr(exc, "errors", ()) if e is not exc]
    if others:
        d["errors"] = [_config_error_dict(e) for e in others]
    return d


class Scanner:
    """Runs sweeps for one installation client."""

    def __init__(
        self,
        client: InstallationClient,
        store: Store,
        *,
        concurrency: int = 4,
        today: date | None = None,
        progress: Callable[[RepoScan], None] | None = None,
    ) -> None:
        self.client = client
        self.store = store
        self.concurrency = concurrency
        self.today = today
        self.progress = progress

    def _texts(self, repo: Repo, shas: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
        texts: dict[str, str] = {}
        errors: dict[str, str] = {}
        for path, sha in shas.items():
            data = self.client.blob(repo, sha)
            if len(data) > MAX_FILE_BYTES:
                errors[path] = f"file is larger than {MAX_FILE_BYTES // 1024} KiB"
            elif b"\x00" in data:
                errors[path] = "file contains NUL bytes (binary?)"
            else:
                try:
                    texts[path] = data.decode("utf-8")
                except UnicodeDecodeError as exc:
                    errors[path] = f"not UTF-8 (byte {exc.start})"
        return texts, errors

    def _walk_tree(self, repo: Repo, tree: Tree) -> list[TreeEntry]:
        """Entries of a truncated recursive tree, by walking subtrees one level at a time."""
        root = self.client.tree(repo, tree.sha, recursive=False)
        out: list[TreeEntry] = []
        stack: list[tuple[str, Tree]] = [("", root)]
        while stack:
            prefix, t = stack.pop()
            for e in t.entries:
                path = f"{prefix}{e.path}"
                if e.type == "tree":
                    if e.path in SKIP_DIRS:
                        continue
                    stack.append((f"{path}/", self.client.tree(repo, e.sha, recursive=False)))
                else:
                    out.append(TreeEntry(path, e.type, e.sha, e.mode, e.size))
        return out

    def scan_repo(self, repo: Repo, resolver: ConfigResolver, *, force: bool = False) -> RepoScan:
        """Scan one repository; ``force`` ignores the stored result of an unchanged one."""
        skip = resolver.skip_reason(repo)
        if skip is not None:
            return RepoScan(repo.full_name, repo.id, "skipped", skip)
        org_hash = resolver.org_hash()
        state = None if force else self.store.get_repo(repo.id)
        if (
            state is not None
            and state.pushed_at == repo.pushed_at
            and state.config_hash.startswith(org_hash)
        ):
            previous = RepoScan.from_dict(state.result)
            return replace(previous, status="unchanged")
        try:
            result = self._scan(repo, resolver, org_hash)
        except BudgetExhausted as exc:
            return RepoScan(repo.full_name, repo.id, "deferred", str(exc))
        except EmptyRepository:
            result = RepoScan(repo.full_name, repo.id, "skipped", "empty repository")
        except GitHubError as exc:
            log.warning("repo.error", repo=repo.full_name, status=exc.status, error=exc.message)
            return RepoScan(repo.full_name, repo.id, "error", str(exc))
        except Exception as exc:  # a bug must cost one repository, not the sweep
            log.error("repo.internal_error", repo=repo.full_name, error=type(exc).__name__)
            return RepoScan(
                repo.full_name, repo.id, "error", f"internal error: {type(exc).__name__}: {exc}"
            )
        if result.status in ("scanned", "skipped", "config-error"):
            self.store.put_repo(
                RepoState(
                    repo.id,
                    repo.full_name,
                    repo.pushed_at,
                    result.config_hash or org_hash,
                    result.as_dict(),
                )
            )
        return result

    def _scan(self, repo: Repo, resolver: ConfigResolver, org_hash: str) -> RepoScan:
        tree = self.client.tree(repo, repo.default_branch)
        entries = self._walk_tree(repo, tree) if tree.truncated else list(tree.entries)
        files = plan_files(entries)
        cfg_text = None
        if files.config is not None:
            raw, bad = self._texts(repo, {CONFIG_NAME: files.config})
            cfg_text = raw.get(CONFIG_NAME)
            if cfg_text is None:
                err = ConfigError(CONFIG_NAME, 1, None, bad.get(CONFIG_NAME, "unreadable"))
                return RepoScan(
                    repo.full_name,
                    repo.id,
                    "config-error",
                    str(err),
                    config_error=_config_error_dict(err),
                    config_hash=org_hash,
                    default_branch=repo.default_branch,
                    head_sha=tree.sha,
                )
        decision = resolver.decide(repo, cfg_text)
        chash = org_hash + decision.config_hash
        if decision.error is not None:
            return RepoScan(
                repo.full_name,
                repo.id,
                "config-error",
                str(decision.error),
                config_error=_config_error_dict(decision.error),
                config_hash=chash,
                default_branch=repo.default_branch,
                head_sha=tree.sha,
            )
        if not decision.enabled or decision.config is None:
            return RepoScan(repo.full_name, repo.id, "skipped", decision.reason, config_hash=chash)
        config = decision.config
        excludes = Excludes.compile(config.exclude)
        wanted = {p: s for p, s in files.dockerfiles.items() if not excluded(excludes, p)}
        texts, errors = self._texts(repo, wanted)
        contexts = dict(getattr(config, "contexts", ()) or ())
        side: dict[str, str] = {}
        if texts:
            ctx_dirs = {context_for(p, files, contexts) for p in texts}
            side_shas = {
                _join(d, ".dockerignore"): files.dockerignores[d]
                for d in ctx_dirs
                if d in files.dockerignores
            }
            if needs_go_mod(texts.values()):
                side_shas.update(
                    {_join(d, "go.mod"): files.gomods[d] for d in ctx_dirs if d in files.gomods}
                )
            side, _ = self._texts(repo, side_shas)
        results = analyze_repo(texts, files, config, side, today=self.today, contexts=contexts)
        reports = [file_report(r) for r in results]
        reports += [FileReport(p, (), "", e, None, (), ()) for p, e in sorted(errors.items())]
        reports.sort(key=lambda f: f.path)
        return RepoScan(
            repo.full_name,
            repo.id,
            "scanned",
            "",
            tuple(reports),
            None,
            chash,
            repo.default_branch,
            tree.sha,
            cfg_text,
        )

    def sweep(self, repos: Sequence[Repo], resolver: ConfigResolver) -> list[RepoScan]:
        """Scan ``repos`` with bounded concurrency; order of the result follows ``repos``."""
        results: list[RepoScan | None] = [None] * len(repos)

        def work(i: int) -> None:
            r = self.scan_repo(repos[i], resolver)
            results[i] = r
            log.info("repo.scanned", repo=r.repo, status=r.status, findings=r.findings)
            if self.progress is not None:
                self.progress(r)

        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            list(pool.map(work, range(len(repos))))
        return [r for r in results if r is not None]
