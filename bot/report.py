"""Rendering of a sweep (the ``scan-org --dry-run`` report): text and JSON. Pure."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from bot.scan import RepoScan, SweepReport

STATUS_WORDS = {
    "scanned": "scanned",
    "unchanged": "unchanged since the last scan",
    "skipped": "skipped",
    "config-error": "configuration error",
    "error": "error",
    "deferred": "deferred (rate limit; next run)",
}


def summary(report: SweepReport) -> dict[str, Any]:
    looked = [r for r in report.repos if r.status in ("scanned", "unchanged")]
    with_go = [r for r in looked if r.go_files]
    with_findings = [r for r in looked if r.findings]
    per_rule: Counter[str] = Counter()
    fixable: Counter[str] = Counter()
    for r in looked:
        for f in r.files:
            for finding in f.findings:
                per_rule[finding.code] += 1
                if finding.fix_applied:
                    fixable[finding.code] += 1
    statuses = Counter(r.status for r in report.repos)
    return {
        "installation": report.installation_id,
        "account": report.account,
        "repos_listed": report.listed,
        "repos_scanned": len(looked),
        "repos_with_go_dockerfiles": len(with_go),
        "repos_with_findings": len(with_findings),
        "repos_by_status": dict(sorted(statuses.items())),
        "findings_per_rule": dict(sorted(per_rule.items())),
        "fixes_per_rule": dict(sorted(fixable.items())),
        "api_requests": report.requests,
        "api_not_modified": report.not_modified,
        "rate_limited": report.budget_exhausted,
        "error": report.org_error,
    }


def render_json(report: SweepReport) -> str:
    data = {
        "version": 1,
        "summary": summary(report),
        "repos": [r.as_dict() for r in report.repos],
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def _repo_text(r: RepoScan) -> list[str]:
    head = f"== {r.repo}: {STATUS_WORDS[r.status]}"
    if r.reason:
        head += f" ({r.reason})"
    lines = [head]
    if r.config_error:
        e = r.config_error
        key = f" {e['key']}:" if e.get("key") else ""
        lines.append(f"  {e['file']}:{e['line']}:{key} {e['message']}")
    for f in r.files:
        if f.error:
            lines.append(f"  {f.path}: error: {f.error}")
            continue
        if f.skipped:
            lines.append(f"  {f.path}: skipped ({f.skipped})")
            continue
        for finding in f.findings:
            mark = "fix" if finding.fix_applied else "report"
            lines.append(
                f"  {f.path}:{finding.line}:{finding.column}: {finding.code} "
                f"[{finding.severity}] ({mark}) {finding.message}"
            )
        if f.diff:
            lines.extend("    " + d for d in f.diff.splitlines())
    return lines


def render_text(report: SweepReport) -> str:
    s = summary(report)
    out: list[str] = []
    if report.org_error:
        out.append(f"error: {report.account or report.installation_id}: {report.org_error}")
    for r in report.repos:
        if r.status == "skipped" and not r.files:
            out.append(f"== {r.repo}: skipped ({r.reason})")
            continue
        out.extend(_repo_text(r))
    rows = [
        ("repositories listed", s["repos_listed"]),
        ("scanned (incl. unchanged)", s["repos_scanned"]),
        ("with Go Dockerfiles", s["repos_with_go_dockerfiles"]),
        ("with findings", s["repos_with_findings"]),
    ]
    rows += [(f"  {status}", n) for status, n in s["repos_by_status"].items()]
    rows += [(f"findings {code}", n) for code, n in s["findings_per_rule"].items()]
    rows += [
        ("API requests", s["api_requests"]),
        ("  of which 304 Not Modified", s["api_not_modified"]),
    ]
    width = max(len(k) for k, _ in rows)
    out.append("")
    out.append(f"Summary for {report.account} (installation {report.installation_id})")
    out.extend(f"  {k.ljust(width)}  {v}" for k, v in rows)
    if report.budget_exhausted:
        out.append("  the rate limit ran out: the deferred repositories are scanned next run")
    return "\n".join(out) + "\n"
