"""The remediation PR lifecycle against the local GitHub and the local Scorecard API.

open → rerun (no writes) → new finding (update) → maintainer push (stop, one comment) →
close unmerged (stays closed over three reruns) → fix by hand (auto-close) → broken config
(one issue, then closed); plus a GitPython clone of the PR branch over git http-backend.
"""

from __future__ import annotations

import time
from pathlib import Path

import git
import pytest

from bot.github import GitHubApp
from bot.pr_body import parse_marker
from bot.remediate import RemediationReport, remediate
from bot.scorecard import ScorecardClient
from bot.settings import Settings
from bot.store import Store
from tests.github.model import App, Installation
from tests.github.server import GitHubStandIn
from tests.scorecard.server import ScorecardStandIn

DOCKERFILE = "FROM golang:1.22\nENV GOSUMDB=off CGO_ENABLED=0\nRUN go build -o /app .\n"
FIXED = "FROM golang:1.22\nENV CGO_ENABLED=0\nRUN go build -o /app .\n"
ORG_CFG = (
    "max_new_prs_per_hour: 10\nreviewers: [octocat]\n"
    "rules: {GC2: off}  # these tests are about the lifecycle (see tests/catalogue.py)\n"
)
WRITE = ("POST", "PATCH", "PUT", "DELETE")

SCORECARD_RESULT = {
    "date": "2026-11-27",
    "repo": {"name": "github.com/acme/api", "commit": "a" * 40},
    "scorecard": {"version": "v5.0.0", "commit": "b" * 40},
    "score": 6.4,
    "checks": [
        {
            "name": "Pinned-Dependencies",
            "score": 3,
            "reason": "dependency not pinned by hash detected -- score normalized to 3",
            "details": None,
            "documentation": {
                "url": "https://github.com/ossf/scorecard/blob/main/docs/checks.md#pinned-dependencies",
                "short": "Determines if the project has declared and pinned its dependencies.",
            },
        },
        {
            "name": "Token-Permissions",
            "score": 10,
            "reason": "GitHub workflow tokens follow principle of least privilege",
            "details": [],
            "documentation": {"url": "https://example.invalid/tp", "short": "Token permissions."},
        },
    ],
}


class World:
    def __init__(
        self, gh: GitHubStandIn, app: App, inst: Installation, card: ScorecardStandIn, tmp: Path
    ) -> None:
        self.gh, self.app_def, self.inst, self.card = gh, app, inst, card
        self.settings = Settings(
            app_id=str(app.id),
            private_key=app.private_key_pem,
            github_url=gh.url,
            database_url=f"sqlite:///{tmp / 'state.sqlite3'}",
            scorecard_url=card.url,
        )
        self.store = Store(self.settings.database_url)
        self.app = GitHubApp(self.settings, self.store, sleep=lambda s: None)
        self.scorecard = ScorecardClient(card.url, store=self.store)

    def run(self, **kw: object) -> RemediationReport:
        return remediate(
            self.app,
            self.store,
            self.settings,
            installation_id=self.inst.id,
            scorecard=self.scorecard,
            **kw,  # type: ignore[arg-type]
        )

    def writes(self) -> list[tuple[str, str]]:
        return [
            (r.method, r.path)
            for r in self.gh.api_requests()
            if r.method in WRITE and r.path.startswith("/repos/")
        ]

    def pushed(self) -> None:
        time.sleep(1.05)  # pushed_at has one-second resolution, as on GitHub


@pytest.fixture
def world(github: GitHubStandIn, scorecard_api: ScorecardStandIn, tmp_path: Path) -> World:
    github.create_user("octocat", orgs=["acme"])
    github.create_repo("acme", ".github", files={"gocomply.yml": ORG_CFG})
    github.create_repo(
        "acme", "api", files={"Dockerfile": DOCKERFILE, "main.go": "package main\n"}, private=False
    )
    scorecard_api.set_result("github.com/acme/api", SCORECARD_RESULT)
    app = github.create_app()
    inst = github.install(app, org="acme")
    return World(github, app, inst, scorecard_api, tmp_path)


def _only_pr(gh: GitHubStandIn, state: str = "all") -> object:
    pulls = gh.pulls("acme/api", state)
    assert len(pulls) == 1, pulls
    return pulls[0]


