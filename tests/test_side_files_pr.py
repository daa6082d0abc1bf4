"""The App's pull request carries the .dockerignore a fix creates or edits (local GitHub)."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from bot.github import GitHubApp
from bot.remediate import remediate
from bot.settings import Settings
from bot.store import Store
from rewriters import registry
from tests.github.model import Installation
from tests.github.server import GitHubStandIn
from tests.side_rules import dockerignore_rule

DOCKERFILE = "FROM golang:1.22\nENV GOSUMDB=off CGO_ENABLED=0\nRUN go build -o /app .\n"
FIXED = "FROM golang:1.22\nENV CGO_ENABLED=0\nRUN go build -o /app .\n"
SVC = "FROM golang:1.22\nRUN go build ./...\n"
GO_MOD = "module example.com/x\n\ngo 1.22\n"
BRANCH = "gocomply/remediate"


TEST_RULE = dockerignore_rule("GC299")


@pytest.fixture
def setup(
    github: GitHubStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[GitHubStandIn, GitHubApp, Store, Settings, Installation]:
    # load the real rules first; the real GC2 rules step aside (see tests/catalogue.py) and
    # ours stands in, so the test sees exactly the side files it wrote
    for rule in registry.all_rules():
        if registry.family_of(rule.code) == "GC2":
            monkeypatch.delitem(registry._REGISTRY, rule.code)
    monkeypatch.setitem(registry._REGISTRY, TEST_RULE.code, TEST_RULE)
    github.create_repo(
        "acme",
        "api",
        files={
            "Dockerfile": DOCKERFILE,
            "go.mod": GO_MOD,
            "svc/Dockerfile": SVC,
            "svc/go.mod": GO_MOD,
            "svc/.dockerignore": "bin",
        },
    )
    app = github.create_app()
    inst = github.install(app, org="acme")
    settings = Settings(
        app_id=str(app.id),
        private_key=app.private_key_pem,
        github_url=github.url,
        database_url=f"sqlite:///{tmp_path / 'state.sqlite3'}",
    )
    store = Store(settings.database_url)
    return github, GitHubApp(settings, store, sleep=lambda s: None), store, settings, inst


def test_pr_commits_created_and_edited_dockerignore_with_the_dockerfile(
    setup: tuple[GitHubStandIn, GitHubApp, Store, Settings, Installation], tmp_path: Path
) -> None:
    gh, app, store, settings, inst = setup
    report = remediate(app, store, settings, installation_id=inst.id)
    assert report.summary()["opened"] == 1, report.outcomes

    assert gh.read_file("acme/api", "Dockerfile", BRANCH) == FIXED.encode()
    assert gh.read_file("acme/api", ".dockerignore", BRANCH) == b".git\n"  # created
    assert gh.read_file("acme/api", "svc/.dockerignore", BRANCH) == b"bin\n.git\n"  # appended
    assert gh.read_file("acme/api", "svc/Dockerfile", BRANCH) == SVC.encode()

    token = gh.issue_token(inst).token
    clone = git.Repo.clone_from(
        gh.git_url("acme", "api", token=token), tmp_path / "clone", branch=BRANCH
    )
    # one commit per family: GC1 changes the Dockerfile, GC2 (our rule) the two .dockerignores
    per_commit = [
        (c.message.splitlines()[0], sorted(c.stats.files))
        for c in clone.iter_commits(f"origin/main..{BRANCH}", reverse=True)
    ]
    assert [files for _, files in per_commit] == [
        ["Dockerfile"],
        [".dockerignore", "svc/.dockerignore"],
    ]
    assert "GC299" in per_commit[1][0]

    # nothing changed since: a second run writes nothing
    gh.reset_log()
    again = remediate(app, store, settings, installation_id=inst.id)
    assert again.summary()["opened"] == 0 and again.summary()["updated"] == 0
    writes = [r for r in gh.api_requests() if r.method in ("POST", "PATCH", "PUT", "DELETE")]
    assert [r.path for r in writes if r.path.startswith("/repos/")] == []
