"""Commits for ``gocomply fix --commit``, and the commit messages the GitHub App reuses.

Invariants:
- `commit_message` is pure: the same codes and findings give the same message. Subject:
  ``fix(docker): <what the rule(s) do> (<codes>)``, at most 72 characters; body: the rules
  fixed, then one line per file and fix.
- One commit per rule family (``GC1xx`` dangerous commands, ``GC2xx`` safe practices), in code
  order; `rule_families` gives the grouping.
- Nothing is committed from a dirty working tree: `open_clean_repo` refuses one, so a commit
  only ever holds gocomply's own edits. The branch is created only when there is something to
  commit, and never over an existing branch.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import git

from rewriters.findings import Finding
from rewriters.registry import Rule, family_of, find_rule

DEFAULT_BRANCH = "gocomply/remediate"
SUBJECT_MAX = 72

FAMILY_SUBJECTS: Mapping[str, str] = {
    "GC1": "remove dangerous Go build settings",
    "GC2": "apply safe Go build practices",
}


class CommitError(Exception):
    """``fix --commit`` cannot proceed; ``str()`` is the user-facing reason."""


def rule_families(rules: Iterable[Rule]) -> list[tuple[str, tuple[Rule, ...]]]:
    """Rules grouped by family, families and rules in code order."""
    groups: dict[str, list[Rule]] = {}
    for r in sorted(rules, key=lambda r: r.code):
        groups.setdefault(family_of(r.code), []).append(r)
    return [(fam, tuple(rs)) for fam, rs in sorted(groups.items())]


def _subject(codes: Sequence[str]) -> str:
    ordered = sorted(set(codes))
    tag = f" ({', '.join(ordered)})"
    if len(ordered) == 1:
        rule = find_rule(ordered[0])
        what = rule.commit if rule is not None else "fix Dockerfile findings"
    else:
        families = {family_of(c) for c in ordered}
        what = (
            FAMILY_SUBJECTS.get(next(iter(families)), "fix Dockerfile findings")
            if len(families) == 1
            else "fix Go build findings"
        )
    subject = f"fix(docker): {what}{tag}"
    if len(subject) > SUBJECT_MAX:  # many codes: name the family instead of listing them
        fams = sorted({family_of(c) + "xx" for c in ordered})
        subject = f"fix(docker): {what} ({', '.join(fams)})"
    return subject


def commit_message(codes: Sequence[str], findings: Mapping[str, Sequence[Finding]]) -> str:
    """The message for one commit that applies the fixes of ``codes``.

    ``findings`` maps each changed file (repository-relative path) to the findings whose fixes
    the commit applies; files and findings are listed in order of path, then line.
    """
    lines = [_subject(codes), ""]
    lines.append("Rules:")
    for code in sorted(set(codes)):
        rule = find_rule(code)
        if rule is None:
            lines.append(f"- {code}")
        else:
            lines.append(f"- {code} {rule.name}: {rule.doc.summary}")
    changes: list[str] = []
    for path in sorted(findings):
        for f in sorted(findings[path], key=lambda f: (f.line, f.column, f.code)):
            what = f.fix.description if f.fix is not None else f.message
            changes.append(f"- {path}:{f.line}: {what} ({f.code})")
    if changes:
        lines += ["", "Changes:", *changes]
    return "\n".join(lines) + "\n"


def open_clean_repo(path: Path) -> git.Repo:
    """The git working tree holding ``path``; refuses bare repos, unborn HEADs and dirty trees."""
    try:
        repo = git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise CommitError(f"{path}: not inside a git working tree") from None
    if repo.bare or repo.working_tree_dir is None:
        raise CommitError(f"{path}: the repository has no working tree")
    if not repo.head.is_valid():
        raise CommitError("the repository has no commits yet; commit something first")
    if repo.is_dirty(index=True, working_tree=True, untracked_files=True):
        dirty = [ln for ln in repo.git.status("--porcelain").splitlines() if ln.strip()]
        raise CommitError(
            f"the working tree has uncommitted changes ({len(dirty)} "
            f"{'path' if len(dirty) == 1 else 'paths'}); commit or stash them before "
            "`gocomply fix --commit`"
        )
    return repo


def check_branch_name(repo: git.Repo, name: str) -> None:
    try:
        repo.git.check_ref_format("--branch", name)
    except git.GitCommandError:
        raise CommitError(f"{name!r} is not a valid branch name") from None
    if name in [h.name for h in repo.heads]:
        raise CommitError(f"branch {name!r} already exists; choose another with --branch")


def create_branch(repo: git.Repo, name: str) -> None:
    """Create ``name`` at HEAD and switch to it (the working tree is clean or holds our edits)."""
    check_branch_name(repo, name)
    repo.create_head(name).checkout()


def repo_relative(repo: git.Repo, path: Path) -> str:
    """``path`` relative to the working tree, posix; `CommitError` when it lies outside."""
    top = Path(os.path.realpath(str(repo.working_tree_dir)))
    real = Path(os.path.realpath(path))
    try:
        return real.relative_to(top).as_posix()
    except ValueError:
        raise CommitError(f"{path}: outside the git working tree {top}") from None


def commit_paths(repo: git.Repo, paths: Sequence[str], message: str) -> str:
    """Stage ``paths`` (repository-relative) and commit them; returns the new commit's sha."""
    repo.git.add("--", *paths)
    repo.git.commit("-m", message, "--", *paths)
    return str(repo.head.commit.hexsha)