def test_full_lifecycle(world: World, tmp_path: Path) -> None:
    gh = world.gh

    # 1. open: verified commit through the Git Data API, labels, reviewer, body with Scorecard
    gh.reset_log()
    first = world.run()
    assert first.summary()["opened"] == 1
    pr = gh.pulls("acme/api")[0]
    assert pr.pull is not None and pr.pull.head_ref == "gocomply/remediate"
    assert pr.labels == ["gocomply", "security"]
    assert pr.pull.requested_reviewers == ["octocat"]
    assert pr.user.login == f"{world.app_def.slug}[bot]"
    body = pr.body or ""
    assert "GC105" in body and "6.4" in body and "Pinned-Dependencies" in body
    marker = parse_marker(body)
    assert marker is not None and len(marker.fingerprints) == 1
    assert gh.read_file("acme/api", "Dockerfile", "gocomply/remediate") == FIXED.encode()
    posts = [p for m, p in world.writes() if m == "POST"]
    assert "/repos/acme/api/git/blobs" in posts and "/repos/acme/api/git/trees" in posts
    assert "/repos/acme/api/git/commits" in posts
    head = world.app.client(world.inst.id).commit(
        world.app.client(world.inst.id).repo("acme", "api"), "gocomply/remediate"
    )
    assert head.verified and head.message.startswith("fix(docker):")

    # a clone of the PR branch over git http-backend holds exactly the rewritten file
    token = gh.issue_token(world.inst).token
    clone = git.Repo.clone_from(
        gh.git_url("acme", "api", token=token), tmp_path / "clone", branch="gocomply/remediate"
    )
    changed = clone.git.diff("--name-only", "origin/main", "HEAD").split()
    assert changed == ["Dockerfile"]
    assert (tmp_path / "clone" / "Dockerfile").read_bytes() == FIXED.encode()
    assert (tmp_path / "clone" / "main.go").read_text() == "package main\n"

    # 2. rerun: nothing changed, zero writes
    gh.reset_log()
    again = world.run()
    assert again.summary()["unchanged"] >= 1 and again.summary()["opened"] == 0
    assert world.writes() == []
    assert world.card.requests_for("github.com/acme/api") == 1  # cached per repo per day

    # 3. a new finding on the default branch: the PR is updated, not duplicated
    world.pushed()
    gh.commit(
        "acme/api",
        {"Dockerfile": DOCKERFILE.replace("CGO_ENABLED=0", "CGO_ENABLED=0 GOPROXY=direct")},
    )
    updated = world.run()
    assert updated.summary()["updated"] == 1
    assert len(gh.pulls("acme/api")) == 1
    assert gh.read_file("acme/api", "Dockerfile", "gocomply/remediate") == FIXED.encode()
    marker = parse_marker(gh.pulls("acme/api")[0].body or "")
    assert marker is not None and len(marker.fingerprints) == 2

    # 4. a maintainer pushes to the branch: gocomply stops, says so once, never force-pushes
    world.pushed()
    theirs = gh.commit(
        "acme/api", {"NOTES.md": "mine\n"}, branch="gocomply/remediate", message="maintainer tweak"
    )
    world.pushed()
    gh.commit("acme/api", {"README.md": "moved base\n"})
    for _ in range(2):
        stop = world.run()
        assert gh.branch_sha("acme/api", "gocomply/remediate") == theirs
    comments = [c.body for c in gh.pulls("acme/api")[0].comments]
    assert sum("stopped updating" in c for c in comments) == 1
    assert stop.summary()["updated"] == 0

    # 5. closed without merge: stays closed across three reruns (the branch is theirs now)
    number = gh.pulls("acme/api")[0].number
    gh.close_pull("acme/api", number)
    for _ in range(3):
        world.pushed()
        gh.commit("acme/api", {"README.md": f"{time.time()}\n"})
        assert world.run().summary()["opened"] == 0
    assert [p.state for p in gh.pulls("acme/api")] == ["closed"]


