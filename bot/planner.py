"""The pull request lifecycle as a pure decision table.

Input: what the scan proposes for a repository and what gocomply's pull requests and issues
on GitHub look like now. Output: one `Plan`. The executor carries it out; nothing here does I/O.

| situation | plan |
|---|---|
| config broken, no open config issue | OpenIssue |
| config broken, open issue says something else | UpdateIssue |
| config broken, open issue says the same | NoOp |
| config valid (or repo skipped), open config issue | CloseIssue (+ the PR rows below) |
| no proposal, no open PR | NoOp |
| no proposal, open PR by gocomply | ClosePR (findings fixed by hand or gone) + delete branch |
| proposal, every change declined in a closed PR | NoOp (declined) |
| closed PR that gocomply had stopped, branch deleted | not a decline: a hand-back |
| proposal, no open PR, new-PR budget spent | HeldBack |
| proposal, no open PR | OpenPR (linking the last declined PR, if any) |
| open PR, someone else committed, not handed back, not told yet | Stop (one comment) |
| open PR, someone else committed, not handed back, told | NoOp (stopped) |
| open PR, content equal to the proposal | NoOp (zero writes) |
| open PR, proposal changed (or handed back) | UpdatePR (recreate the commits on the base, body) |

"Content" is the proposal's identity: the applied fingerprints, the proposed file texts and the
config hash — not the base commit: a base that moved without touching the proposed files
needs no update (GitHub merges it as it is).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.proposal import Proposal


def content_hash(proposal: Proposal) -> str:
    """Identity of what a pull request would contain (see the module docstring)."""
    h = hashlib.sha256()
    for f in sorted(proposal.changes, key=lambda c: c.path):
        for part in (f.path, f.before, f.after):
            h.update(part.encode("utf-8"))
            h.update(b"\0")
        for side in f.side_files:  # a changed .dockerignore is part of what the PR contains
            for part in (side.path, side.after):
                h.update(part.encode("utf-8"))
                h.update(b"\0")
    h.update(",".join(proposal.fingerprints).encode())
    h.update(proposal.config_hash.encode())
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class PullState:
    """A gocomply pull request as found on GitHub (its marker already parsed)."""

    number: int
    open: bool
    merged: bool
    head_sha: str
    fingerprints: tuple[str, ...] = ()
    declined: tuple[str, ...] = ()  # carried forward in its marker
    content: str = ""
    foreign_commits: bool = False  # a commit not made by the App is on the branch
    handback: bool = False  # the maintainer ticked "let gocomply update this PR again"
    stopped: bool = False  # gocomply already said it stopped updating this PR
    branch_exists: bool = True  # its head branch is still there


@dataclass(frozen=True)
class IssueState:
    number: int
    open: bool
    body: str


@dataclass(frozen=True)
class Situation:
    repo: str
    proposal: Proposal | None  # None: the repository is skipped or has nothing to propose
    pulls: Sequence[PullState] = ()  # gocomply's pull requests on its branch, newest first
    config_error: str | None = None  # the rendered issue body when the config is broken
    config_issue: IssueState | None = None
    may_open: bool = True  # the org's new-PR budget (max_new_prs_per_hour, max_open_prs)
    budget_reason: str = ""


@dataclass(frozen=True)
class Action:
    kind: str
    reason: str = ""
    pr: int | None = None
    declined: tuple[str, ...] = ()
    linked_pr: int | None = None
    proposal: Proposal | None = None
    issue: int | None = None
    body: str = ""
    force: bool = False  # the branch may be rewritten (it holds only the App's commits)


@dataclass(frozen=True)
class Plan:
    repo: str
    actions: tuple[Action, ...] = field(default_factory=tuple)

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(a.kind for a in self.actions)

    @property
    def writes(self) -> bool:
        return any(a.kind not in ("noop", "held-back") for a in self.actions)


def _declined(pulls: Sequence[PullState]) -> tuple[tuple[str, ...], int | None]:
    """Fingerprints declined by maintainers, and the newest declining PR.

    A PR closed without merge declines its fingerprints — unless gocomply had stopped
    updating it and the maintainer deleted the branch, which is how gocomply's "stopped"
    comment says to hand it back (GitHub closes a PR whose head branch is deleted).
    Merged PRs decline nothing. Declines accumulate through the markers.
    """
    declined: set[str] = set()
    last: int | None = None
    for p in pulls:
        declined.update(p.declined)
        handed_back = p.stopped and not p.branch_exists
        if not p.open and not p.merged and not handed_back:
            declined.update(p.fingerprints)
            if last is None:
                last = p.number
    return tuple(sorted(declined)), last


def _issue_actions(s: Situation) -> list[Action]:
    issue = s.config_issue
    if s.config_error is not None:
        if issue is None or not issue.open:
            return [Action("open-issue", "the configuration is invalid", body=s.config_error)]
        if issue.body.strip() != s.config_error.strip():
            return [
                Action(
                    "update-issue",
                    "the configuration error changed",
                    issue=issue.number,
                    body=s.config_error,
                )
            ]
        return [Action("noop", "the configuration issue is up to date", issue=issue.number)]
    if issue is not None and issue.open:
        return [Action("close-issue", "the configuration is valid again", issue=issue.number)]
    return []


def plan(s: Situation) -> Plan:
    actions = _issue_actions(s)
    if s.config_error is not None:
        # a broken config changes nothing else: no PR is opened, updated or closed
        return Plan(s.repo, tuple(actions))
    open_pr = next((p for p in s.pulls if p.open), None)
    declined, declined_by = _declined(s.pulls)
    proposal = s.proposal.without(declined) if s.proposal is not None else None

    if proposal is None or proposal.empty:
        if open_pr is not None:
            why = (
                "every change was declined before"
                if s.proposal is not None and not s.proposal.empty
                else "the findings are gone (fixed by hand, or the files changed)"
            )
            actions.append(Action("close-pr", why, pr=open_pr.number))
        else:
            why = "declined before" if s.proposal is not None and not s.proposal.empty else ""
            actions.append(Action("noop", why or "nothing to propose"))
        return Plan(s.repo, tuple(actions))

    if open_pr is None:
        if not s.may_open:
            actions.append(Action("held-back", s.budget_reason, proposal=proposal))
        else:
            actions.append(
                Action(
                    "open-pr",
                    "new findings",
                    proposal=proposal,
                    declined=declined,
                    linked_pr=declined_by,
                )
            )
        return Plan(s.repo, tuple(actions))

    if open_pr.foreign_commits and not open_pr.handback:
        if open_pr.stopped:
            actions.append(Action("noop", "a maintainer took over this PR", pr=open_pr.number))
        else:
            actions.append(Action("stop", "someone else pushed to the branch", pr=open_pr.number))
        return Plan(s.repo, tuple(actions))

    want = content_hash(proposal)
    if open_pr.content == want and not open_pr.handback:
        actions.append(Action("noop", "the pull request is up to date", pr=open_pr.number))
        return Plan(s.repo, tuple(actions))
    actions.append(
        Action(
            "update-pr",
            "handed back by a maintainer" if open_pr.handback else "the proposal changed",
            pr=open_pr.number,
            proposal=proposal,
            declined=declined,
            linked_pr=declined_by,
            force=True,
        )
    )
    return Plan(s.repo, tuple(actions))
