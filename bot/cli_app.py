"""The commands that talk to GitHub as the App: ``gocomply scan-org``.

Settings come from ``GOCOMPLY_*`` environment variables, overridden by flags (see
`bot.settings`). Exit codes: 0 when the sweep ran (whatever it found), 2 when it could not run
(bad settings, no such installation, broken org config, unreachable GitHub). Without
``--dry-run`` the sweep opens, updates and closes pull requests (and config-error issues).

Import invariant: this module is imported by every ``gocomply`` run (to register the
subcommands), so at module level it imports only the standard library; the App stack (GitHub
client, state store, SQLAlchemy, requests, the PR renderer, the sweep) is imported inside
`cmd_scan_org`, and ``gocomply check`` never loads it (``tests/test_cli_imports.py``).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from bot.remediate import RemediationReport
    from bot.scan import RepoScan
    from bot.settings import Settings


def add_settings_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("GitHub App settings (default: GOCOMPLY_* environment variables)")
    g.add_argument("--app-id", help="GOCOMPLY_APP_ID")
    g.add_argument("--private-key-path", help="GOCOMPLY_PRIVATE_KEY_PATH (or GOCOMPLY_PRIVATE_KEY)")
    g.add_argument("--github-url", help="GOCOMPLY_GITHUB_URL (default https://api.github.com)")
    g.add_argument("--database-url", help="GOCOMPLY_DATABASE_URL (default a SQLite file)")
    g.add_argument("--concurrency", type=int, help="repositories scanned at once (default 4)")


def add_app_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "scan-org",
        parents=[common],
        help="scan an installation's repositories on GitHub",
        description="Scan every repository of a GitHub App installation for Go Dockerfiles and "
        "print the findings and the change gocomply would propose.",
    )
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--installation", type=int, metavar="ID", help="installation id")
    who.add_argument("--org", metavar="NAME", help="organisation (or user) login")
    p.add_argument("--repo", metavar="OWNER/NAME", help="only this repository")
    p.add_argument(
        "--dry-run", action="store_true", help="print what would be proposed; write nothing"
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_settings_flags(p)
    p.set_defaults(func=cmd_scan_org)


class _Progress:
    """A one-line progress bar on a terminal; one plain line per repository otherwise."""

    def __init__(self, err: TextIO) -> None:
        self.err = err
        self.total = 0
        self.done = 0
        self.tty = err.isatty()

    def listed(self, n: int) -> None:
        self.total = n

    def __call__(self, r: RepoScan) -> None:
        self.done += 1
        if self.tty:
            width = 30
            filled = width * self.done // max(self.total, 1)
            bar = "#" * filled + "-" * (width - filled)
            self.err.write(f"\r[{bar}] {self.done}/{self.total} {r.repo[:40]:<40}")
            if self.done >= self.total:
                self.err.write("\n")
        else:
            self.err.write(f"scanned {self.done}/{self.total} {r.repo}: {r.status}\n")
        self.err.flush()


def settings_from(args: argparse.Namespace) -> Settings:
    from bot.settings import Settings

    return Settings.from_env(
        app_id=args.app_id,
        private_key_path=args.private_key_path,
        github_url=args.github_url,
        database_url=args.database_url,
        concurrency=args.concurrency,
    )


def cmd_scan_org(args: argparse.Namespace) -> int:
    # The App stack, imported here and not at module level (see the module docstring).
    from bot.auth import AuthError, redact
    from bot.github import GitHubApp
    from bot.remediate import remediate
    from bot.report import render_json, render_text
    from bot.scorecard import ScorecardClient
    from bot.settings import SettingsError
    from bot.store import Store, StoreError

    out, err = sys.stdout, sys.stderr
    try:
        settings = settings_from(args)
        settings.require_app()  # before the state database is created
        store = Store(settings.database_url)
        app = GitHubApp(settings, store)
    except (SettingsError, StoreError, AuthError) as exc:
        err.write(f"gocomply: error: {redact(str(exc))}\n")
        return 2
    progress = _Progress(err)
    try:
        result = remediate(
            app,
            store,
            settings,
            installation_id=args.installation,
            org=args.org,
            repo=args.repo,
            dry_run=args.dry_run,
            today=date.today(),
            scorecard=ScorecardClient.from_settings(settings, store=store),
            progress=progress,
            on_listed=progress.listed,
        )
    except AuthError as exc:
        err.write(f"gocomply: error: {redact(str(exc))}\n")
        return 2
    finally:
        store.close()
    report = result.sweep
    if args.format == "json":
        data = json.loads(render_json(report))
        data["plans"] = [
            {
                "repo": p.repo,
                "actions": [{"kind": a.kind, "reason": a.reason, "pr": a.pr} for a in p.actions],
            }
            for p in result.plans
        ]
        data["outcomes"] = [
            {
                "repo": o.repo,
                "actions": list(o.kinds),
                "pr": o.pr,
                "issue": o.issue,
                "error": o.error,
                "reason": o.reason,
            }
            for o in result.outcomes
        ]
        data["summary"]["pull_requests"] = result.summary()
        data["summary"]["dry_run"] = result.dry_run
        out.write(json.dumps(data, indent=2, sort_keys=True) + "\n")
    else:
        out.write(render_text(report))
        out.write(render_plans(result))
    if report.org_error and not report.repos:
        err.write(f"gocomply: error: {redact(report.org_error)}\n")
        return 2
    return 0


def render_plans(result: RemediationReport) -> str:
    """What was (or, with --dry-run, would be) done per repository, and the totals."""
    from bot.auth import redact

    verb = "would" if result.dry_run else "did"
    lines = [f"\nPull requests and issues ({verb}):"]
    for o in result.outcomes:
        what = ", ".join(o.kinds) or "nothing"
        extra = f" #{o.pr}" if o.pr else ""
        extra += f" issue #{o.issue}" if o.issue else ""
        reason = f" ({o.reason})" if o.reason else ""
        error = f" ERROR: {redact(o.error)}" if o.error else ""
        lines.append(f"  {o.repo}: {what}{extra}{reason}{error}")
    s = result.summary()
    lines.append("  " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in s.items()))
    return "\n".join(lines) + "\n"