def test_declined_then_new_finding_opens_a_new_pr_linking_the_old(world: World) -> None:
    gh = world.gh
    world.run()
    old = gh.pulls("acme/api")[0]
    gh.close_pull("acme/api", old.number)
    world.pushed()
    gh.commit("acme/api", {"build.Dockerfile": "FROM golang:1.22\nRUN GOPROXY=direct go build\n"})
    world.run()
    pulls = gh.pulls("acme/api")
    assert len(pulls) == 2
    new = pulls[-1]
    assert new.state == "open" and f"#{old.number}" in (new.body or "")
    # only the new file is proposed; the declined Dockerfile change is not repeated
    files = world.app.client(world.inst.id)
    branch_files = gh.files("acme/api", "gocomply/remediate")
    assert branch_files["Dockerfile"] == DOCKERFILE.encode()
    assert branch_files["build.Dockerfile"] == b"FROM golang:1.22\nRUN go build\n"
    del files


def test_fixed_by_hand_closes_the_pr_and_deletes_the_branch(world: World) -> None:
    gh = world.gh
    world.run()
    world.pushed()
    gh.commit("acme/api", {"Dockerfile": FIXED})
    closed = world.run()
    assert closed.summary()["closed"] == 1
    pr = gh.pulls("acme/api")[0]
    assert pr.state == "closed" and not (pr.pull and pr.pull.merged)
    assert any("closing this pull request" in c.body for c in pr.comments)
    assert gh.branch_sha("acme/api", "gocomply/remediate") is None


def test_merged_pr_is_forgotten(world: World) -> None:
    gh = world.gh
    world.run()
    pr = gh.pulls("acme/api")[0]
    gh.merge_pull("acme/api", pr.number, delete_branch=True)
    world.pushed()
    report = world.run()
    assert report.summary()["opened"] == 0  # the fix is on main: nothing left
    assert gh.read_file("acme/api", "Dockerfile") == FIXED.encode()


def test_handback_box_lets_gocomply_take_over(world: World) -> None:
    gh = world.gh
    world.run()
    world.pushed()
    gh.commit("acme/api", {"NOTES.md": "x\n"}, branch="gocomply/remediate")
    world.run()  # stops
    pr = gh.pulls("acme/api")[0]
    ticked = (pr.body or "").replace("- [ ] ", "- [x] ", 1)
    pr.body = ticked
    report = world.run()
    assert report.summary()["updated"] == 1
    files = gh.files("acme/api", "gocomply/remediate")
    assert "NOTES.md" not in files and files["Dockerfile"] == FIXED.encode()


def test_broken_config_one_issue_then_closed(world: World) -> None:
    gh = world.gh
    gh.commit("acme/api", {".gocomply.yml": "exlude: [x]\n"})
    for _ in range(2):
        world.pushed()
        gh.commit("acme/api", {"README.md": f"{time.time()}\n"})
        report = world.run()
    issues = gh.issues("acme/api")
    assert len(issues) == 1 and issues[0].state == "open"
    assert issues[0].title == "gocomply: configuration error"
    assert ".gocomply.yml" in (issues[0].body or "") and "exlude" in (issues[0].body or "")
    assert gh.pulls("acme/api") == []  # a broken config opens no PR
    assert report.summary()["issues_opened"] == 0
    world.pushed()
    gh.commit("acme/api", {".gocomply.yml": "exclude: [x]\n"})
    fixed = world.run()
    assert fixed.summary()["issues_closed"] == 1
    assert gh.issues("acme/api")[0].state == "closed"
    assert fixed.summary()["opened"] == 1


def test_org_rate_of_new_prs_holds_back_and_dry_run_lists_it(
    github: GitHubStandIn, scorecard_api: ScorecardStandIn, tmp_path: Path
) -> None:
    github.create_repo("acme", ".github", files={"gocomply.yml": "max_new_prs_per_hour: 2\n"})
    for i in range(4):
        github.create_repo("acme", f"svc{i}", files={"Dockerfile": DOCKERFILE})
    app = github.create_app()
    inst = github.install(app, org="acme")
    w = World(github, app, inst, scorecard_api, tmp_path)
    dry = w.run(dry_run=True)
    assert dry.summary()["opened"] == 2 and dry.summary()["held_back"] == 2
    assert w.writes() == []
    real = w.run()
    assert real.summary()["opened"] == 2 and real.summary()["held_back"] == 2
    assert sum(len(github.pulls(f"acme/svc{i}")) for i in range(4)) == 2
    later = w.run(clock=lambda: time.time() + 3700)
    assert later.summary()["opened"] == 2


