"""Carries out a `bot.planner.Plan` on GitHub through `bot.github`.

Invariants:
- Commits are made with the Git Data API as the installation, with no author, committer or
  signature fields, so GitHub signs them as the App (Verified); one commit per rule family.
- The branch is only ever rewritten when it holds nothing but the App's commits (or the
  maintainer handed it back by ticking the box); a maintainer's commit is never overwritten,
  and a branch with a maintainer's commit is never deleted.
- A pull request body carries the machine-readable marker (fingerprints, declined
  fingerprints, content hash, stopped flag): the lifecycle state lives on GitHub.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import structlog

from bot import pr_body
from bot.config import RepoConfig
from bot.github import CommitInfo, GitHubError, InstallationClient, PullInfo, Repo
from bot.planner import Action, IssueState, Plan, PullState, content_hash
from bot.proposal import Proposal
from bot.scorecard import ScorecardStatus, pinned_dependencies
from rewriters.registry import family_of

log = structlog.get_logger("gocomply.executor")

CONFIG_ISSUE_TITLE = "gocomply: configuration error"


class StaleProposal(Exception):
    """The default branch moved since the scan; the repository must be scanned again."""


@dataclass
class Outcome:
    repo: str
    kinds: tuple[str, ...] = ()
    pr: int | None = None
    issue: int | None = None
    error: str | None = None
    reason: str = ""


@dataclass
class RepoPulls:
    """gocomply's pull requests and config issue in one repository, as read from GitHub."""

    pulls: list[PullState] = field(default_factory=list)
    raw: dict[int, PullInfo] = field(default_factory=dict)
    issue: IssueState | None = None


def bot_login(slug: str) -> str:
    return f"{slug}[bot]"


def read_state(client: InstallationClient, repo: Repo, *, branch: str, slug: str) -> RepoPulls:
    """The PRs on gocomply's branch (newest first) with their markers, and the config issue."""
    state = RepoPulls()
    me = bot_login(slug)
    for p in sorted(client.pulls(repo, state="all", head_branch=branch), key=lambda p: -p.number):
        if p.user_login != me:
            continue  # someone else's PR from a branch of the same name
        marker = pr_body.parse_marker(p.body)
        foreign = False
        if p.state == "open":
            commits = client.pull_commits(repo, p.number)
            foreign = any(not _by_app(c, me) for c in commits)
        state.raw[p.number] = p
        stopped = bool(marker.stopped) if marker else False
        exists = True
        if p.state != "open" and not p.merged and stopped:
            exists = client.branch_sha(repo, branch) is not None
        state.pulls.append(
            PullState(
                number=p.number,
                open=p.state == "open",
                merged=p.merged,
                head_sha=p.head_sha,
                fingerprints=tuple(marker.fingerprints) if marker else (),
                declined=tuple(marker.declined) if marker else (),
                content=marker.content if marker else "",
                foreign_commits=foreign,
                handback=pr_body.handback_requested(p.body),
                stopped=stopped,
                branch_exists=exists,
            )
        )
    for issue in client.issues(repo, state="open", creator=me):
        if issue.title == CONFIG_ISSUE_TITLE:
            state.issue = IssueState(issue.number, True, issue.body)
            break
    return state


def _by_app(c: CommitInfo, me: str) -> bool:
    return c.author_login == me


