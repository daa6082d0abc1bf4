"""Real bare git repositories behind the GitHub stand-in.

Objects are read with the `git` CLI (so whatever `git push` stored through `git http-backend` is
seen exactly as a clone sees it) and written either with the CLI or, for speed when a test builds
hundreds of repositories, as loose objects straight from Python (`zlib` + SHA-1: the same bytes
`git hash-object -w` would write). `git fsck` agrees with both (see the stand-in's tests).
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tempfile
import threading
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ZERO_SHA = "0" * 40
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
FILE_MODES = ("100644", "100755", "120000", "160000")


def git_env() -> dict[str, str]:
    """An environment for git child processes, independent of the user's git configuration."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_TERMINAL_PROMPT="0",
        GIT_LITERAL_PATHSPECS="1",
        LC_ALL="C",
    )
    return env


_ENV = git_env()


class GitError(Exception):
    """A git command failed or an object is not what it should be."""


@dataclass(frozen=True)
class Ident:
    name: str
    email: str
    when: int  # seconds since the epoch
    tz: str = "+0000"

    def raw(self) -> str:
        return f"{self.name} <{self.email}> {self.when} {self.tz}"

    @classmethod
    def parse(cls, raw: str) -> Ident:
        m = re.fullmatch(r"(.*?) <(.*?)> (\d+) ([+-]\d{4})", raw)
        if m is None:
            raise GitError(f"bad identity line {raw!r}")
        return cls(m[1], m[2], int(m[3]), m[4])


@dataclass(frozen=True)
class CommitInfo:
    sha: str
    tree: str
    parents: tuple[str, ...]
    author: Ident
    committer: Ident
    message: str


@dataclass(frozen=True)
class TreeEntry:
    mode: str  # as ls-tree prints it: 100644, 100755, 120000, 160000, 040000
    type: str  # blob, tree, commit
    sha: str
    size: int | None
    path: str


_LS_TREE = re.compile(r"(\d+) (\w+) ([0-9a-f]{40}) +(-|\d+)\t(.*)", re.S)