def test_deleting_the_branch_after_a_stop_hands_the_pr_back(world: World) -> None:
    gh = world.gh
    world.run()
    world.pushed()
    gh.commit("acme/api", {"NOTES.md": "x\n"}, branch="gocomply/remediate")
    world.run()  # stops, with one comment
    gh.delete_branch("acme/api", "gocomply/remediate")  # GitHub closes the PR
    assert [p.state for p in gh.pulls("acme/api")] == ["closed"]
    report = world.run()
    assert report.summary()["opened"] == 1
    assert [p.state for p in gh.pulls("acme/api")] == ["closed", "open"]
    assert gh.files("acme/api", "gocomply/remediate")["Dockerfile"] == FIXED.encode()


def test_draft_assignees_and_max_open_prs(
    github: GitHubStandIn, scorecard_api: ScorecardStandIn, tmp_path: Path
) -> None:
    github.create_user("octocat", orgs=["acme"])
    github.create_repo("acme", ".github", files={"gocomply.yml": "max_open_prs: 1\n"})
    repo_cfg = "pr: {draft: true, title_prefix: '[deps]'}\nassignees: [octocat]\n"
    github.create_repo("acme", "a", files={"Dockerfile": DOCKERFILE, ".gocomply.yml": repo_cfg})
    github.create_repo("acme", "b", files={"Dockerfile": DOCKERFILE})
    app = github.create_app()
    inst = github.install(app, org="acme")
    w = World(github, app, inst, scorecard_api, tmp_path)
    report = w.run()
    assert report.summary()["opened"] == 1 and report.summary()["held_back"] == 1
    (pr,) = github.pulls("acme/a")
    assert pr.pull is not None and pr.pull.draft
    assert pr.assignees == ["octocat"] and pr.title.startswith("[deps]")
    assert github.pulls("acme/b") == []
    github.close_pull("acme/a", pr.number)
    w.pushed()
    github.commit("acme/a", {"README.md": "x\n"})
    later = w.run()  # a's PR was declined, which frees the one open slot for b
    assert later.summary()["opened"] == 1
    assert len(github.pulls("acme/b")) == 1


def test_config_issue_is_updated_not_duplicated(world: World) -> None:
    gh = world.gh
    gh.commit("acme/api", {".gocomply.yml": "exlude: [x]\n"})
    world.run()
    world.pushed()
    gh.commit("acme/api", {".gocomply.yml": "rules: {GC999: off}\n"})
    report = world.run()
    assert report.summary()["issues_updated"] == 1
    (issue,) = gh.issues("acme/api")
    assert "GC999" in (issue.body or "") and "exlude" not in (issue.body or "")


def test_a_bug_in_one_repository_does_not_stop_the_others(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.executor

    world.gh.create_repo("acme", "zeta", files={"Dockerfile": DOCKERFILE})
    real = bot.executor.pr_body.render_title

    def flaky(proposal: object, **kw: object) -> str:
        if getattr(proposal, "repo", "") == "acme/api":
            raise RuntimeError("renderer bug")
        return real(proposal, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(bot.executor.pr_body, "render_title", flaky)
    report = world.run()
    errors = {o.repo: o.error for o in report.outcomes if o.error}
    assert errors == {"acme/api": "internal error: RuntimeError: renderer bug"}
    assert len(world.gh.pulls("acme/zeta")) == 1


def test_someone_elses_branch_of_the_same_name_is_never_moved(world: World) -> None:
    gh = world.gh
    theirs = gh.commit("acme/api", {"WIP.md": "mine\n"}, branch="gocomply/remediate")
    report = world.run()
    (outcome,) = [o for o in report.outcomes if o.repo == "acme/api"]
    assert outcome.error is not None and "not gocomply's" in outcome.error
    assert gh.branch_sha("acme/api", "gocomply/remediate") == theirs
    assert gh.pulls("acme/api") == []
