"""API requests and wall time of `scan-org` sweeps on a synthetic org (local GitHub stand-in).

1,000 repositories (10% with a Go Dockerfile, some with a `.gocomply.yml`, one `.github` repo
with the org config). Prints, for the first sweep and for a no-change rescan, the API requests
made (by the stand-in's own log), requests per repository, 304s and wall time, beside the
targets of issue 4:

- first sweep <= listing pages + 1 tree request per repo + 1 blob request per Dockerfile or
  config file found (+ the org config once, + the installation lookup and its token);
- no-change rescan <= 1.1 x the listing pages (+ the installation lookup).

Run: `python bench/bench_scan.py [--repos 1000] [--go-share 0.1] [--json]`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.github import GitHubApp  # noqa: E402
from bot.logging import configure as configure_logging  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.sweep import run_sweep  # noqa: E402
from tests.github.server import GitHubStandIn  # noqa: E402

GO_DOCKERFILE = "FROM golang:1.22 AS build\nENV GOPROXY=direct\nRUN go build -o /out/app .\n"
OTHER_DOCKERFILE = "FROM nginx:1.27\nCOPY site /usr/share/nginx/html\n"


def build_org(gh: GitHubStandIn, repos: int, go_share: float) -> dict[str, int]:
    gh.create_repo("bench", ".github", files={"gocomply.yml": "opt_out_repos: [archive-*]\n"})
    counts = {"dockerfiles": 0, "configs": 1}
    go_every = max(1, round(1 / go_share)) if go_share > 0 else 0
    for i in range(repos - 1):
        files: dict[str, str] = {"README.md": f"repo {i}\n", "main.go": "package main\n"}
        if go_every and i % go_every == 0:
            files["Dockerfile"] = f"# service {i}\n{GO_DOCKERFILE}"  # distinct blobs
            files["go.mod"] = f"module example.com/r{i}\n\ngo 1.22\n"
            counts["dockerfiles"] += 1
            if i % (go_every * 3) == 0:
                files[".gocomply.yml"] = f"exclude: [testdata/{i}/]\n"
                counts["configs"] += 1
        elif i % 7 == 0:
            files["Dockerfile"] = f"# site {i}\n{OTHER_DOCKERFILE}"
            counts["dockerfiles"] += 1
        gh.create_repo("bench", f"svc-{i:04d}", files=files)
    return counts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--repos", type=int, default=1000)
    ap.add_argument("--go-share", type=float, default=0.1)
    ap.add_argument("--json", action="store_true", help="one JSON line on stdout")
    args = ap.parse_args()
    configure_logging(level="warning")

    with GitHubStandIn.start("") as gh, tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        app_def = gh.create_app()
        counts = build_org(gh, args.repos, args.go_share)
        inst = gh.install(app_def, org="bench")
        setup = time.perf_counter() - t0
        settings = Settings(
            app_id=str(app_def.id),
            private_key=app_def.private_key_pem,
            github_url=gh.url,
            database_url=f"sqlite:///{Path(tmp) / 'state.sqlite3'}",
        )
        store = Store(settings.database_url)
        app = GitHubApp(settings, store)
        pages = -(-args.repos // settings.per_page)

        runs = []
        for label in ("first sweep", "no-change rescan"):
            gh.reset_log()
            t = time.perf_counter()
            report = run_sweep(app, store, settings, installation_id=inst.id)
            wall = time.perf_counter() - t
            api = gh.api_requests()
            runs.append(
                {
                    "run": label,
                    "requests": len(api),
                    "not_modified": sum(1 for r in api if r[2] == 304),
                    "per_repo": len(api) / args.repos,
                    "wall_s": round(wall, 2),
                    "scanned": report.count("scanned"),
                    "unchanged": report.count("unchanged"),
                    "errors": report.count("error") + report.count("config-error"),
                }
            )
        violations = gh.take_violations()

    first_target = pages + args.repos + counts["dockerfiles"] + counts["configs"] + 2
    rescan_target = 1.1 * pages + 1
    result = {
        "repos": args.repos,
        "listing_pages": pages,
        "go_dockerfiles": counts,
        "setup_s": round(setup, 2),
        "runs": runs,
        "first_target": first_target,
        "rescan_target": rescan_target,
        "first_within_target": runs[0]["requests"] <= first_target,
        "rescan_within_target": runs[1]["requests"] <= rescan_target,
        "contract_violations": len(violations),
    }
    if args.json:
        print(json.dumps(result, sort_keys=True))
    else:
        print(
            f"synthetic org: {args.repos} repos, {counts['dockerfiles']} Dockerfiles, "
            f"{counts['configs']} config files, {pages} listing pages (setup {setup:.1f} s)"
        )
        print(f"{'run':<18} {'requests':>8} {'per repo':>8} {'304s':>6} {'wall s':>7}  target")
        for r, target in zip(runs, (first_target, rescan_target), strict=True):
            print(
                f"{r['run']:<18} {r['requests']:>8} {r['per_repo']:>8.3f} "
                f"{r['not_modified']:>6} {r['wall_s']:>7}  <= {target:g}"
            )
        print(f"contract violations: {len(violations)}")
    ok = result["first_within_target"] and result["rescan_within_target"] and not violations
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
