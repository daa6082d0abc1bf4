"""scan-org against the local GitHub: an org of ~20 repositories, faults, budgets, GHES."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.github import GitHubApp
from bot.scan import SweepReport
from bot.settings import Settings
from bot.store import Store
from bot.sweep import run_sweep
from tests.github.model import App, Installation
from tests.github.server import GitHubStandIn

GO_MOD = "module example.com/svc\n\ngo 1.22\n"
ORG_CONFIG = """\
opt_out_repos: ["legacy-*"]
goproxy: https://goproxy.acme.internal
private_patterns: ["github.com/acme/*"]
rules: {GC2: off}  # these tests are about the sweep (see tests/catalogue.py)
"""
GOOD = """\
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
USER 65532:65532
ENTRYPOINT ["/app"]
"""


def _org(gh: GitHubStandIn) -> None:
    gh.create_repo("acme", ".github", files={"gocomply.yml": ORG_CONFIG})
    gh.create_repo(
        "acme",
        "api",
        files={
            "Dockerfile": "FROM golang:1.22\nENV GOPROXY=direct\nRUN go build ./...\n",
            "go.mod": GO_MOD,
        },
    )
    gh.create_repo(
        "acme",
        "worker",
        files={
            "Dockerfile": "FROM golang:1.22\nCOPY . .\nRUN go get -u ./... && go build\n",
            "go.mod": GO_MOD,
        },
    )
    gh.create_repo("acme", "web", files={"Dockerfile": "FROM nginx:1.27\nCOPY site /usr/share\n"})
    gh.create_repo("acme", "docs", files={"README.md": "docs\n"})
    gh.create_repo(
        "acme",
        "mono",
        files={
            "services/a/Dockerfile": "FROM golang:1.22\nRUN GOSUMDB=off go build ./...\n",
            "services/a/go.mod": GO_MOD,
            "services/b/build.Dockerfile": GOOD,
            "tools/Containerfile": "FROM golang:1.22-alpine\nENV GOROOT=/usr/local/go\n"
            "RUN go build ./...\n",
            "vendor/x/Dockerfile": "FROM golang:1.22\nENV GOSUMDB=off\n",
        },
    )
    gh.create_repo(
        "acme",
        "archived-svc",
        archived=True,
        files={"Dockerfile": "FROM golang:1.22\nENV GOSUMDB=off\n"},
    )
    gh.create_repo(
        "acme", "forked", fork=True, files={"Dockerfile": "FROM golang:1.22\nENV GOSUMDB=off\n"}
    )
    gh.create_repo(
        "acme", "legacy-app", files={"Dockerfile": "FROM golang:1.22\nENV GOSUMDB=off\n"}
    )
    gh.create_repo(
        "acme",
        "optout",
        files={
            "Dockerfile": "FROM golang:1.22\nENV GOSUMDB=off\n",
            ".gocomply.yml": "enabled: false\n",
        },
    )
    gh.create_repo(
        "acme",
        "broken-config",
        files={
            "Dockerfile": "FROM golang:1.22\nENV GOSUMDB=off\n",
            ".gocomply.yml": "exlude: [x]\n",
        },
    )
    gh.create_repo("acme", "empty", files=None)
    gh.create_repo("acme", "clean", files={"Dockerfile": GOOD, "go.mod": GO_MOD})
    gh.create_repo(
        "acme",
        "excluded",
        files={
            "Dockerfile": GOOD,
            "legacy/Dockerfile": "FROM golang:1.22\nENV GOSUMDB=off\n",
            ".gocomply.yml": "exclude: [legacy/]\n",
        },
    )
    gh.create_repo(
        "acme",
        "crlf",
        files={
            "Dockerfile": "FROM golang:1.22\r\nENV GOSUMDB=off CGO_ENABLED=0\r\nRUN go build\r\n"
        },
    )
    gh.create_repo(
        "acme",
        "disabled",
        disabled=True,
        files={"Dockerfile": "FROM golang:1.22\nENV GOSUMDB=off\n"},
    )
    gh.create_repo(
        "acme",
        "rules-off",
        files={
            "Dockerfile": "FROM golang:1.22\nENV GOSUMDB=off\n",
            ".gocomply.yml": "rules: {GC105: off}\n",
        },
    )
    gh.create_repo("acme", "binary", files={"Dockerfile": b"FROM golang\x00\n"})
    gh.create_repo("acme", "parse-error", files={"Dockerfile": "FROM golang:1.22\nENV A\n"})


@pytest.fixture
def org(
    github: GitHubStandIn, github_app: App
) -> Iterator[tuple[GitHubStandIn, App, Installation]]:
    _org(github)
    inst = github.install(github_app, org="acme")
    yield github, github_app, inst


def _settings(gh: GitHubStandIn, app: App, tmp_path: Path, **kw: object) -> Settings:
    return Settings(
        app_id=str(app.id),
        private_key=app.private_key_pem,
        github_url=gh.url,
        database_url=f"sqlite:///{tmp_path / 'state.sqlite3'}",
        **kw,  # type: ignore[arg-type]
    )


def _sweep(settings: Settings, inst: Installation, **kw: object) -> tuple[SweepReport, GitHubApp]:
    store = Store(settings.database_url)
    app = GitHubApp(settings, store, sleep=lambda s: None)
    return run_sweep(app, store, settings, installation_id=inst.id, **kw), app  # type: ignore[arg-type]


def _by_repo(report: SweepReport) -> dict[str, tuple[str, str]]:
    return {r.repo.split("/", 1)[1]: (r.status, r.reason) for r in report.repos}


def test_dry_run_report_over_an_org(
    org: tuple[GitHubStandIn, App, Installation], tmp_path: Path
) -> None:
    gh, app, inst = org
    report, _ = _sweep(_settings(gh, app, tmp_path), inst)
    assert report.org_error is None
    status = {k: v[0] for k, v in _by_repo(report).items()}
    assert status == {
        ".github": "scanned",
        "api": "scanned",
        "worker": "scanned",
        "web": "scanned",
        "docs": "scanned",
        "mono": "scanned",
        "archived-svc": "skipped",
        "forked": "skipped",
        "legacy-app": "skipped",
        "optout": "skipped",
        "broken-config": "config-error",
        "empty": "skipped",
        "clean": "scanned",
        "excluded": "scanned",
        "crlf": "scanned",
        "disabled": "skipped",
        "rules-off": "scanned",
        "binary": "scanned",
        "parse-error": "scanned",
    }
    reasons = _by_repo(report)
    assert "legacy-*" in reasons["legacy-app"][1]
    assert reasons["empty"][1] == "empty repository"
    repos = {r.repo.split("/", 1)[1]: r for r in report.repos}

    def codes(name: str) -> dict[str, list[str]]:
        return {f.path: [x.code for x in f.findings] for f in repos[name].files}

    assert codes("api") == {"Dockerfile": ["GC105"]}
    (api,) = repos["api"].files
    assert "+ENV GOPROXY=https://goproxy.acme.internal" in api.diff  # org proxy from org config
    assert "GC101" in codes("worker")["Dockerfile"]
    assert repos["web"].files[0].skipped == "no Go build"
    assert repos["docs"].files == ()
    assert codes("mono") == {
        "services/a/Dockerfile": ["GC105"],
        "services/b/build.Dockerfile": [],
        "tools/Containerfile": ["GC102"],
    }
    assert codes("excluded") == {"Dockerfile": []}
    assert codes("rules-off") == {"Dockerfile": []}
    (crlf,) = repos["crlf"].files
    assert "-ENV GOSUMDB=off CGO_ENABLED=0\r\n" in crlf.diff
    assert "+ENV CGO_ENABLED=0\r\n" in crlf.diff
    assert repos["binary"].files[0].error is not None and "NUL" in repos["binary"].files[0].error
    perr = repos["parse-error"].files[0].error
    assert perr is not None and "ENV must have two arguments" in perr
    cfg = repos["broken-config"].config_error
    assert cfg is not None and (cfg["file"], cfg["line"], cfg["key"]) == (
        ".gocomply.yml",
        1,
        "exlude",
    )
    assert "exclude" in cfg["message"] or "exclude" in repos["broken-config"].reason


def test_first_sweep_and_no_change_rescan_stay_within_budget(
    org: tuple[GitHubStandIn, App, Installation], tmp_path: Path
) -> None:
    gh, app, inst = org
    settings = _settings(gh, app, tmp_path, per_page=5)
    gh.reset_log()
    report, client = _sweep(settings, inst)
    listing_pages = 4  # 19 repositories, 5 per page
    assert len(gh.api_requests("GET", r"/installation/repositories")) == listing_pages
    trees = len(gh.api_requests("GET", r"/repos/[^/]+/[^/]+/git/trees/"))
    blobs = len(gh.api_requests("GET", r"/repos/[^/]+/[^/]+/git/blobs/"))
    pre_skipped = {"archived-svc", "forked", "legacy-app", "disabled"}  # no request at all
    assert trees == len(report.repos) - len(pre_skipped)  # one tree request per other repo
    # one blob per Dockerfile or config file read, never one for go.sum or unchanged blobs
    assert blobs <= sum(len(r.files) for r in report.repos) + 4
    budget = listing_pages + (trees) + blobs + 1 + 2  # org config, installation + token
    assert report.requests <= budget

    gh.reset_log()
    store = Store(settings.database_url)
    again = run_sweep(client, store, settings, installation_id=inst.id)
    assert len(again.repos) == len(report.repos)  # every page, though the pages answered 304
    assert {r.status for r in again.repos} <= {"unchanged", "skipped"}
    # the same results come back without a request per repository
    first = {r.repo: r.files for r in report.repos}
    assert all(r.files == first[r.repo] for r in again.repos)
    assert again.requests <= 1.1 * listing_pages + 1  # the installation lookup
    assert again.not_modified == listing_pages


def test_push_rescans_only_that_repo(
    org: tuple[GitHubStandIn, App, Installation], tmp_path: Path
) -> None:
    gh, app, inst = org
    settings = _settings(gh, app, tmp_path)
    _, client = _sweep(settings, inst)
    time.sleep(1.05)  # pushed_at has one-second resolution, as on GitHub
    gh.commit("acme/api", {"README.md": "x\n"})
    gh.reset_log()
    again = run_sweep(client, Store(settings.database_url), settings, installation_id=inst.id)
    by = _by_repo(again)
    assert by["api"][0] == "scanned" and by["worker"][0] == "unchanged"
    assert len(gh.api_requests("GET", r"/git/trees/")) == 1
    assert gh.api_requests("GET", r"/git/blobs/") == []  # the Dockerfile blob is stored by sha


def test_faults_are_retried_or_recorded_and_the_sweep_goes_on(
    org: tuple[GitHubStandIn, App, Installation], tmp_path: Path
) -> None:
    gh, app, inst = org
    gh.fail_next("GET", r"/repos/acme/api/git/trees/", status=502, times=2)
    gh.secondary_rate_limit(r"/repos/acme/worker/git/trees/", retry_after=1)
    gh.fail_next("GET", r"/repos/acme/clean/git/trees/", status=500, times=10)
    gh.set_repo("acme/crlf", blocked=True)
    report, _ = _sweep(_settings(gh, app, tmp_path, max_retries=3), inst)
    by = _by_repo(report)
    assert by["api"][0] == "scanned" and by["worker"][0] == "scanned"
    assert by["clean"][0] == "error" and "HTTP 500" in by["clean"][1]
    assert by["crlf"][0] == "error" and "451" in by["crlf"][1]
    assert by["mono"][0] == "scanned"


def test_renamed_repo_mid_sweep_is_an_error_not_a_crash(
    org: tuple[GitHubStandIn, App, Installation], tmp_path: Path
) -> None:
    gh, app, inst = org
    settings = _settings(gh, app, tmp_path)
    store = Store(settings.database_url)
    client = GitHubApp(settings, store, sleep=lambda s: None)
    repos = list(client.client(inst.id).repositories())
    gh.rename_repo("acme/worker", "worker2")
    from bot.config import OrgResolver
    from bot.scan import Scanner

    scanner = Scanner(client.client(inst.id), store)
    results = scanner.sweep(repos, OrgResolver(None))
    by = {r.repo: r for r in results}
    assert by["acme/worker"].status == "error" and "404" in by["acme/worker"].reason
    assert by["acme/api"].status == "scanned"


def test_expired_tokens_are_refreshed(
    org: tuple[GitHubStandIn, App, Installation], tmp_path: Path
) -> None:
    gh, app, inst = org
    settings = _settings(gh, app, tmp_path)
    store = Store(settings.database_url)
    client = GitHubApp(settings, store, sleep=lambda s: None)
    first = run_sweep(client, store, settings, installation_id=inst.id, repo="acme/api")
    assert first.repos[0].status == "scanned"
    gh.expire_tokens()
    time.sleep(1.05)  # pushed_at has one-second resolution, as on GitHub
    gh.commit("acme/api", {"README.md": "y\n"})
    again = run_sweep(client, store, settings, installation_id=inst.id, repo="acme/api")
    assert again.repos[0].status == "scanned"
    assert gh.api_requests("POST", r"/app/installations/\d+/access_tokens")[-1][2] == 201


def test_spent_rate_limit_defers_and_the_next_run_resumes(
    org: tuple[GitHubStandIn, App, Installation], tmp_path: Path
) -> None:
    gh, app, inst = org
    settings = _settings(gh, app, tmp_path, concurrency=1)
    store = Store(settings.database_url)
    client = GitHubApp(settings, store, sleep=lambda s: None)
    client.client(inst.id).token()
    gh.exhaust_primary(inst, reset_in=0.5)
    before = len(gh.requests)
    report = run_sweep(client, store, settings, installation_id=inst.id)
    assert report.budget_exhausted
    # it stopped at once instead of hammering: one refused request, nothing per repository
    assert len(gh.requests) - before <= 2
    time.sleep(0.6)
    resumed = run_sweep(client, store, settings, installation_id=inst.id)
    assert not resumed.budget_exhausted
    assert {r.status for r in resumed.repos} >= {"scanned"}


def test_truncated_tree_falls_back_to_walking_subtrees(
    org: tuple[GitHubStandIn, App, Installation], tmp_path: Path
) -> None:
    gh, app, inst = org
    gh.truncate_trees("acme/mono", keep=0.3)
    report, _ = _sweep(_settings(gh, app, tmp_path), inst, repo="acme/mono")
    (mono,) = report.repos
    assert {f.path for f in mono.files} == {
        "services/a/Dockerfile",
        "services/b/build.Dockerfile",
        "tools/Containerfile",
    }
    assert gh.api_requests("GET", r"/repos/acme/mono/git/trees/[0-9a-f]{40}$")


def test_broken_org_config_stops_the_org_sweep(
    github: GitHubStandIn, github_app: App, tmp_path: Path
) -> None:
    github.create_repo("acme", ".github", files={"gocomply.yml": "opt_out_strategy: maybe\n"})
    github.create_repo("acme", "api", files={"Dockerfile": "FROM golang:1.22\nENV GOSUMDB=off\n"})
    inst = github.install(github_app, org="acme")
    report, _ = _sweep(_settings(github, github_app, tmp_path), inst)
    assert report.repos == []
    assert report.org_error is not None
    assert "gocomply.yml:1" in report.org_error and "opt_out_strategy" in report.org_error


def test_cli_scan_org_dry_run_json_on_ghes(
    github_ghes: GitHubStandIn,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gh = github_ghes
    app = gh.create_app()
    files = {
        "Dockerfile": "FROM golang:1.22\nENV GOSUMDB=off\n",
        ".gocomply.yml": "rules: {GC2: off}\n",
    }
    gh.create_repo("acme", "api", files=files)
    gh.install(app, org="acme")
    key = tmp_path / "key.pem"
    key.write_text(app.private_key_pem)
    monkeypatch.setenv("GOCOMPLY_APP_ID", str(app.id))
    monkeypatch.setenv("GOCOMPLY_PRIVATE_KEY_PATH", str(key))
    monkeypatch.setenv("GOCOMPLY_GITHUB_URL", gh.url)
    monkeypatch.setenv("GOCOMPLY_DATABASE_URL", f"sqlite:///{tmp_path / 's.db'}")
    code = main(["scan-org", "--org", "acme", "--dry-run", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    data = json.loads(out)
    assert data["summary"]["repos_with_findings"] == 1
    assert data["summary"]["findings_per_rule"] == {"GC105": 1}
    assert gh.url.endswith("/api/v3")
    assert app.private_key_pem.splitlines()[1] not in out + err


def test_cli_scan_org_reports_missing_settings(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for k in ("GOCOMPLY_APP_ID", "GOCOMPLY_PRIVATE_KEY", "GOCOMPLY_PRIVATE_KEY_PATH"):
        monkeypatch.delenv(k, raising=False)
    assert main(["scan-org", "--org", "acme", "--dry-run"]) == 2
    assert "GOCOMPLY_APP_ID" in capsys.readouterr().err


def test_no_token_jwt_or_key_in_logs_or_reports(
    org: tuple[GitHubStandIn, App, Installation],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gh, app, inst = org
    gh.fail_next("GET", r"/repos/acme/api/git/trees/", status=502, times=1)
    gh.set_repo("acme/crlf", blocked=True)  # an error path that reports the request
    monkeypatch.setenv("GOCOMPLY_APP_ID", str(app.id))
    monkeypatch.setenv("GOCOMPLY_PRIVATE_KEY", app.private_key_pem)
    monkeypatch.setenv("GOCOMPLY_GITHUB_URL", gh.url)
    monkeypatch.setenv("GOCOMPLY_DATABASE_URL", f"sqlite:///{tmp_path / 's.db'}")
    for fmt in ("text", "json"):
        code = main(
            [
                "scan-org",
                "-vv",
                "--log-format",
                "json",
                "--installation",
                str(inst.id),
                "--dry-run",
                "--format",
                fmt,
            ]
        )
        out, err = capsys.readouterr()
        assert code == 0, err
        everything = out + err
        assert "ghs_" not in everything and "eyJ" not in everything
        assert "PRIVATE KEY" not in everything
        assert "Bearer" not in everything and "x-access-token" not in everything
        assert "451" in everything  # the error itself is reported


def test_sweep_and_rescan_with_the_state_in_postgresql(
    org: tuple[GitHubStandIn, App, Installation], tmp_path: Path
) -> None:
    from tests import postgres

    gh, app, inst = org
    with postgres.postgres_server() as url:
        settings = _settings(gh, app, tmp_path)
        settings = Settings(**{**settings.__dict__, "database_url": url})
        first, client = _sweep(settings, inst)
        again = run_sweep(client, Store(url), settings, installation_id=inst.id)
    assert first.count("scanned") >= 10
    assert again.count("scanned") == 0 and again.count("unchanged") >= first.count("scanned")
    assert again.requests <= 2  # the installation and one 304 listing page


def test_an_internal_error_costs_one_repository_not_the_sweep(
    org: tuple[GitHubStandIn, App, Installation], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.scan

    gh, app, inst = org
    real = bot.scan.plan_files

    def flaky(entries: object) -> object:
        files = real(entries)  # type: ignore[arg-type]
        if "services/a/go.mod" in files.present:
            raise RuntimeError("bug in planning")
        return files

    monkeypatch.setattr(bot.scan, "plan_files", flaky)
    report, _ = _sweep(_settings(gh, app, tmp_path), inst)
    by = _by_repo(report)
    assert by["mono"] == ("error", "internal error: RuntimeError: bug in planning")
    assert by["api"][0] == "scanned"