@dataclass
class Executor:
    client: InstallationClient
    slug: str
    scorecard: Callable[[Repo], ScorecardStatus | None] = lambda r: None
    on_opened: Callable[[Repo, int], None] = lambda r, n: None
    expected_tree: str = ""  # the default branch's tree the proposal was computed from

    def run(self, repo: Repo, plan: Plan, config: RepoConfig | None, state: RepoPulls) -> Outcome:
        out = Outcome(repo.full_name, plan.kinds)
        for action in plan.actions:
            try:
                self._do(repo, action, config or RepoConfig(), state, out)
            except GitHubError as exc:
                out.error = str(exc)
                log.warning(
                    "plan.failed",
                    repo=repo.full_name,
                    action=action.kind,
                    status=exc.status,
                    error=exc.message,
                )
                break
        return out

    # -- actions ---------------------------------------------------------------------------

    def _do(self, repo: Repo, a: Action, cfg: RepoConfig, state: RepoPulls, out: Outcome) -> None:
        branch = f"{cfg.pr.branch_prefix}remediate"
        if a.kind in ("noop", "held-back"):
            out.reason = a.reason
            return
        if a.kind == "open-issue":
            title, body = CONFIG_ISSUE_TITLE, a.body
            issue = self.client.create_issue(repo, title=title, body=body, labels=list(cfg.labels))
            out.issue = issue.number
        elif a.kind == "update-issue":
            assert a.issue is not None
            self.client.update_issue(repo, a.issue, body=a.body)
            out.issue = a.issue
        elif a.kind == "close-issue":
            assert a.issue is not None
            self.client.comment(repo, a.issue, "The configuration is valid again; closing.")
            self.client.update_issue(repo, a.issue, state="closed")
            out.issue = a.issue
        elif a.kind == "open-pr":
            assert a.proposal is not None
            out.pr = self._open(repo, a, cfg, branch)
        elif a.kind == "update-pr":
            assert a.proposal is not None and a.pr is not None
            self._update(repo, a, cfg, branch, state.raw[a.pr])
            out.pr = a.pr
        elif a.kind == "stop":
            assert a.pr is not None
            self._stop(repo, state.raw[a.pr], branch)
            out.pr = a.pr
        elif a.kind == "close-pr":
            assert a.pr is not None
            self._close(repo, state, a, branch)
            out.pr = a.pr
        log.info("plan.done", repo=repo.full_name, action=a.kind, reason=a.reason)

    def _commit_chain(self, repo: Repo, proposal: Proposal, base: CommitInfo) -> str:
        """Recreate the proposal as one commit per rule family on ``base``; the head sha.

        Refuses (`StaleProposal`) when the base is not the tree the proposal was computed
        from: writing its texts then could undo someone's newer change to those files.
        """
        if self.expected_tree and base.tree != self.expected_tree:
            raise StaleProposal(repo.full_name)
        parent, tree = base.sha, base.tree
        for codes, texts in commit_plan(proposal):
            blobs = {
                path: self.client.create_blob(repo, text.encode("utf-8"))
                for path, text in texts.items()
            }
            tree = self.client.create_tree(repo, tree, blobs)
            message = pr_body.render_commit_message(codes, proposal)
            parent = self.client.create_commit(repo, message, tree, [parent])
        return parent

    def _body(
        self, repo: Repo, proposal: Proposal, a: Action, base_sha: str, *, stopped: bool = False
    ) -> str:
        before = pinned_dependencies({f.path: f.before for f in proposal.changes})
        after = pinned_dependencies({f.path: f.after for f in proposal.changes})
        return pr_body.render_body(
            proposal,
            scorecard=self.scorecard(repo),
            pinned_before=before,
            pinned_after=after,
            declined_pr=a.linked_pr,
            config_hash=proposal.config_hash,
            declined=a.declined,
            base_sha=base_sha,
            content=content_hash(proposal),
            stopped=stopped,
        )

    def _open(self, repo: Repo, a: Action, cfg: RepoConfig, branch: str) -> int:
        assert a.proposal is not None
        base = self.client.commit(repo, repo.default_branch)
        head = self._commit_chain(repo, a.proposal, base)
        existing = self.client.branch_sha(repo, branch)
        if existing is None:
            self.client.create_branch(repo, branch, head)
        else:
            # a leftover branch (of a closed PR, or of a run that failed before opening one):
            # only ours may be moved; someone's own branch of that name is left alone
            tip = self.client.commit(repo, existing)
            if tip.author_login != bot_login(self.slug):
                raise GitHubError(
                    409,
                    "PATCH",
                    f"/repos/{repo.full_name}/git/refs/heads/{branch}",
                    f"branch {branch} exists with commits that are not gocomply's; delete or "
                    "rename it, or set pr.branch_prefix in .gocomply.yml",
                )
            self.client.move_branch(repo, branch, head, force=True)
        pr = self.client.create_pull(
            repo,
            title=pr_body.render_title(a.proposal, prefix=cfg.pr.title_prefix),
            body=self._body(repo, a.proposal, a, base.sha),
            head=branch,
            base=repo.default_branch,
            draft=cfg.pr.draft,
        )
        self.client.add_labels(repo, pr.number, list(cfg.labels))
        self.client.request_reviewers(repo, pr.number, list(cfg.reviewers))
        self.client.add_assignees(repo, pr.number, list(cfg.assignees))
        self.on_opened(repo, pr.number)
        return pr.number

    def _update(self, repo: Repo, a: Action, cfg: RepoConfig, branch: str, pr: PullInfo) -> None:
        assert a.proposal is not None and a.pr is not None
        base = self.client.commit(repo, repo.default_branch)
        head = self._commit_chain(repo, a.proposal, base)
        # rebase by recreating the commits; the planner only gets here when the branch holds
        # nothing but the App's commits, or the maintainer handed it back
        self.client.move_branch(repo, branch, head, force=True)
        body = pr_body.clear_handback(self._body(repo, a.proposal, a, base.sha))
        self.client.update_pull(
            repo,
            a.pr,
            title=pr_body.render_title(a.proposal, prefix=cfg.pr.title_prefix),
            body=body,
        )

    def _stop(self, repo: Repo, pr: PullInfo, branch: str) -> None:
        self.client.comment(
            repo,
            pr.number,
            f"Someone else pushed to `{branch}`, so gocomply stopped updating this pull request "
            "and will not force-push over those commits.\n\n"
            "To hand it back, either delete the branch (gocomply then opens a fresh pull "
            "request on its next run), or tick *Let gocomply update this PR again* in the "
            "description (gocomply then recreates its commits on the current default branch, "
            "replacing the extra commits).",
        )
        self.client.update_pull(repo, pr.number, body=pr_body.mark_stopped(pr.body))

    def _close(self, repo: Repo, state: RepoPulls, a: Action, branch: str) -> None:
        assert a.pr is not None
        self.client.comment(
            repo,
            a.pr,
            f"gocomply is closing this pull request: {a.reason}. Nothing is left to propose "
            "for these Dockerfiles.",
        )
        self.client.update_pull(repo, a.pr, state="closed")
        ours = next((p for p in state.pulls if p.number == a.pr), None)
        if ours is not None and not ours.foreign_commits:
            self.client.delete_branch(repo, branch)


def commit_plan(proposal: Proposal) -> list[tuple[tuple[str, ...], Mapping[str, str]]]:
    """The commits to make, in order: the codes each applies and the file texts after it.

    One commit per rule family, each file at its text after that family's fixes (a file the
    family does not touch is left out); the other files the fixes change (a created or edited
    ``.dockerignore``) go into the commit of the family whose rule changed them. Without
    per-family texts, one commit with everything.
    """
    changes = proposal.changes
    if any(not f.families for f in changes):
        texts = {f.path: f.after for f in changes if f.after != f.before}
        texts.update((s.path, s.after) for f in changes for s in f.side_files)
        return [(proposal.codes, texts)]
    out: list[tuple[tuple[str, ...], Mapping[str, str]]] = []
    for codes in pr_body.commit_groups(proposal):
        family = family_of(codes[0])
        texts = {f.path: t for f in changes for fam, t in f.families if fam == family}
        # side files (a .dockerignore) at their text after this family's fixes; Dockerfiles
        # are analysed in path order, so a later one's text already holds an earlier one's
        texts.update(
            (s.path, t)
            for f in changes
            for s in f.side_files
            for code, t in s.steps
            if family_of(code) == family
        )
        if texts:
            out.append((codes, texts))
    return out
