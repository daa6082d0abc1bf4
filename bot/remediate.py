"""A sweep that acts: scan an installation, plan each repository, carry the plans out.

The org's new-PR budget (``max_new_prs_per_hour``, default 10, across all repositories of
the installation) and ``max_open_prs`` are enforced here: what they hold back is listed
(``held-back``) and picked up by a later run. With ``dry_run`` the plans are computed and
reported, and nothing is written.

GitHub is read only where something can happen: repositories with findings, a broken config,
or a gocomply pull request or issue remembered from an earlier run. An org with nothing to
fix costs no pull-request reads at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import structlog

from bot import pr_body
from bot.config import OrgResolver, RepoConfig
from bot.executor import Executor, Outcome, RepoPulls, StaleProposal, read_state
from bot.github import GitHubApp, GitHubError, Repo
from bot.output import tool_version
from bot.planner import Plan, Situation, plan
from bot.proposal import Proposal
from bot.scan import RepoScan, Scanner, SweepReport
from bot.scorecard import ScorecardClient, ScorecardStatus
from bot.settings import Settings
from bot.store import Store
from bot.sweep import run_sweep

log = structlog.get_logger("gocomply.remediate")


@dataclass
class RemediationReport:
    sweep: SweepReport
    plans: list[Plan] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    dry_run: bool = True

    def count(self, kind: str) -> int:
        return sum(1 for p in self.plans for a in p.actions if a.kind == kind)

    def summary(self) -> dict[str, int]:
        errors = sum(1 for o in self.outcomes if o.error) + sum(
            1 for r in self.sweep.repos if r.status == "error"
        )
        return {
            "opened": self.count("open-pr"),
            "updated": self.count("update-pr"),
            "closed": self.count("close-pr"),
            "stopped": self.count("stop"),
            "unchanged": self.count("noop"),
            "held_back": self.count("held-back"),
            "issues_opened": self.count("open-issue"),
            "issues_updated": self.count("update-issue"),
            "issues_closed": self.count("close-issue"),
            "deferred": self.sweep.count("deferred"),
            "errors": errors,
        }


def _issue_key(repo_id: int) -> str:
    return f"config-issue:{repo_id}"


def _config_issue_body(scan: RepoScan) -> str | None:
    if scan.config_error is None:
        return None
    return pr_body.render_config_issue(scan.config_error)[1]


@dataclass
class _Budget:
    opened_last_hour: int
    open_now: int
    per_hour: int
    max_open: int | None

    def check(self) -> tuple[bool, str]:
        if self.opened_last_hour >= self.per_hour:
            return False, (
                f"{self.per_hour} new pull requests were opened in the last hour "
                "(max_new_prs_per_hour); this one follows on a later run"
            )
        if self.max_open is not None and self.open_now >= self.max_open:
            return False, (
                f"{self.open_now} gocomply pull requests are open (max_open_prs "
                f"{self.max_open}); this one follows when some are merged or closed"
            )
        return True, ""


def remediate(
    app: GitHubApp,
    store: Store,
    settings: Settings,
    *,
    installation_id: int | None = None,
    org: str | None = None,
    repo: str | None = None,
    dry_run: bool = False,
    today: date | None = None,
    scorecard: ScorecardClient | None = None,
    progress: Callable[[RepoScan], None] | None = None,
    on_listed: Callable[[int], None] | None = None,
    clock: Callable[[], float] = time.time,
) -> RemediationReport:
    sweep = run_sweep(
        app,
        store,
        settings,
        installation_id=installation_id,
        org=org,
        repo=repo,
        today=today,
        progress=progress,
        on_listed=on_listed,
    )
    report = RemediationReport(sweep, dry_run=dry_run)
    if sweep.org_error is not None and not sweep.repos:
        return report
    resolver = sweep.resolver
    assert isinstance(resolver, OrgResolver)
    org_cfg = resolver.settings
    client = app.client(sweep.installation_id)
    try:
        slug = app.slug()
    except GitHubError as exc:
        sweep.org_error = f"cannot read the App: {exc}"
        return report
    budget = _Budget(
        store.opened_since(sweep.installation_id, clock() - 3600),
        store.open_pulls(sweep.installation_id),
        org_cfg.max_new_prs_per_hour,
        org_cfg.max_open_prs,
    )
    cards: dict[str, ScorecardStatus | None] = {}

    def card(r: Repo) -> ScorecardStatus | None:
        if scorecard is None:
            return None
        if r.full_name not in cards:
            cards[r.full_name] = scorecard.get(r.owner, r.name, private=r.private)
        return cards[r.full_name]

    def opened(r: Repo, number: int) -> None:
        store.record_pull(
            sweep.installation_id, r.id, r.full_name, number, open_=True, opened_at=clock()
        )
        budget.opened_last_hour += 1
        budget.open_now += 1

    executor = Executor(client, slug, scorecard=card, on_opened=opened)
    version = tool_version()
    scanner = Scanner(client, store, today=today)

    def handle(scan: RepoScan, r: Repo, *, retry: bool) -> None:
        proposal: Proposal | None = None
        cfg: RepoConfig | None = None
        if scan.status in ("scanned", "unchanged"):
            proposal = Proposal.from_reports(
                r.full_name, r.default_branch, scan.files, scan.config_hash, version
            )
            cfg = resolver.decide(r, scan.config_text).config
        issue_body = _config_issue_body(scan)
        known_pull = store.pull_of(r.id)
        known_issue = store.recall(_issue_key(r.id))
        interesting = (
            (proposal is not None and not proposal.empty)
            or issue_body is not None
            or (known_pull is not None and known_pull[1])
            or known_issue == b"open"
        )
        if not interesting:
            return
        # a repo with a broken (or no usable) config still gets the org-level PR settings
        pr_cfg = cfg or resolver.decide(r, None).config or RepoConfig()
        branch = f"{pr_cfg.pr.branch_prefix}remediate"
        try:
            state = read_state(client, r, branch=branch, slug=slug)
        except GitHubError as exc:
            report.outcomes.append(Outcome(r.full_name, error=str(exc)))
            return
        if known_pull is not None and known_pull[1] and not any(x.open for x in state.pulls):
            # closed or merged on GitHub since the last run: its slot is free again
            budget.open_now = max(0, budget.open_now - 1)
        may_open, why = budget.check()
        p = plan(
            Situation(
                r.full_name,
                proposal,
                state.pulls,
                config_error=issue_body,
                config_issue=state.issue,
                may_open=may_open,
                budget_reason=why,
            )
        )
        if dry_run or not p.writes:
            report.plans.append(p)
            report.outcomes.append(Outcome(r.full_name, p.kinds, reason=_reason(p)))
            if dry_run and "open-pr" in p.kinds:  # counted against the budget like a real one
                budget.opened_last_hour += 1
                budget.open_now += 1
            if not dry_run:
                _remember(store, sweep.installation_id, r, state, p, report.outcomes[-1])
            return
        executor.expected_tree = scan.head_sha
        try:
            outcome = executor.run(r, p, pr_cfg, state)
        except StaleProposal:
            if not retry:
                report.outcomes.append(
                    Outcome(r.full_name, error="the default branch keeps moving; next run")
                )
                return
            # the default branch moved after the scan: scan again, plan again (once)
            log.info("repo.rescan", repo=r.full_name, reason="default branch moved")
            handle(scanner.scan_repo(r, resolver, force=True), r, retry=False)
            return
        report.plans.append(p)
        report.outcomes.append(outcome)
        if "close-pr" in p.kinds and outcome.error is None:
            budget.open_now = max(0, budget.open_now - 1)
        _remember(store, sweep.installation_id, r, state, p, outcome)

    for scan in sweep.repos:
        r = sweep.listing.get(scan.repo_id)
        if r is None or scan.status in ("error", "deferred"):
            continue
        try:
            handle(scan, r, retry=True)
        except Exception as exc:  # a bug must cost one repository, not the sweep
            log.error("repo.internal_error", repo=r.full_name, error=type(exc).__name__)
            report.outcomes.append(
                Outcome(r.full_name, error=f"internal error: {type(exc).__name__}: {exc}")
            )
    return report


def _reason(p: Plan) -> str:
    return "; ".join(a.reason for a in p.actions if a.reason)


def _remember(
    store: Store, installation_id: int, r: Repo, state: RepoPulls, p: Plan, outcome: Outcome
) -> None:
    """What the next run needs to know without reading GitHub for this repository."""
    failed = outcome.error is not None
    open_pr = next((x.number for x in state.pulls if x.open), None)
    if "close-pr" in p.kinds and not failed and open_pr is not None:
        store.record_pull(installation_id, r.id, r.full_name, open_pr, open_=False)
    elif open_pr is not None:
        store.record_pull(installation_id, r.id, r.full_name, open_pr, open_=True)
    elif "open-pr" not in p.kinds:
        prev = store.pull_of(r.id)
        if prev is not None and prev[1]:
            store.record_pull(installation_id, r.id, r.full_name, prev[0], open_=False)
    if failed:
        return
    if "open-issue" in p.kinds or (state.issue is not None and "close-issue" not in p.kinds):
        store.remember(_issue_key(r.id), b"open")
    elif "close-issue" in p.kinds or state.issue is None:
        store.remember(_issue_key(r.id), b"closed")