class BareRepo:
    """One bare repository on disk."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.RLock()

    # -- creation ------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, default_branch: str) -> BareRepo:
        """Lay out a bare repository (what `git init --bare` makes, minus samples)."""
        for sub in ("objects/info", "objects/pack", "refs/heads", "refs/tags", "info"):
            (path / sub).mkdir(parents=True, exist_ok=True)
        (path / "HEAD").write_text(f"ref: refs/heads/{default_branch}\n")
        (path / "config").write_text(
            "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = true\n"
        )
        (path / "description").write_text("gocomply GitHub stand-in repository\n")
        return cls(path)

    # -- plumbing ------------------------------------------------------------------------

    def git(self, *args: str, input: bytes | None = None, check: bool = True) -> bytes:
        proc = subprocess.run(
            ["git", "--git-dir", str(self.path), *args],
            input=input,
            capture_output=True,
            env=_ENV,
            check=False,
        )
        if check and proc.returncode != 0:
            raise GitError(
                f"git {' '.join(args)} failed ({proc.returncode}): "
                f"{proc.stderr.decode(errors='replace').strip()}"
            )
        return proc.stdout

    def write_object(self, kind: str, data: bytes) -> str:
        """Store a loose object; return its SHA-1 (same bytes as `git hash-object -w`)."""
        raw = f"{kind} {len(data)}\0".encode() + data
        sha = hashlib.sha1(raw).hexdigest()
        target = self.path / "objects" / sha[:2] / sha[2:]
        if not target.exists():
            target.parent.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix="tmp_obj_")
            with os.fdopen(fd, "wb") as fh:
                fh.write(zlib.compress(raw, 1))
            os.chmod(tmp, 0o444)
            os.replace(tmp, target)
        return sha

    def write_blob(self, data: bytes) -> str:
        return self.write_object("blob", data)

    def read_object(self, name: str) -> tuple[str, str, bytes] | None:
        """(sha, type, data) of an object named by SHA or `rev:path`, or None."""
        if "\n" in name:
            return None
        out = self.git("cat-file", "--batch", input=name.encode() + b"\n")
        header, _, rest = out.partition(b"\n")
        parts = header.split()
        if len(parts) != 3 or parts[1] == b"missing":
            return None
        size = int(parts[2])
        return parts[0].decode(), parts[1].decode(), rest[:size]

    def object_type(self, sha: str) -> str | None:
        if not re.fullmatch(r"[0-9a-f]{40}", sha):
            return None
        out = self.git("cat-file", "--batch-check", input=sha.encode() + b"\n")
        parts = out.split()
        return parts[1].decode() if len(parts) == 3 else None

    def resolve(self, rev: str, peel: str = "commit") -> str | None:
        """SHA of `rev` peeled to `peel` (commit/tree), or None."""
        if not rev or rev.startswith("-") or ".." in rev or ":" in rev:
            return None
        out = self.git("rev-parse", "--verify", "--quiet", f"{rev}^{{{peel}}}", check=False)
        sha = out.decode().strip()
        return sha if re.fullmatch(r"[0-9a-f]{40}", sha) else None

    # -- refs ----------------------------------------------------------------------------

    def refs(self, prefix: str = "refs/") -> dict[str, str]:
        out = self.git("for-each-ref", "--format=%(objectname) %(refname)", prefix)
        refs: dict[str, str] = {}
        for line in out.decode().splitlines():
            sha, _, name = line.partition(" ")
            refs[name] = sha
        return refs

    def ref(self, name: str) -> str | None:
        """Exact lookup of a full ref name (refs/heads/x)."""
        return self.refs(name).get(name)

    def is_empty(self) -> bool:
        """No refs at all (cheap: looks at the files, no git process)."""
        packed = self.path / "packed-refs"
        if packed.exists() and any(
            line and not line.startswith(("#", "^")) for line in packed.read_text().splitlines()
        ):
            return False
        return not any(files for _, _, files in os.walk(self.path / "refs"))

    def update_ref(self, name: str, new: str, old: str | None = None) -> None:
        """Set `name` to `new`; with `old`, only if it currently is `old` (ZERO_SHA: absent)."""
        args = ["update-ref", name, new]
        if old is not None:
            args.append(old)
        self.git(*args)

    def delete_ref(self, name: str) -> None:
        self.git("update-ref", "-d", name)

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        proc = subprocess.run(
            [
                "git",
                "--git-dir",
                str(self.path),
                "merge-base",
                "--is-ancestor",
                ancestor,
                descendant,
            ],
            capture_output=True,
            env=_ENV,
            check=False,
        )
        return proc.returncode == 0

    # -- trees ---------------------------------------------------------------------------

    def ls_tree(self, tree_ish: str, recursive: bool, trees: bool = True) -> list[TreeEntry]:
        """Entries of a tree; `recursive` descends (listing subtrees too unless not `trees`)."""
        args = ["ls-tree", "-z", "-l"]
        if recursive:
            args += ["-r", "-t"] if trees else ["-r"]
        out = self.git(*args, tree_ish)
        entries = []
        for record in out.decode("utf-8", errors="surrogateescape").split("\0"):
            if not record:
                continue
            m = _LS_TREE.fullmatch(record)
            if m is None:
                raise GitError(f"cannot parse ls-tree output {record!r}")
            size = None if m[4] == "-" else int(m[4])
            entries.append(TreeEntry(m[1], m[2], m[3], size, m[5]))
        return entries

    def flat_tree(self, tree_ish: str) -> dict[str, tuple[str, str]]:
        """path -> (mode, sha) of every non-tree entry below `tree_ish`."""
        return {e.path: (e.mode, e.sha) for e in self.ls_tree(tree_ish, True, trees=False)}

    def write_tree(self, files: Mapping[str, tuple[str, str]]) -> str:
        """Write the nested trees for `path -> (mode, sha)`; return the root tree SHA."""
        root: dict[str, object] = {}
        for path, leaf in files.items():
            parts = path.split("/")
            node = root
            for part in parts[:-1]:
                child = node.setdefault(part, {})
                if not isinstance(child, dict):
                    raise GitError(f"{path!r} is below the file {part!r}")
                node = child
            if isinstance(node.get(parts[-1]), dict):
                raise GitError(f"{path!r} is a directory")
            node[parts[-1]] = leaf
        return self._write_node(root)

    def _write_node(self, node: Mapping[str, object]) -> str:
        items: list[tuple[bytes, bytes, str]] = []  # (sort key, "mode name", sha)
        for name, value in node.items():
            if isinstance(value, dict):
                if not value:
                    continue
                sha = self._write_node(value)
                items.append((name.encode() + b"/", b"40000 " + name.encode(), sha))
            else:
                assert isinstance(value, tuple)
                mode, sha = value
                mode = mode.lstrip("0")
                items.append((name.encode(), f"{mode} ".encode() + name.encode(), sha))
        items.sort(key=lambda item: item[0])
        data = b"".join(head + b"\0" + bytes.fromhex(sha) for _, head, sha in items)
        return self.write_object("tree", data)

    # -- commits -------------------------------------------------------------------------

    def write_commit(
        self,
        tree: str,
        parents: tuple[str, ...] | list[str],
        author: Ident,
        committer: Ident,
        message: str,
    ) -> str:
        lines = [f"tree {tree}", *(f"parent {p}" for p in parents)]
        lines += [f"author {author.raw()}", f"committer {committer.raw()}"]
        text = "\n".join(lines) + "\n\n" + message
        return self.write_object("commit", text.encode())

    def read_commit(self, sha: str) -> CommitInfo | None:
        obj = self.read_object(sha)
        if obj is None or obj[1] != "commit":
            return None
        sha = obj[0]
        head, _, message = obj[2].decode("utf-8", errors="replace").partition("\n\n")
        tree = ""
        parents: list[str] = []
        author = committer = None
        for line in head.split("\n"):
            key, _, value = line.partition(" ")
            if key == "tree":
                tree = value
            elif key == "parent":
                parents.append(value)
            elif key == "author":
                author = Ident.parse(value)
            elif key == "committer":
                committer = Ident.parse(value)
        if author is None or committer is None:
            raise GitError(f"commit {sha} has no author/committer")
        return CommitInfo(sha, tree, tuple(parents), author, committer, message)

    def commit_files(
        self,
        branch: str,
        files: Mapping[str, bytes | tuple[str, bytes] | None],
        message: str,
        author: Ident,
        committer: Ident | None = None,
        parents: tuple[str, ...] | None = None,
    ) -> str:
        """Commit `files` (None deletes; (mode, bytes) sets a mode) on top of `branch`."""
        with self.lock:
            ref = f"refs/heads/{branch}"
            head = self.ref(ref)
            base_parents = parents if parents is not None else ((head,) if head else ())
            tree_files = self.flat_tree(base_parents[0]) if base_parents else {}
            for path, content in files.items():
                if content is None:
                    tree_files.pop(path, None)
                    continue
                mode, data = content if isinstance(content, tuple) else ("100644", content)
                tree_files[path] = (mode, self.write_blob(data))
            tree = self.write_tree(tree_files)
            sha = self.write_commit(tree, base_parents, author, committer or author, message)
            self.update_ref(ref, sha, head or ZERO_SHA)
            return sha

    def merge_tree(self, base: str, head: str) -> str | None:
        """Tree of merging `head` into `base`, or None on conflicts (git >= 2.38)."""
        proc = subprocess.run(
            ["git", "--git-dir", str(self.path), "merge-tree", "--write-tree", base, head],
            capture_output=True,
            env=_ENV,
            check=False,
        )
        if proc.returncode == 1:
            return None
        if proc.returncode != 0:
            raise GitError(proc.stderr.decode(errors="replace"))
        return proc.stdout.decode().split()[0]

    def rev_list(self, include: str, exclude: str | None) -> list[str]:
        """Commits reachable from `include` and not from `exclude`, oldest first."""
        args = ["rev-list", "--reverse", include]
        if exclude:
            args.append(f"^{exclude}")
        return self.git(*args).decode().split()

    def diff_tree(self, old: str | None, new: str) -> list[DiffEntry]:
        """Files changed from `old` to `new` (trees or commits; None: the empty tree)."""
        out = self.git(
            "diff-tree", "-r", "-z", "--no-renames", "--raw", "--numstat", old or EMPTY_TREE, new
        )
        tokens = out.decode("utf-8", errors="surrogateescape").split("\0")
        raw: dict[str, tuple[str, str, str]] = {}
        stats: dict[str, tuple[int, int]] = {}
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token.startswith(":"):
                _, _, old_sha, new_sha, status = token[1:].split(" ")
                raw[tokens[i + 1]] = (status[0], old_sha, new_sha)
                i += 2
                continue
            if token:
                adds, dels, path = token.split("\t", 2)
                stats[path] = (0 if adds == "-" else int(adds), 0 if dels == "-" else int(dels))
            i += 1
        return [
            DiffEntry(path, status, old_sha, new_sha, *stats.get(path, (0, 0)))
            for path, (status, old_sha, new_sha) in raw.items()
        ]


@dataclass(frozen=True)
class DiffEntry:
    path: str
    status: str  # A, D, M, T
    old_sha: str
    new_sha: str
    additions: int
    deletions: int


def now() -> int:
    return int(time.time())
