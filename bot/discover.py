"""Finding the Dockerfiles under the paths a user names, and the build context of each.

Invariants:
- Names that count as Dockerfiles: ``Dockerfile``, ``Dockerfile.*``, ``*.Dockerfile``,
  ``*.dockerfile``, ``Containerfile``, ``Containerfile.*``. A path named on the command line
  that is not a directory is taken as is, whatever its name, and excludes do not apply to it.
- Walking skips ``.git``, ``vendor`` and ``node_modules`` directories and whatever the root's
  ``exclude`` globs match. Symlinked directories are followed once: a directory already visited
  (same device and inode) is not entered again, so symlink loops cannot make the walk loop.
- Nothing here reads a Dockerfile: an entry that cannot be a readable file (a directory named
  ``Dockerfile``, a symlink loop, a FIFO, an unreadable file) is still returned as a `Target`,
  and reading it later produces the one-line error for it.
- The result is sorted by displayed path and has no duplicates.

Build context (documented choice): for a local Dockerfile, the context root is the nearest
directory, from the Dockerfile's own directory upwards, that holds a ``go.mod``; the search
stops at the scanned root or at a directory holding ``.git``. Without a ``go.mod`` the context
is the Dockerfile's own directory (``docker build .`` next to it).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.fsio import ReadError, os_reason, read_text
from rewriters.context import BuildContext

SKIP_DIRS = frozenset({".git", "vendor", "node_modules"})
CONFIG_NAME = ".gocomply.yml"
CONTEXT_FILES = ("go.mod", "go.sum", "vendor/modules.txt", "go.work", "go.work.sum")


def is_dockerfile_name(name: str) -> bool:
    """Does a file name follow one of the Dockerfile naming conventions?"""
    for base in ("Dockerfile", "Containerfile"):
        if name == base or (name.startswith(base + ".") and len(name) > len(base) + 1):
            return True
    return name.endswith((".Dockerfile", ".dockerfile")) and name not in (
        ".Dockerfile",
        ".dockerfile",
    )


def glob_to_regex(pattern: str) -> re.Pattern[str]:
    """Compile a gitignore-style glob (relative to a root) into a regex over posix paths.

    ``*`` and ``?`` stay within one path segment, ``**`` spans any number of segments, a
    pattern without ``/`` (other than a trailing one) matches at any depth, a leading ``/``
    anchors it to the root.
    """
    pat = pattern.strip()
    if pat.endswith("/"):
        pat = pat.rstrip("/")
    anchored = "/" in pat
    pat = pat.lstrip("/")
    if not anchored:
        pat = "**/" + pat
    out: list[str] = []
    i = 0
    n = len(pat)
    while i < n:
        c = pat[i]
        if pat.startswith("**", i):
            at_start = i == 0 or pat[i - 1] == "/"
            j = i + 2
            if at_start and j < n and pat[j] == "/":
                out.append("(?:.*/)?")
                i = j + 1
                continue
            if at_start and j == n:
                out.append(".*")
                i = j
                continue
            out.append("[^/]*")
            i = j
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            first = i + 2 if pat.startswith(("[!", "[^"), i) else i + 1
            end = pat.find("]", first + 1)
            if end < 0:
                out.append(re.escape(c))
            else:
                body = pat[i + 1 : end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out))


@dataclass(frozen=True)
class Excludes:
    """Compiled ``exclude`` globs of one root."""

    patterns: tuple[tuple[str, re.Pattern[str], bool], ...] = ()

    @staticmethod
    def compile(globs: Iterable[str]) -> Excludes:
        return Excludes(
            tuple((g, glob_to_regex(g), g.strip().endswith("/")) for g in globs if g.strip())
        )

    def match(self, rel: str, *, is_dir: bool) -> str | None:
        """The glob that excludes ``rel`` (posix, relative to the root), or None."""
        for glob, rx, dir_only in self.patterns:
            if dir_only and not is_dir:
                continue
            if rx.fullmatch(rel):
                return glob
        return None


@dataclass(frozen=True)
class Target:
    """One file to analyse: ``path`` to open, ``display`` to print, ``root`` it was found under."""

    path: Path
    display: str
    root: Path


def _display(path: Path) -> str:
    return Path(os.path.normpath(path)).as_posix()


def find_root(path: Path) -> tuple[Path, Path | None]:
    """The scan root for ``path`` and its ``.gocomply.yml`` if there is one.

    From the directory itself (or a file's directory) upwards, the first directory holding
    ``.gocomply.yml`` is the root; the search stops at a directory holding ``.git``. Without a
    config file the root is the directory named (or the file's directory).
    """
    start = path if path.is_dir() else path.parent
    start = Path(os.path.abspath(start))
    d = start
    while True:
        cfg = d / CONFIG_NAME
        if cfg.is_file() or os.path.lexists(cfg):
            return (d, cfg)
        if os.path.lexists(d / ".git") or d.parent == d:
            return (start, None)
        d = d.parent


def walk(
    root_arg: Path, *, root: Path, excludes: Excludes, errors: list[tuple[str, str]]
) -> Iterator[Target]:
    """Dockerfiles under the directory ``root_arg`` (as the user spelled it).

    ``root`` is the absolute scan root that exclude globs are relative to. Directories that
    cannot be listed are appended to ``errors`` as ``(display, reason)``.
    """
    seen: set[tuple[int, int]] = set()
    try:
        st = os.stat(root_arg)
        seen.add((st.st_dev, st.st_ino))
    except OSError:
        pass
    stack: list[Path] = [root_arg]
    found: list[Target] = []
    while stack:
        d = stack.pop()
        try:
            with os.scandir(d) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            errors.append((_display(d), _reason(exc)))
            continue
        subdirs: list[Path] = []
        for e in entries:
            p = Path(e.path)
            try:
                is_dir = e.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = False  # a symlink loop or an unreadable link: reported when read
            rel = _relative(p, root)
            if is_dir:
                if e.name in SKIP_DIRS or (rel is not None and excludes.match(rel, is_dir=True)):
                    continue
                try:
                    dst = os.stat(p)
                except OSError as exc:
                    errors.append((_display(p), _reason(exc)))
                    continue
                key = (dst.st_dev, dst.st_ino)
                if key in seen:
                    continue  # a symlink back into the tree: visited already
                seen.add(key)
                subdirs.append(p)
                if is_dockerfile_name(e.name):
                    # A directory named like a Dockerfile: reported as a bad file when read.
                    found.append(Target(p, _display(p), root))
                continue
            if e.name == ".git":
                continue
            if not is_dockerfile_name(e.name):
                continue
            if rel is not None and excludes.match(rel, is_dir=False):
                continue
            found.append(Target(p, _display(p), root))
        stack.extend(reversed(subdirs))
    yield from found


def _relative(p: Path, root: Path) -> str | None:
    try:
        return Path(os.path.abspath(p)).relative_to(root).as_posix()
    except ValueError:
        return None


def _reason(exc: OSError) -> str:
    return os_reason(exc)


def discover(
    paths: Sequence[str],
    excludes_for: dict[Path, Excludes] | None = None,
    errors: list[tuple[str, str]] | None = None,
) -> list[Target]:
    """Every Dockerfile named by or found under ``paths``, sorted, without duplicates.

    ``excludes_for`` maps an absolute root to its compiled exclude globs; roots are found with
    `find_root`. Directories that cannot be listed go to ``errors``.
    """
    excludes_for = excludes_for if excludes_for is not None else {}
    errs = errors if errors is not None else []
    by_display: dict[str, Target] = {}
    for raw in paths:
        p = Path(raw)
        root, _cfg = find_root(p)
        if _is_dir(p):
            ex = excludes_for.get(root, Excludes())
            for t in walk(p, root=root, excludes=ex, errors=errs):
                by_display.setdefault(t.display, t)
        else:
            t = Target(p, _display(p), root)
            by_display.setdefault(t.display, t)
    return [by_display[k] for k in sorted(by_display)]


def _is_dir(p: Path) -> bool:
    try:
        return p.is_dir()
    except OSError:
        return False


def context_dir(dockerfile: Path, boundary: Path) -> Path:
    """The build context root assumed for a local Dockerfile (see the module docstring)."""
    start = Path(os.path.abspath(dockerfile)).parent
    d = start
    boundary = Path(os.path.abspath(boundary))
    while True:
        if (d / "go.mod").is_file():
            return d
        if d == boundary or os.path.lexists(d / ".git") or d.parent == d:
            return start
        d = d.parent


def build_context(context: Path) -> BuildContext:
    """What the rules may know about a local build context directory."""
    files = frozenset(f for f in CONTEXT_FILES if (context / f).is_file())
    return BuildContext(
        files=files,
        dockerignore=_maybe_text(context / ".dockerignore"),
        go_mod=_maybe_text(context / "go.mod") if "go.mod" in files else None,
        known=True,
        has_dockerignore=os.path.lexists(context / ".dockerignore"),
    )


def _maybe_text(path: Path) -> str | None:
    if not os.path.lexists(path):
        return None
    try:
        return read_text(path)
    except ReadError:
        return None


__all__ = [
    "CONFIG_NAME",
    "Excludes",
    "Target",
    "build_context",
    "context_dir",
    "discover",
    "find_root",
    "glob_to_regex",
    "is_dockerfile_name",
]
