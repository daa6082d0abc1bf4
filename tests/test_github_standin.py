"""Tests of the GitHub stand-in itself (tests/github/): contract checks, auth, rate limits,
pagination, the Git Data API agreeing with clones over `git http-backend`, fault injection."""

from __future__ import annotations

import base64
import http.client
import json
import os
import subprocess
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.github import webhooks
from tests.github.appauth import session_private_key, sign_jwt
from tests.github.contract import API_SUBSET, SPEC_CORRECTIONS, Contract
from tests.github.model import App, Installation, Repo
from tests.github.openapi import make_subset
from tests.github.server import GitHubStandIn, _check_routes

pytest_plugins = ["pytester"]

GO_FILES = {
    "Dockerfile": "FROM golang:1.22\nRUN go build -o /app ./cmd/app\n",
    "go.mod": "module example.com/svc\n\ngo 1.22\n",
    "cmd/app/main.go": "package main\n\nfunc main() {}\n",
}


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: Any


class Client:
    """A bare HTTP client (stdlib only) speaking to the stand-in's API."""

    def __init__(self, gh: GitHubStandIn, auth: str | None = None) -> None:
        self.gh = gh
        self.auth = auth
        self.conn = http.client.HTTPConnection("127.0.0.1", gh.port, timeout=10)

    def __call__(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> Reply:
        if path.startswith("http"):
            parts = urlsplit(path)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        else:
            target = self.gh.base_path + path
        hdrs = {"Accept": "application/vnd.github+json", **(headers or {})}
        if self.auth:
            hdrs["Authorization"] = self.auth
        payload = raw if raw is not None else None if body is None else json.dumps(body).encode()
        if payload is not None:
            hdrs["Content-Type"] = "application/json"
        self.conn.request(method, target, body=payload, headers=hdrs)
        resp = self.conn.getresponse()
        data = resp.read()
        return Reply(resp.status, resp.headers, json.loads(data) if data else None)


def token_client(gh: GitHubStandIn, inst: Installation, **kwargs: Any) -> Client:
    return Client(gh, f"token {gh.issue_token(inst, **kwargs).token}")


def jwt_client(gh: GitHubStandIn, app: App) -> Client:
    return Client(gh, f"Bearer {app.jwt()}")


def git(
    *args: str, cwd: Path | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    return subprocess.run(
        ["git", "-c", "user.name=Maintainer", "-c", "user.email=m@example.com", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=check,
    )


@pytest.fixture
def repo(github: GitHubStandIn, github_installation: Installation) -> Repo:
    return github.create_repo("acme", "svc", files=GO_FILES)


@pytest.fixture
def api(github: GitHubStandIn, github_installation: Installation) -> Client:
    return token_client(github, github_installation)


# -- the vendored description ------------------------------------------------------------------


def test_subset_is_pinned_and_covers_every_operation() -> None:
    doc = json.loads(API_SUBSET.read_text())
    assert doc["info"]["x-subset-of"].startswith(f"@octokit/openapi@{make_subset.OPENAPI_VERSION} ")
    listed = {
        f"{m.upper()} {p}" for p, item in doc["paths"].items() for m in item if m != "parameters"
    }
    assert listed == set(make_subset.OPERATIONS)
    _check_routes()  # and the stand-in has a handler for each, and nothing else
    assert API_SUBSET.stat().st_size < 3_000_000
    hooks = json.loads((API_SUBSET.parent / "webhooks.subset.json").read_text())
    events = {w["event"] for w in hooks["webhooks"].values()}
    assert events == set(make_subset.WEBHOOK_EVENTS)


def test_every_spec_correction_applies_to_some_operation() -> None:
    contract = Contract()
    for name, correction in SPEC_CORRECTIONS.items():
        assert correction.why, name
        ops = [op for op in contract.operations if correction.applies(op.key)]
        assert ops, name
        for status in correction.extra_statuses:  # each extra status is missing somewhere
            assert any(str(status) not in op.spec["responses"] for op in ops), (name, status)


# -- contract violations -----------------------------------------------------------------------


def test_unknown_endpoint_is_404_and_a_violation(github: GitHubStandIn, api: Client) -> None:
    reply = api("GET", "/repos/acme/svc/hooks")
    assert reply.status == 404
    reply = api("DELETE", "/repos/acme/svc")  # described by GitHub, not emulated
    assert reply.status == 404
    violations = github.take_violations()
    assert [v.path for v in violations] == ["/repos/acme/svc/hooks", "/repos/acme/svc"]
    assert "no such operation" in violations[0].message


def test_unknown_body_field_is_a_violation(github: GitHubStandIn, repo: Repo, api: Client) -> None:
    sha = github.branch_sha(repo, "main")
    reply = api("POST", "/repos/acme/svc/git/refs", {"ref": "refs/heads/x", "sha": sha, "x": 1})
    assert reply.status == 422
    (violation,) = github.take_violations()
    assert "'x' was unexpected" in violation.message
    assert github.branch_sha(repo, "x") is None  # nothing happened


def test_bad_query_parameter_type_and_enum_are_violations(
    github: GitHubStandIn, repo: Repo, api: Client
) -> None:
    assert api("GET", "/repos/acme/svc/pulls?per_page=many").status == 422
    assert api("GET", "/repos/acme/svc/pulls?state=merged").status == 422
    assert api("GET", "/repos/acme/svc/pulls?colour=blue").status == 422
    messages = [v.message for v in github.take_violations()]
    assert "not of type integer" in messages[0]
    assert "is not one of" in messages[1]
    assert "'colour' is not documented" in messages[2]


def test_invalid_responses_would_be_recorded() -> None:
    op = Contract().operation("GET /repos/{owner}/{repo}/git/trees/{tree_sha}")
    assert op.check_response(200, {"sha": "a", "tree": [], "truncated": False}, True) == []
    assert op.check_response(200, {"sha": "a", "tree": []}, True)  # truncated is required
    assert op.check_response(200, {"sha": "a", "tree": [], "truncated": False, "x": 1}, True)
    assert op.check_response(418, None, False) == [
        "status 418 is not documented for GET /repos/{owner}/{repo}/git/trees/{tree_sha}"
    ]
    # spec corrections: 304 on any GET, 451 on any repository operation
    assert op.check_response(304, None, False) == []
    assert op.check_response(451, {"message": "Repository access blocked"}, True) == []


def test_fixture_fails_the_test_on_violations(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = Path(__file__).resolve().parents[1]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]))
    pytester.makeconftest("from tests.github.fixtures import *  # noqa: F403\n")
    pytester.makepyfile(
        """
        import http.client

        def test_calls_unknown_endpoint(github):
            conn = http.client.HTTPConnection("127.0.0.1", github.port)
            conn.request("GET", "/user/repos")
            assert conn.getresponse().status == 404
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*1 GitHub contract violation*", "*GET /user/repos*"])


# -- authentication ----------------------------------------------------------------------------


def test_app_endpoints_require_a_valid_jwt(
    github: GitHubStandIn, github_app: App, github_installation: Installation
) -> None:
    assert Client(github)("GET", "/app").status == 401
    assert token_client(github, github_installation)("GET", "/app").status == 401
    wrong_key = sign_jwt(session_private_key(1), github_app.id)
    assert Client(github, f"Bearer {wrong_key}")("GET", "/app").status == 401
    expired = sign_jwt(session_private_key(), github_app.id, now=time.time() - 3600)
    reply = Client(github, f"Bearer {expired}")("GET", "/app")
    assert reply.status == 401
    assert "'exp'" in reply.body["message"]
    too_long = sign_jwt(session_private_key(), github_app.id, lifetime=3600)
    assert Client(github, f"Bearer {too_long}")("GET", "/app").status == 401
    unknown_app = sign_jwt(session_private_key(), 999_999)
    assert Client(github, f"Bearer {unknown_app}")("GET", "/app").status == 401

    app_api = jwt_client(github, github_app)
    assert app_api("GET", "/app").body["id"] == github_app.id
    (item,) = app_api("GET", "/app/installations").body
    assert item["account"]["login"] == "acme"
    assert app_api("GET", "/orgs/acme/installation").body["id"] == github_installation.id
    assert app_api("GET", "/orgs/other/installation").status == 404
    created = app_api("POST", f"/app/installations/{github_installation.id}/access_tokens", {})
    assert created.status == 201
    assert created.body["token"].startswith("ghs_")
    assert Client(github, f"token {created.body['token']}")("GET", "/repos/acme/x").status == 404


def test_repo_endpoints_require_an_installation_token(
    github: GitHubStandIn, github_app: App, github_installation: Installation, repo: Repo
) -> None:
    assert Client(github)("GET", "/repos/acme/svc").status == 401
    assert jwt_client(github, github_app)("GET", "/repos/acme/svc").status == 403
    assert Client(github, "token ghs_forged")("GET", "/repos/acme/svc").status == 401
    other = github.install(github_app, org="globex")
    assert token_client(github, other)("GET", "/repos/acme/svc").status == 404
    assert token_client(github, github_installation)("GET", "/repos/acme/svc").status == 200
    read_only = token_client(github, github_installation, permissions={"contents": "read"})
    reply = read_only("POST", "/repos/acme/svc/git/blobs", {"content": "x"})
    assert reply.status == 403
    assert reply.headers["X-Accepted-GitHub-Permissions"] == "contents=write"
    assert github.api_requests(status=401)[0].token_kind == "anonymous"
    kinds = {r.token_kind for r in github.api_requests()}
    assert kinds == {"anonymous", "jwt", "invalid", "installation"}


def test_selected_repositories_and_token_scoping(github: GitHubStandIn, github_app: App) -> None:
    a = github.create_repo("initech", "a", files=GO_FILES)
    github.create_repo("initech", "b", files=GO_FILES)
    inst = github.install(github_app, org="initech", repositories=[a])
    client = token_client(github, inst)
    listing = client("GET", "/installation/repositories").body
    assert [r["name"] for r in listing["repositories"]] == ["a"]
    assert listing["repository_selection"] == "selected"
    assert client("GET", "/repos/initech/b").status == 404


# -- pagination, conditional requests, rate limits -----------------------------------------------


def test_pagination_links_use_the_servers_own_base_url_and_path(github_ghes: GitHubStandIn) -> None:
    gh = github_ghes
    app = gh.create_app()
    inst = gh.install(app, org="acme")
    for i in range(7):
        gh.create_repo("acme", f"r{i}", files={"README.md": "hi\n"})
    client = token_client(gh, inst)
    first = client("GET", "/installation/repositories?per_page=3")
    base = f"http://127.0.0.1:{gh.port}/api/v3/installation/repositories"
    assert gh.url == f"http://127.0.0.1:{gh.port}/api/v3"
    assert first.headers["Link"] == (
        f'<{base}?per_page=3&page=2>; rel="next", <{base}?per_page=3&page=3>; rel="last"'
    )
    names = [r["name"] for r in first.body["repositories"]]
    link = first.headers["Link"]
    while 'rel="next"' in link:
        url = link.split('>; rel="next"')[0].split("<")[-1]
        page = client("GET", url)
        names += [r["name"] for r in page.body["repositories"]]
        link = page.headers.get("Link", "")
    assert names == [f"r{i}" for i in range(7)]
    assert 'rel="prev"' in link and 'rel="first"' in link
    assert first.body["total_count"] == 7
    # git is served at the host root on GHES, and clone_url says so
    assert first.body["repositories"][0]["clone_url"] == f"http://127.0.0.1:{gh.port}/acme/r0.git"
    assert Client(gh, client.auth)("GET", "http://x/installation/repositories").status == 404
    assert len(gh.take_violations()) == 1  # a path outside /api/v3 is not part of the API


def test_conditional_requests_answer_304_and_do_not_count(
    github: GitHubStandIn, repo: Repo, api: Client
) -> None:
    first = api("GET", "/repos/acme/svc/git/trees/main?recursive=1")
    etag = first.headers["ETag"]
    remaining = int(first.headers["X-RateLimit-Remaining"])
    again = api(
        "GET", "/repos/acme/svc/git/trees/main?recursive=1", headers={"If-None-Match": etag}
    )
    assert again.status == 304
    assert again.body is None
    assert int(again.headers["X-RateLimit-Remaining"]) == remaining
    assert again.headers["ETag"] == etag
    github.commit(repo, {"Dockerfile": "FROM golang:1.23\n"})
    changed = api(
        "GET", "/repos/acme/svc/git/trees/main?recursive=1", headers={"If-None-Match": etag}
    )
    assert changed.status == 200
    assert int(changed.headers["X-RateLimit-Remaining"]) == remaining - 1
    assert [r.status for r in github.api_requests(path_regex="/git/trees/")] == [200, 304, 200]
    for name in ("Limit", "Remaining", "Reset", "Used", "Resource"):
        assert f"X-RateLimit-{name}" in changed.headers
    rate = api("GET", "/rate_limit").body  # free, and reports the same budget
    assert rate["resources"]["core"]["remaining"] == remaining - 1


# -- git over smart HTTP ---------------------------------------------------------------------------


def test_clone_and_push_over_http_backend(
    github: GitHubStandIn, github_installation: Installation, repo: Repo, tmp_path: Path
) -> None:
    token = github.issue_token(github_installation).token
    denied = git("clone", github.git_url("acme", "svc"), str(tmp_path / "anon"), check=False)
    assert denied.returncode != 0
    bad = git("clone", github.git_url("acme", "svc", "ghs_nope"), str(tmp_path / "b"), check=False)
    assert bad.returncode != 0
    work = tmp_path / "work"
    git("clone", github.git_url("acme", "svc", token), str(work))
    assert (work / "Dockerfile").read_text() == GO_FILES["Dockerfile"]
    assert (work / "cmd/app/main.go").exists()
    git("checkout", "-b", "feature", cwd=work)
    (work / "Dockerfile").write_text("FROM golang:1.23\n")
    git("commit", "-am", "bump", cwd=work)
    git("push", "origin", "feature", cwd=work)
    assert github.read_file(repo, "Dockerfile", "feature") == b"FROM golang:1.23\n"
    ref = token_client(github, github_installation)("GET", "/repos/acme/svc/git/ref/heads/feature")
    head = git("rev-parse", "HEAD", cwd=work).stdout.strip()
    assert ref.body["object"]["sha"] == head
    read_only = github.issue_token(github_installation, permissions={"contents": "read"}).token
    git("remote", "set-url", "origin", github.git_url("acme", "svc", read_only), cwd=work)
    assert git("push", "origin", "feature:other", cwd=work, check=False).returncode != 0
    git("fetch", "origin", cwd=work)  # reading is fine
    assert github.branch_sha(repo, "other") is None
    git_log = [r for r in github.requests if ".git/" in r.path]
    assert {r.status for r in git_log} >= {200, 401, 403}


def test_git_data_api_commit_is_visible_in_a_clone(
    github: GitHubStandIn, github_installation: Installation, repo: Repo, tmp_path: Path
) -> None:
    api = token_client(github, github_installation)
    main = api("GET", "/repos/acme/svc/git/ref/heads/main").body["object"]["sha"]
    base_tree = api("GET", f"/repos/acme/svc/git/commits/{main}").body["tree"]["sha"]
    blob = api("POST", "/repos/acme/svc/git/blobs", {"content": "FROM golang:1.23\n"})
    assert blob.status == 201
    b64 = base64.b64encode(b"#!/bin/sh\necho ok\n").decode()
    script = api("POST", "/repos/acme/svc/git/blobs", {"content": b64, "encoding": "base64"})
    tree = api(
        "POST",
        "/repos/acme/svc/git/trees",
        {
            "base_tree": base_tree,
            "tree": [
                {"path": "Dockerfile", "mode": "100644", "type": "blob", "sha": blob.body["sha"]},
                {
                    "path": "scripts/run.sh",
                    "mode": "100755",
                    "type": "blob",
                    "sha": script.body["sha"],
                },
                {"path": "docs/new.md", "mode": "100644", "type": "blob", "content": "# new\n"},
                {"path": "cmd/app/main.go", "mode": "100644", "type": "blob", "sha": None},
            ],
        },
    )
    assert tree.status == 201, tree.body
    commit = api(
        "POST",
        "/repos/acme/svc/git/commits",
        {"message": "fix(docker): bump (GC101)", "tree": tree.body["sha"], "parents": [main]},
    )
    assert commit.status == 201
    assert commit.body["verification"]["verified"] is True
    assert commit.body["verification"]["reason"] == "valid"
    assert commit.body["author"]["name"] == "gocomply[bot]"
    assert commit.body["committer"]["email"] == "noreply@github.com"
    created = api(
        "POST",
        "/repos/acme/svc/git/refs",
        {"ref": "refs/heads/gocomply/remediate", "sha": commit.body["sha"]},
    )
    assert created.status == 201
    assert (
        api(
            "POST",
            "/repos/acme/svc/git/refs",
            {"ref": "refs/heads/gocomply/remediate", "sha": main},
        ).status
        == 422
    )
    token = github.issue_token(github_installation).token
    work = tmp_path / "clone"
    git("clone", "-b", "gocomply/remediate", github.git_url("acme", "svc", token), str(work))
    assert (work / "Dockerfile").read_text() == "FROM golang:1.23\n"
    assert (work / "docs/new.md").read_text() == "# new\n"
    assert not (work / "cmd/app/main.go").exists()
    assert os.access(work / "scripts/run.sh", os.X_OK)
    assert (work / "go.mod").read_text() == GO_FILES["go.mod"]  # kept from base_tree
    log = git("log", "--format=%an|%cn|%s", "-1", cwd=work).stdout.strip()
    assert log == "gocomply[bot]|GitHub|fix(docker): bump (GC101)"
    # REST views agree
    rest = api("GET", f"/repos/acme/svc/commits/{commit.body['sha']}").body
    assert rest["commit"]["verification"]["verified"] is True
    assert rest["author"]["login"] == "gocomply[bot]"
    assert rest["committer"]["login"] == "web-flow"
    assert {f["filename"]: f["status"] for f in rest["files"]} == {
        "Dockerfile": "modified",
        "scripts/run.sh": "added",
        "docs/new.md": "added",
        "cmd/app/main.go": "removed",
    }
    # a custom author makes an unsigned commit
    custom = api(
        "POST",
        "/repos/acme/svc/git/commits",
        {
            "message": "m",
            "tree": tree.body["sha"],
            "parents": [main],
            "author": {"name": "A", "email": "a@example.com", "date": "2024-05-01T10:00:00+02:00"},
        },
    )
    assert custom.body["verification"] == {
        "verified": False,
        "reason": "unsigned",
        "signature": None,
        "payload": None,
        "verified_at": None,
    }
    assert custom.body["author"]["date"] == "2024-05-01T10:00:00+02:00"
    assert git("fsck", "--strict", cwd=work).returncode == 0


def test_update_ref_needs_force_for_non_fast_forward(
    github: GitHubStandIn, repo: Repo, api: Client
) -> None:
    first = github.branch_sha(repo, "main")
    github.create_branch(repo, "topic")
    second = github.commit(repo, {"a.txt": "a\n"}, branch="topic")
    assert api("PATCH", "/repos/acme/svc/git/refs/heads/topic", {"sha": first}).status == 422
    moved = api("PATCH", "/repos/acme/svc/git/refs/heads/topic", {"sha": first, "force": True})
    assert moved.status == 200
    assert moved.body["object"]["sha"] == first
    forward = api("PATCH", "/repos/acme/svc/git/refs/heads/topic", {"sha": second})
    assert forward.status == 200
    assert api("DELETE", "/repos/acme/svc/git/refs/heads/topic").status == 204
    assert api("DELETE", "/repos/acme/svc/git/refs/heads/topic").status == 422
    assert api("GET", "/repos/acme/svc/git/ref/heads/topic").status == 404


# -- reads -------------------------------------------------------------------------------------


def test_tree_blob_and_contents_reads(github: GitHubStandIn, repo: Repo, api: Client) -> None:
    tree = api("GET", "/repos/acme/svc/git/trees/main?recursive=1").body
    assert tree["truncated"] is False
    paths = {e["path"]: e for e in tree["tree"]}
    assert set(paths) == {"Dockerfile", "go.mod", "cmd", "cmd/app", "cmd/app/main.go"}
    blob = api("GET", f"/repos/acme/svc/git/blobs/{paths['Dockerfile']['sha']}").body
    assert base64.b64decode(blob["content"]).decode() == GO_FILES["Dockerfile"]
    top = api("GET", "/repos/acme/svc/git/trees/main").body
    assert [e["path"] for e in top["tree"]] == ["Dockerfile", "cmd", "go.mod"]
    content = api("GET", "/repos/acme/svc/contents/cmd/app/main.go?ref=main").body
    assert base64.b64decode(content["content"]).decode() == GO_FILES["cmd/app/main.go"]
    assert api("GET", "/repos/acme/svc/contents/nope.txt").status == 404
    listing = api("GET", "/repos/acme/svc/contents/cmd").body
    assert [(i["name"], i["type"]) for i in listing] == [("app", "dir")]
    branch = api("GET", "/repos/acme/svc/branches/main").body
    assert branch["commit"]["sha"] == github.branch_sha(repo, "main")
    assert api("GET", "/repos/acme/svc/branches/nope").status == 404
    assert api("GET", "/repos/acme/svc/commits/nope").status == 422
    full = api("GET", "/repos/acme/svc").body
    assert full["default_branch"] == "main"
    assert full["private"] is True


def test_truncated_trees(github: GitHubStandIn, repo: Repo, api: Client) -> None:
    github.truncate_trees(repo)
    tree = api("GET", "/repos/acme/svc/git/trees/main?recursive=1").body
    assert tree["truncated"] is True
    assert 0 < len(tree["tree"]) < 5
    top = api("GET", "/repos/acme/svc/git/trees/main").body
    assert top["truncated"] is False and len(top["tree"]) == 3
    cmd = next(e for e in top["tree"] if e["path"] == "cmd")
    sub = api("GET", f"/repos/acme/svc/git/trees/{cmd['sha']}").body
    assert [e["path"] for e in sub["tree"]] == ["app"]


def test_repository_states(
    github: GitHubStandIn, github_installation: Installation, api: Client
) -> None:
    github.create_repo("acme", "old", files=GO_FILES, archived=True)
    github.create_repo("acme", "forked", files=GO_FILES, fork=True)
    github.create_repo("acme", "off", files=GO_FILES, disabled=True)
    github.create_repo("acme", "void")  # empty: no commits
    github.create_repo("acme", "moving", files=GO_FILES)
    github.create_repo("acme", "dmca", files=GO_FILES)
    listing = {r["name"]: r for r in api("GET", "/installation/repositories").body["repositories"]}
    assert listing["old"]["archived"] and listing["forked"]["fork"] and listing["off"]["disabled"]
    assert listing["void"]["size"] == 0
    empty = api("GET", "/repos/acme/void/git/trees/main?recursive=1")
    assert (empty.status, empty.body["message"]) == (409, "Git Repository is empty.")
    assert api("GET", "/repos/acme/void/commits/main").status == 409
    assert api("POST", "/repos/acme/old/git/blobs", {"content": "x"}).status == 403
    github.rename_repo("acme/moving", "moved")
    assert api("GET", "/repos/acme/moving").status == 404
    assert api("GET", "/repos/acme/moved").status == 200
    github.set_repo("acme/dmca", blocked=True)
    blocked = api("GET", "/repos/acme/dmca/git/trees/main")
    assert blocked.status == 451
    assert blocked.body["block"]["reason"] == "dmca"


# -- fault injection -------------------------------------------------------------------------------


def test_fail_next_and_secondary_rate_limit(github: GitHubStandIn, repo: Repo, api: Client) -> None:
    github.fail_next("GET", r"/git/trees/", status=502, times=2)
    assert api("GET", "/repos/acme/svc/git/trees/main").status == 502
    assert api("GET", "/repos/acme/svc").status == 200  # other paths unaffected
    assert api("GET", "/repos/acme/svc/git/trees/main").status == 502
    assert api("GET", "/repos/acme/svc/git/trees/main").status == 200
    github.secondary_rate_limit(r"/pulls$", retry_after=7)
    limited = api("POST", "/repos/acme/svc/pulls", {"head": "x", "base": "main", "title": "t"})
    assert limited.status == 403
    assert limited.headers["Retry-After"] == "7"
    assert "secondary rate limit" in limited.body["message"]
    assert int(limited.headers["X-RateLimit-Remaining"]) > 0


def test_primary_rate_limit_and_token_expiry(
    github: GitHubStandIn, github_app: App, github_installation: Installation, repo: Repo
) -> None:
    token = github.issue_token(github_installation)
    client = Client(github, f"token {token.token}")
    github.exhaust_primary(token.token, reset_in=120)
    exhausted = client("GET", "/repos/acme/svc")
    assert exhausted.status == 403
    assert exhausted.body["message"].startswith("API rate limit exceeded")
    assert exhausted.headers["X-RateLimit-Remaining"] == "0"
    assert int(exhausted.headers["X-RateLimit-Reset"]) >= int(time.time()) + 100
    # the budget belongs to the installation: a fresh token does not reset it
    assert token_client(github, github_installation)("GET", "/repos/acme/svc").status == 403
    # the App's JWT budget is separate
    assert jwt_client(github, github_app)("GET", "/app").status == 200

    other = github.install(github_app, org="globex")
    github.create_repo("globex", "svc", files=GO_FILES)
    fresh = github.issue_token(other)
    assert Client(github, f"token {fresh.token}")("GET", "/repos/globex/svc").status == 200
    github.expire_tokens()
    expired = Client(github, f"token {fresh.token}")("GET", "/repos/globex/svc")
    assert (expired.status, expired.body["message"]) == (401, "Bad credentials")
    new = jwt_client(github, github_app)("POST", f"/app/installations/{other.id}/access_tokens")
    assert Client(github, f"token {new.body['token']}")("GET", "/repos/globex/svc").status == 200


# -- pull requests and issues ----------------------------------------------------------------------


def test_pull_request_lifecycle(
    github: GitHubStandIn, github_installation: Installation, repo: Repo, api: Client
) -> None:
    github.create_user("alice", orgs=["acme"])
    github.create_branch(repo, "gocomply/remediate")
    github.commit(repo, {"Dockerfile": "FROM golang:1.23\n"}, branch="gocomply/remediate")
    created = api(
        "POST",
        "/repos/acme/svc/pulls",
        {"head": "gocomply/remediate", "base": "main", "title": "fix", "body": "b", "draft": True},
    )
    assert created.status == 201, created.body
    number = created.body["number"]
    assert created.body["user"]["login"] == "gocomply[bot]"
    assert created.body["mergeable"] is True and created.body["changed_files"] == 1
    dup = api(
        "POST",
        "/repos/acme/svc/pulls",
        {"head": "gocomply/remediate", "base": "main", "title": "again"},
    )
    assert dup.status == 422
    assert [
        p["number"] for p in api("GET", "/repos/acme/svc/pulls?head=acme:gocomply/remediate").body
    ] == [number]
    assert api("GET", "/repos/acme/svc/pulls?head=acme:other").body == []
    labels = api("POST", f"/repos/acme/svc/issues/{number}/labels", {"labels": ["gocomply"]})
    assert [lb["name"] for lb in labels.body] == ["gocomply"]
    labels = api("POST", f"/repos/acme/svc/issues/{number}/labels", ["security"])  # bare array
    assert [lb["name"] for lb in labels.body] == ["gocomply", "security"]
    assigned = api(
        "POST", f"/repos/acme/svc/issues/{number}/assignees", {"assignees": ["alice", "mallory"]}
    )
    assert [a["login"] for a in assigned.body["assignees"]] == ["alice"]
    reviewers = api(
        "POST", f"/repos/acme/svc/pulls/{number}/requested_reviewers", {"reviewers": ["alice"]}
    )
    assert [r["login"] for r in reviewers.body["requested_reviewers"]] == ["alice"]
    assert (
        api(
            "POST",
            f"/repos/acme/svc/pulls/{number}/requested_reviewers",
            {"reviewers": ["mallory"]},
        ).status
        == 422
    )
    comment = api("POST", f"/repos/acme/svc/issues/{number}/comments", {"body": "hello"})
    assert comment.status == 201
    github.comment(repo, number, "thanks", by="alice")
    comments = api("GET", f"/repos/acme/svc/issues/{number}/comments").body
    assert [(c["user"]["login"], c["body"]) for c in comments] == [
        ("gocomply[bot]", "hello"),
        ("alice", "thanks"),
    ]
    commits = api("GET", f"/repos/acme/svc/pulls/{number}/commits").body
    assert len(commits) == 1
    # a maintainer pushes to the branch: the PR head follows, the author is not the App
    github.commit(repo, {"x.txt": "x\n"}, branch="gocomply/remediate", author=("Al", "al@x.org"))
    commits = api("GET", f"/repos/acme/svc/pulls/{number}/commits").body
    assert [c["commit"]["author"]["name"] for c in commits] == ["Octo Cat", "Al"]
    pr = api("GET", f"/repos/acme/svc/pulls/{number}").body
    assert pr["head"]["sha"] == commits[-1]["sha"]
    # issue view of the PR
    issue = api("GET", f"/repos/acme/svc/issues/{number}").body
    assert "pull_request" in issue
    assert api("GET", "/repos/acme/svc/issues?labels=gocomply,security").body[0]["number"] == number
    closed = api("PATCH", f"/repos/acme/svc/pulls/{number}", {"state": "closed"})
    assert closed.body["state"] == "closed" and closed.body["merged"] is False
    assert api("GET", "/repos/acme/svc/pulls").body == []
    reopened = api("PATCH", f"/repos/acme/svc/pulls/{number}", {"state": "open"})
    assert reopened.body["state"] == "open"
    sha = github.merge_pull(repo, number, by="alice", delete_branch=True)
    merged = api("GET", f"/repos/acme/svc/pulls/{number}").body
    assert merged["merged"] is True and merged["merge_commit_sha"] == sha
    assert github.read_file(repo, "Dockerfile") == b"FROM golang:1.23\n"


def test_deleting_the_head_branch_closes_the_pull_request(
    github: GitHubStandIn, repo: Repo, api: Client
) -> None:
    github.create_branch(repo, "topic")
    github.commit(repo, {"a": "a\n"}, branch="topic")
    number = api(
        "POST", "/repos/acme/svc/pulls", {"head": "topic", "base": "main", "title": "t"}
    ).body["number"]
    assert api("DELETE", "/repos/acme/svc/git/refs/heads/topic").status == 204
    assert api("GET", f"/repos/acme/svc/pulls/{number}").body["state"] == "closed"


def test_issue_lifecycle(github: GitHubStandIn, repo: Repo, api: Client) -> None:
    created = api(
        "POST",
        "/repos/acme/svc/issues",
        {"title": "gocomply: configuration error", "body": "b", "labels": ["gocomply"]},
    )
    assert created.status == 201
    number = created.body["number"]
    assert (
        api("POST", "/repos/acme/svc/issues", {"title": "t", "assignees": ["ghost"]}).status == 422
    )
    listed = api("GET", "/repos/acme/svc/issues?state=open&creator=gocomply%5Bbot%5D").body
    assert [i["number"] for i in listed] == [number]
    patched = api("PATCH", f"/repos/acme/svc/issues/{number}", {"body": "b2", "state": "closed"})
    assert patched.body["state"] == "closed" and patched.body["state_reason"] == "completed"
    assert api("GET", "/repos/acme/svc/issues").body == []
    assert github.issues(repo)[0].body == "b2"


# -- performance, object format, real clients -------------------------------------------------


def test_building_many_repositories_is_fast(github: GitHubStandIn) -> None:
    start = time.perf_counter()
    for i in range(100):
        github.create_repo("bulk", f"r{i}", files={**GO_FILES, f"svc{i}.go": f"package s{i}\n"})
    assert time.perf_counter() - start < 5
    repo = github.repo("bulk/r7")
    assert repo.git.git("fsck", "--strict").decode() == ""
    assert github.files(repo)["svc7.go"] == b"package s7\n"


def test_standin_as_a_context_manager_and_repo_installation_lookup() -> None:
    with GitHubStandIn.start() as gh:
        app = gh.create_app("other-app")
        inst = gh.install(app, org="acme")
        gh.create_repo("acme", "svc", files=GO_FILES)
        client = jwt_client(gh, app)
        assert client("GET", "/repos/acme/svc/installation").body["id"] == inst.id
        assert client("GET", "/repos/acme/nope/installation").status == 404
        assert client("GET", f"/app/installations/{inst.id}").body["app_slug"] == "other-app"
        short = gh.issue_token(inst, ttl=-1)  # tokens expire by themselves too
        assert Client(gh, f"token {short.token}")("GET", "/repos/acme/svc").status == 401
        assert gh.take_violations() == []
        root = gh.root
    assert not root.exists()


def test_large_push_with_chunked_request_body(
    github: GitHubStandIn, github_installation: Installation, repo: Repo, tmp_path: Path
) -> None:
    token = github.issue_token(github_installation).token
    work = tmp_path / "work"
    git("clone", "-q", github.git_url("acme", "svc", token), str(work))
    (work / "big.bin").write_bytes(os.urandom(3 * 1024 * 1024))  # > http.postBuffer: chunked
    git("add", "big.bin", cwd=work)
    git("commit", "-qm", "big", cwd=work)
    git("push", "-q", "origin", "main", cwd=work)
    assert len(github.read_file(repo, "big.bin") or b"") == 3 * 1024 * 1024
    api = token_client(github, github_installation)
    tree = api("GET", "/repos/acme/svc/git/trees/main").body
    assert {e["path"]: e.get("size") for e in tree["tree"]}["big.bin"] == 3 * 1024 * 1024
    content = api("GET", "/repos/acme/svc/contents/big.bin").body  # over 1 MB: no content
    assert (content["encoding"], content["content"]) == ("none", "")


def test_webhook_payloads_are_checked_and_signed(
    github: GitHubStandIn, github_installation: Installation, repo: Repo
) -> None:
    assert webhooks.signature("It's a Secret to Everybody", b"Hello, World!") == (
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    )
    payload = {
        "action": "added",
        "installation": github._installation_json(github_installation),
        "repository_selection": "all",
        "repositories_added": [
            {
                "id": repo.id,
                "node_id": "R_1",
                "name": "svc",
                "full_name": "acme/svc",
                "private": True,
            }
        ],
        "repositories_removed": [],
        "requester": None,
        "sender": github._user(github.create_user("alice")),
    }
    assert webhooks.webhook_errors("installation_repositories", payload) == []
    assert webhooks.webhook_errors("installation_repositories", {"action": "added"})
    assert webhooks.webhook_errors("pull_request", {"action": "exploded"}) == [
        "no webhook 'pull-request-exploded' for event 'pull_request' in the vendored description"
    ]

    received: list[tuple[dict[str, str], bytes]] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/webhooks/github"
        secret = github_installation.app.webhook_secret
        status, _ = webhooks.deliver(url, "installation_repositories", payload, secret)
        assert status == 202
        with pytest.raises(webhooks.WebhookContractError):
            webhooks.deliver(url, "push", {"ref": "refs/heads/main"}, secret)
    finally:
        server.shutdown()
        server.server_close()
    ((headers, body),) = received
    assert headers["X-GitHub-Event"] == "installation_repositories"
    assert headers["X-Hub-Signature-256"] == webhooks.signature(secret, body)
