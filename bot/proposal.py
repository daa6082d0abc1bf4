"""What gocomply proposes for one repository: the data a pull request is made from. Pure.

A `Proposal` is built from a repository's scan (`bot.scan.RepoScan`): the files whose text the
verified fixes change, every finding (applied, suggested or only reported) — the engine's own
`rewriters.findings.Finding`s — and the fingerprints that identify the changes across runs
(`rewriters.findings.fingerprint`). Declined pull requests remember these fingerprints; the
same change is not proposed again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rewriters.edits import SideFile
from rewriters.findings import Finding

if TYPE_CHECKING:
    from bot.scan import FileReport

WORKFLOWS_DIR = ".github/workflows/"
WORKFLOWS_NOTE = (
    "not applied: files under .github/workflows/ can only be changed with the `workflows` "
    "permission, which gocomply does not ask for; apply the fix by hand"
)


@dataclass(frozen=True)
class FileChange:
    """One Dockerfile: its text before and after the applied fixes, and its findings."""

    path: str
    before: str
    after: str
    findings: tuple[Finding, ...]
    # text after each rule family's fixes: (("GC1", text), ("GC2", text)); one commit each
    families: tuple[tuple[str, str], ...] = ()
    # other files its fixes change (the context's .dockerignore), committed with it
    side_files: tuple[SideFile, ...] = ()

    @property
    def changed(self) -> bool:
        return self.before != self.after or bool(self.side_files)


@dataclass(frozen=True)
class Proposal:
    repo: str  # owner/name
    base_branch: str
    files: tuple[FileChange, ...]
    config_hash: str
    tool_version: str

    @property
    def changes(self) -> tuple[FileChange, ...]:
        return tuple(f for f in self.files if f.changed)

    @property
    def applied(self) -> tuple[tuple[str, Finding], ...]:
        """(path, finding) for every finding whose fix is in the proposal."""
        return tuple((f.path, x) for f in self.files for x in f.findings if x.fix_applied)

    @property
    def suggestions(self) -> tuple[tuple[str, Finding], ...]:
        return tuple((f.path, x) for f in self.files for x in f.findings if x.suggestion)

    @property
    def fingerprints(self) -> tuple[str, ...]:
        """Fingerprints of the applied fixes, sorted: the identity of this proposal."""
        return tuple(sorted({x.fingerprint for _, x in self.applied}))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(sorted({x.code for _, x in self.applied}))

    @property
    def empty(self) -> bool:
        return not self.changes

    @staticmethod
    def from_reports(
        repo: str,
        base_branch: str,
        reports: Iterable[FileReport],
        config_hash: str,
        tool_version: str,
    ) -> Proposal:
        """From `bot.scan.FileReport`s: every Go Dockerfile with its findings and texts."""
        files = []
        for r in reports:
            if r.error is not None or r.skipped is not None:
                continue
            findings = r.findings
            before = r.before or ""
            after = r.after or before
            sides = tuple(getattr(r, "side_files", ()))
            if r.path.startswith(WORKFLOWS_DIR) and (before != after or sides):
                # changing these files needs the `workflows` permission the App does not ask for
                after = before
                sides = ()
                findings = tuple(
                    replace(x, fix_applied=False, note=WORKFLOWS_NOTE) if x.fix_applied else x
                    for x in findings
                )
            if findings or before != after or sides:
                families = tuple(getattr(r, "families", ()))
                files.append(FileChange(r.path, before, after, findings, families, sides))
        return Proposal(repo, base_branch, tuple(files), config_hash, tool_version)

    def without(self, declined: Iterable[str]) -> Proposal:
        """The proposal minus files whose applied fixes were all declined before.

        A file is dropped only when every fingerprint of its applied fixes was declined: a
        file with one new finding is proposed again, whole (its text cannot be split).
        """
        gone = set(declined)
        keep = []
        for f in self.files:
            fps = {x.fingerprint for x in f.findings if x.fix_applied}
            if fps and fps <= gone:
                continue
            keep.append(f)
        return Proposal(
            self.repo, self.base_branch, tuple(keep), self.config_hash, self.tool_version
        )
