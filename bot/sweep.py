"""One sweep of one installation, end to end: installation → repositories → org config → scan.

The org configuration (``gocomply.yml`` in the org's ``.github`` repository by default) is
read once per sweep; when that repository is in the listing with an unchanged ``pushed_at``
the stored copy is used and no request is made. A broken org configuration stops that org's
sweep with one clear error: no silent fallback to defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import structlog

from bot.config import ConfigError, OrgConfig, OrgResolver, parse_org_config
from bot.github import BudgetExhausted, GitHubApp, GitHubError, InstallationClient, Repo
from bot.scan import RepoScan, Scanner, SweepReport
from bot.settings import Settings
from bot.store import Store

log = structlog.get_logger("gocomply.sweep")


def _org_config(
    client: InstallationClient,
    store: Store,
    settings: Settings,
    account: str,
    repos: list[Repo],
) -> OrgConfig | None:
    """The parsed org config, or None when the org has none; ConfigError when broken."""
    holder = next((r for r in repos if r.name == settings.org_config_repo), None)
    path = f"{settings.org_config_repo}/{settings.org_config_path}"
    key = f"orgcfg:{holder.id}:{holder.pushed_at}" if holder is not None else None
    cached = store.recall(key) if key else None
    if cached is not None:
        # b"-" marks "the org has no config file" (an empty file would be b"+")
        data: bytes | None = cached[1:] if cached[:1] == b"+" else None
    else:
        target = holder or Repo(0, account, settings.org_config_repo, "main")
        data = client.file(target, settings.org_config_path)
        if key is not None:
            store.remember(key, b"-" if data is None else b"+" + data)
    if data is None:
        return None
    return parse_org_config(data, path)


def run_sweep(
    app: GitHubApp,
    store: Store,
    settings: Settings,
    *,
    installation_id: int | None = None,
    org: str | None = None,
    repo: str | None = None,
    today: date | None = None,
    progress: Callable[[RepoScan], None] | None = None,
    on_listed: Callable[[int], None] | None = None,
) -> SweepReport:
    """Scan one installation (by id or org login); never raises for GitHub or config errors."""
    before = app.counters.requests
    before_304 = app.counters.not_modified
    try:
        if installation_id is not None:
            inst = app.installation(installation_id)
        elif org is not None:
            inst = app.installation_for_org(org)
        else:
            raise ValueError("run_sweep needs installation_id or org")
    except GitHubError as exc:
        report = SweepReport(installation_id or 0, org or "")
        report.org_error = f"cannot find the installation: {exc}"
        return report
    report = SweepReport(inst.id, inst.account)
    client = app.client(inst.id)
    try:
        repos = list(client.repositories())
        report.listed = len(repos)
        org_cfg = _org_config(client, store, settings, inst.account, repos)
    except BudgetExhausted as exc:
        report.budget_exhausted = True
        report.org_error = str(exc)
        return _finish(report, app, before, before_304)
    except ConfigError as exc:
        report.org_error = f"organisation configuration is invalid: {exc}"
        log.error("org.config_error", installation=inst.id, org=inst.account, error=str(exc))
        return _finish(report, app, before, before_304)
    except GitHubError as exc:
        report.org_error = str(exc)
        return _finish(report, app, before, before_304)
    if repo is not None:
        chosen = [r for r in repos if r.full_name.lower() == repo.lower()]
        if not chosen:
            report.org_error = f"{repo} is not a repository of installation {inst.id}"
            return _finish(report, app, before, before_304)
        repos = chosen
    if on_listed is not None:
        on_listed(len(repos))
    scanner = Scanner(
        client, store, concurrency=settings.concurrency, today=today, progress=progress
    )
    report.listing = {r.id: r for r in repos}
    report.resolver = OrgResolver(org_cfg)
    report.repos = scanner.sweep(repos, report.resolver)
    report.budget_exhausted = any(r.status == "deferred" for r in report.repos)
    return _finish(report, app, before, before_304)


def _finish(report: SweepReport, app: GitHubApp, before: int, before_304: int) -> SweepReport:
    report.requests = app.counters.requests - before
    report.not_modified = app.counters.not_modified - before_304
    log.info(
        "sweep.done",
        installation=report.installation_id,
        org=report.account,
        repos=len(report.repos),
        requests=report.requests,
        not_modified=report.not_modified,
        error=report.org_error,
    )
    return report
