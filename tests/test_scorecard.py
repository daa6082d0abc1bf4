"""bot/scorecard.py: the Scorecard API client (against the local stand-in, tests/scorecard) and
the projection of Pinned-Dependencies over Dockerfile texts (Scorecard's own rules)."""

from __future__ import annotations

import socket
import threading
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from bot.scorecard import (
    NOT_FOUND_MESSAGE,
    PinnedCount,
    ScorecardClient,
    ScorecardFormatError,
    parse_result,
    pinned_dependencies,
    projection_table,
    selected_checks,
)
from bot.settings import Settings
from bot.store import Store
from tests.scorecard.server import ContractViolation, ScorecardStandIn

PROJECT = "github.com/acme/api"
COMMIT = "3f1c2e9a7b6d5c4e3f2a1b0c9d8e7f6a5b4c3d2e"
SCORECARD_COMMIT = "6c5375f9a3e7c1c5b1f84b1e2f1a6d0e7c9b8a71"


def check(name: str, score: int, details: list[str] | None = None) -> dict[str, Any]:
    slug = name.lower()
    return {
        "name": name,
        "score": score,
        "reason": f"{name} reason",
        "details": details,
        "documentation": {
            "url": f"https://github.com/ossf/scorecard/blob/{SCORECARD_COMMIT}/docs/checks.md#{slug}",
            "short": f"Determines {slug}.",
        },
    }


def result(name: str = PROJECT, **overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "date": "2026-03-01T06:12:44Z",
        "repo": {"name": name, "commit": COMMIT},
        "scorecard": {"version": "v5.2.1", "commit": SCORECARD_COMMIT},
        "score": 5.9,
        "checks": [
            check("Maintained", 10),
            check("Dangerous-Workflow", 10),
            check("Token-Permissions", 0, ["Warn: no topLevel permission defined: ci.yml:1"]),
            check("Pinned-Dependencies", 3, None),
            check("Fuzzing", -1),
        ],
    }
    doc.update(overrides)
    return doc


class Clock:
    def __init__(self, iso: str) -> None:
        self.now = datetime.fromisoformat(iso).replace(tzinfo=UTC).timestamp()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock("2026-03-01T23:58:00")


# --------------------------------------------------------------------------------------------
# The client against the stand-in


def test_parses_a_published_result(scorecard_api: ScorecardStandIn) -> None:
    scorecard_api.set_result(PROJECT, result())
    status = ScorecardClient(scorecard_api.url).get("acme", "api")
    assert status.kind == "ok" and status.result is not None
    r = status.result
    assert (r.repo_name, r.repo_commit, r.scorecard_version, r.score) == (
        PROJECT,
        COMMIT,
        "v5.2.1",
        5.9,
    )
    assert r.date == "2026-03-01T06:12:44Z" and r.scorecard_commit == SCORECARD_COMMIT
    assert status.message == (
        "OpenSSF Scorecard v5.2.1 scored this repository 5.9 / 10 on 2026-03-01 (commit 3f1c2e9)."
    )
    pinned = r.check("Pinned-Dependencies")
    assert pinned is not None and pinned.score == 3 and pinned.details is None
    assert pinned.doc_short == "Determines pinned-dependencies."
    tokens = r.check("token-permissions")  # names compare without regard to case
    assert tokens is not None
    assert tokens.details == ("Warn: no topLevel permission defined: ci.yml:1",)
    fuzzing = r.check("Fuzzing")
    assert fuzzing is not None and fuzzing.score == -1 and fuzzing.inconclusive
    assert r.check("SAST") is None
    assert [c.name for c in selected_checks(r)] == [
        "Pinned-Dependencies",
        "Token-Permissions",
        "Dangerous-Workflow",
    ]


def test_selected_checks_keeps_order_and_skips_missing() -> None:
    r = parse_result(result(checks=[check("Dangerous-Workflow", -1), check("Maintained", 9)]))
    assert [c.name for c in selected_checks(r)] == ["Dangerous-Workflow"]
    assert selected_checks(None) == ()


def test_missing_optional_fields_get_defaults() -> None:
    r = parse_result({"score": 7, "checks": [{"name": "Pinned-Dependencies", "score": 10}]})
    assert (r.date, r.repo_name, r.repo_commit, r.scorecard_version) == ("", "", "", "")
    assert r.score == 7.0
    c = r.check("Pinned-Dependencies")
    assert c is not None
    assert (c.reason, c.details, c.doc_url, c.doc_short) == ("", None, "", "")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ([], "not a JSON object"),
        ({"checks": []}, "score is missing"),
        ({"score": "7", "checks": []}, "score is missing or not a number"),
        ({"score": True, "checks": []}, "score is missing or not a number"),
        ({"score": 11, "checks": []}, "outside -1..10"),
        ({"score": 5}, "checks is missing"),
        ({"score": 5, "checks": [{"score": 1}]}, "checks[0].name is missing"),
        ({"score": 5, "checks": [{"name": "X", "score": 1.5}]}, "not an integer"),
        ({"score": 5, "checks": [{"name": "X", "score": -2}]}, "outside -1..10"),
        ({"score": 5, "checks": [{"name": "X", "score": 1, "details": "x"}]}, "details"),
        ({"score": 5, "checks": [{"name": "X", "score": 1, "reason": 3}]}, "reason"),
        ({"score": 5, "checks": [], "repo": []}, "repo is not an object"),
    ],
)
def test_rejects_what_is_not_a_result(data: object, problem: str) -> None:
    with pytest.raises(ScorecardFormatError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        parse_result(data)


def test_404_says_plainly_there_is_no_public_result(scorecard_api: ScorecardStandIn) -> None:
    client = ScorecardClient(scorecard_api.url)
    status = client.get("acme", "private-thing")
    assert status.result is None and status.kind == "not_found"
    assert status.message == NOT_FOUND_MESSAGE
    assert "private repositories are not scanned by the public API" in status.message
    # the webapp's own 404 has no body at all: same answer
    scorecard_api.set_status("github.com/acme/empty", 404, body=b"")
    assert client.get("acme", "empty").message == NOT_FOUND_MESSAGE


def test_private_and_enterprise_repositories_are_never_sent(
    scorecard_api: ScorecardStandIn,
) -> None:
    client = ScorecardClient(scorecard_api.url)
    private = client.get("acme", "secret", private=True)
    assert private.result is None and private.message == NOT_FOUND_MESSAGE
    ghes = client.get("acme", "api", platform="ghe.acme.internal")
    assert ghes.kind == "unsupported"
    assert ghes.message == (
        "Scorecard has no public result for repositories on ghe.acme.internal (the public "
        "Scorecard API covers public github.com repositories only)"
    )
    bad = client.get("acme", "../etc")
    assert bad.kind == "invalid" and bad.result is None
    assert scorecard_api.requests == [] and client.requests == 0


def test_server_error_is_one_clear_line_and_pauses_asking(
    scorecard_api: ScorecardStandIn, clock: Clock
) -> None:
    scorecard_api.set_status(PROJECT, 503)
    client = ScorecardClient(scorecard_api.url, clock=clock, pause=300)
    status = client.get("acme", "api")
    assert status.result is None and status.kind == "unavailable"
    host = scorecard_api.url.removeprefix("http://")
    assert status.message == (
        f"The Scorecard API ({host}) could not be read (HTTP 503), so this repository's "
        "Scorecard result is not shown"
    )
    # while the API is down, other repositories are answered without waiting for it
    assert client.get("acme", "other").message == status.message
    assert len(scorecard_api.requests) == 1
    # failures are not cached: after the pause the API is asked again
    clock.now += 301
    scorecard_api.set_result(PROJECT, result())
    assert client.get("acme", "api").kind == "ok"
    assert scorecard_api.requests_for(PROJECT) == 2


def test_network_error_never_raises() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = ScorecardClient(f"http://127.0.0.1:{port}", timeout=2)
    status = client.get("acme", "api")
    assert status.result is None and status.kind == "unavailable"
    assert status.message == (
        f"The Scorecard API (127.0.0.1:{port}) could not be read (ConnectionError), so this "
        "repository's Scorecard result is not shown"
    )


def test_other_http_errors(scorecard_api: ScorecardStandIn) -> None:
    scorecard_api.set_status(PROJECT, 400)
    status = ScorecardClient(scorecard_api.url).get("acme", "api")
    assert status.kind == "unavailable" and "(HTTP 400)" in status.message


def test_invalid_json_is_reported_not_raised(scorecard_api: ScorecardStandIn) -> None:
    scorecard_api.set_body(PROJECT, b'{"date": "2026-03-01", "score": ')
    status = ScorecardClient(scorecard_api.url).get("acme", "api")
    assert status.result is None and status.kind == "invalid"
    assert status.message == (
        "The Scorecard API's answer is not a Scorecard result (the answer is not JSON), so it "
        "is not shown"
    )
    # the stand-in saw it send a body the API description does not allow
    assert scorecard_api.take_violations() == [
        "GET /projects/github.com/acme/api: the HTTP 200 body is not JSON"
    ]


def test_wrong_shape_and_wrong_repository(scorecard_api: ScorecardStandIn) -> None:
    client = ScorecardClient(scorecard_api.url)
    scorecard_api.set_body(PROJECT, b'{"score": 4, "checks": {}}')
    status = client.get("acme", "api")
    assert status.kind == "invalid" and "(checks is missing or not a list)" in status.message
    scorecard_api.take_violations()
    scorecard_api.set_result("github.com/acme/web", result(name="github.com/acme/other"))
    other = client.get("acme", "web")
    assert other.kind == "invalid"
    assert "(it is the result of github.com/acme/other repository)" in other.message


def test_cached_per_repository_per_utc_day(scorecard_api: ScorecardStandIn, clock: Clock) -> None:
    scorecard_api.set_result(PROJECT, result())
    client = ScorecardClient(scorecard_api.url, clock=clock)
    first = client.get("acme", "api")
    again = client.get("Acme", "API")  # GitHub names are case-insensitive
    assert first == again and first.kind == "ok"
    assert client.get("acme", "gone").kind == "not_found"
    assert client.get("acme", "gone").kind == "not_found"  # a 404 is an answer too
    assert scorecard_api.requests_for(PROJECT) == 1
    assert scorecard_api.requests_for("github.com/acme/gone") == 1
    clock.now += 180  # 00:01 UTC the next day: a new day, a new request
    scorecard_api.set_result(PROJECT, result(score=6.4))
    later = client.get("acme", "api")
    assert later.result is not None and later.result.score == 6.4
    assert scorecard_api.requests_for(PROJECT) == 2
    assert [r.path for r in scorecard_api.requests] == [
        "/projects/github.com/acme/api",
        "/projects/github.com/acme/gone",
        "/projects/github.com/acme/api",
    ]


def test_concurrent_workers_send_one_request(scorecard_api: ScorecardStandIn) -> None:
    scorecard_api.set_result(PROJECT, result())
    client = ScorecardClient(scorecard_api.url)
    seen = []
    threads = [
        threading.Thread(target=lambda: seen.append(client.get("acme", "api"))) for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 8 and all(s.kind == "ok" for s in seen)
    assert scorecard_api.requests_for(PROJECT) == 1


def test_store_keeps_the_day_across_processes(
    scorecard_api: ScorecardStandIn, clock: Clock, tmp_path: Any
) -> None:
    store = Store(f"sqlite:///{tmp_path / 'state.sqlite3'}")
    try:
        scorecard_api.set_result(PROJECT, result())
        first = ScorecardClient(scorecard_api.url, clock=clock, store=store).get("acme", "api")
        assert store.recall("scorecard:acme/api:2026-03-01") is not None
        ScorecardClient(scorecard_api.url, clock=clock, store=store).get("acme", "gone")
        # a new process (new client) the same day: both answers come from the store
        client = ScorecardClient(scorecard_api.url, clock=clock, store=store)
        assert client.get("acme", "api") == first
        assert client.get("acme", "gone").message == NOT_FOUND_MESSAGE
        assert client.requests == 0 and len(scorecard_api.requests) == 2
        clock.now += 3600
        assert client.get("acme", "api").kind == "ok" and client.requests == 1
    finally:
        store.close()


def test_unreadable_store_entry_is_fetched_again(
    scorecard_api: ScorecardStandIn, clock: Clock, tmp_path: Any
) -> None:
    store = Store(f"sqlite:///{tmp_path / 'state.sqlite3'}")
    try:
        store.remember("scorecard:acme/api:2026-03-01", b"not json")
        scorecard_api.set_result(PROJECT, result())
        status = ScorecardClient(scorecard_api.url, clock=clock, store=store).get("acme", "api")
        assert status.kind == "ok" and scorecard_api.requests_for(PROJECT) == 1
    finally:
        store.close()


def test_base_url_comes_from_settings(scorecard_api: ScorecardStandIn) -> None:
    settings = Settings.from_env({"GOCOMPLY_SCORECARD_URL": scorecard_api.url + "/"})
    client = ScorecardClient.from_settings(settings, session=requests.Session())
    assert client.base_url == scorecard_api.url
    assert client.url("acme", "api") == f"{scorecard_api.url}/projects/github.com/acme/api"
    assert Settings.from_env({}).scorecard_url == "https://api.securityscorecards.dev"


# --------------------------------------------------------------------------------------------
# The stand-in checks itself


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda r: r.update(score=10.5), "score: 10.5 is greater than the maximum of 10"),
        (lambda r: r["checks"][0].update(score=11), "checks/0/score: 11 is greater than"),
        (lambda r: r["checks"][0].update(details="none"), "is not of type 'array', 'null'"),
        (lambda r: r["checks"][0].pop("documentation"), "'documentation' is a required"),
        (lambda r: r.pop("checks"), "'checks' is a required property"),
        (lambda r: r["repo"].update(commit="main"), "repo/commit: 'main' does not match"),
        (lambda r: r.update(badge="x"), "Additional properties are not allowed ('badge'"),
    ],
)
def test_stand_in_rejects_a_malformed_result(
    scorecard_api: ScorecardStandIn, change: Any, problem: str
) -> None:
    doc = result()
    change(doc)
    with pytest.raises(ContractViolation) as err:
        scorecard_api.set_result(PROJECT, doc)
    assert problem in str(err.value)
    assert scorecard_api.requests == []


def test_stand_in_records_undocumented_requests(scorecard_api: ScorecardStandIn) -> None:
    scorecard_api.set_result(PROJECT, result())
    r = requests.get(f"{scorecard_api.url}/projects/github.com/acme", timeout=5)
    assert r.status_code == 404 and r.json() == {
        "code": 404,
        "message": "path /projects/github.com/acme was not found",
    }
    assert (
        requests.get(f"{scorecard_api.url}/projects/{PROJECT}?branch=main", timeout=5).status_code
        == 400
    )
    ok = requests.get(f"{scorecard_api.url}/projects/{PROJECT}?commit={COMMIT}", timeout=5)
    assert ok.status_code == 200 and ok.headers["Cache-Control"] == "max-age=600"
    assert scorecard_api.take_violations() == [
        "GET /projects/github.com/acme: not an operation of the Scorecard API subset",
        "GET /projects/github.com/acme/api: undocumented query parameter 'branch'",
    ]


# --------------------------------------------------------------------------------------------
# The projection: Scorecard's Pinned-Dependencies rules over Dockerfile texts

DIGEST = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
MULTI_STAGE = f"""\
# syntax=docker/dockerfile:1
ARG GO_IMAGE=golang:1.22-bookworm@sha256:{DIGEST}
ARG RUNTIME
FROM --platform=$BUILDPLATFORM ${{GO_IMAGE}} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go get ./...
RUN go install golang.org/x/tools/cmd/goimports@v0.24.0 \\
 && go install honnef.co/go/tools/cmd/staticcheck@latest
RUN ["go", "install", "github.com/go-delve/delve/cmd/dlv@latest"]
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM build AS test
RUN go test ./...

FROM golang:1.22 AS tools
RUN go install github.com/golangci/golangci-lint/cmd/golangci-lint@v1.59.1

FROM gcr.io/distroless/static-debian12:nonroot@sha256:{DIGEST} AS runtime
FROM scratch AS export
COPY --from=build /out/api /api
FROM export
FROM $RUNTIME
"""


def test_multi_stage_dockerfile() -> None:
    count = pinned_dependencies({"Dockerfile": MULTI_STAGE})
    images = [(d.line, d.pinned) for d in count.dependencies if d.kind == "containerImage"]
    assert images == [
        (4, True),  # ${GO_IMAGE} resolved from the ARG default, pinned by digest
        (14, True),  # an earlier stage: counted again, pinned because `build` is
        (17, False),  # tag only
        (20, True),  # digest
        (23, True),  # `export` is scratch: pinned
        (24, False),  # $RUNTIME has no default (and $NAME is never resolved)
    ]
    gos = [(d.line, d.snippet, d.pinned) for d in count.dependencies if d.kind == "goCommand"]
    assert gos == [
        (7, "go get ./...", True),  # local: Scorecard counts it as pinned
        (8, "go install golang.org/x/tools/cmd/goimports@v0.24.0", True),
        (8, "go install honnef.co/go/tools/cmd/staticcheck@latest", False),
        (10, "go install github.com/go-delve/delve/cmd/dlv@latest", False),  # exec form
        (18, "go install github.com/golangci/golangci-lint/cmd/golangci-lint@v1.59.1", True),
    ]
    assert (count.container_images, count.go_commands) == ((4, 6), (3, 5))
    assert count.skipped == ()


@pytest.mark.parametrize(
    ("run", "pinned"),
    [
        ("go get github.com/org/name@some_tag", False),
        ("go install github.com/org/name@v1.2.3", True),
        ("go install github.com/org/name@v1.2.3-rc.1+build.5", True),
        ("go install github.com/org/name@v0.0.0-20240101000000-abcdef123456", True),
        ("go get github.com/org/name@1111111111ccccccccccaaaaaaaaaa9999999999", True),
        ("go get github.com/org/name@111111111ccccccccccaaaaaaaaaa9999999999", False),  # 39
        ("go get somerepo.com/org/name@none", True),
        ("go get somerepo.com/org/name@v1", False),
        ("go get somerepo.com/org/name@v1.2", False),
        ("go get somerepo.com/org/name@latest", False),
        ("go get somerepo.com/org/name@upgrade", False),
        ("go get -insecure somerepo.com/org/name@v1.2.3", False),
        ("go get -insecure somerepo.com/org/name@1111111111ccccccccccaaaaaaaaaa9999999999", True),
        ("go get -d -v somerepo.com/org/name@v1.2.3", True),
        ("go install github.com/org/name", False),
        ("go install /some/local/path", True),
        ("go get -u ./...", True),
        ("go install .", True),
        # Scorecard reads the first package-like argument and skips only some flags:
        ("go install -ldflags=-s github.com/org/name@latest", True),
        ("go install github.com/a/x@latest github.com/b/y@v1.0.0", True),
        # quotes stay part of the word Scorecard reads
        ('go install "github.com/org/name@v1.2.3"', False),
        ("sudo go install github.com/org/name@latest", False),
        ("time go install github.com/org/name@v1.2.3", True),
        ("/usr/local/go/bin/go install github.com/org/name@latest", False),
        ("sh -c 'go install github.com/org/name@latest'", False),
        ('bash -c "go install github.com/org/name@v1.2.3"', True),
        ('["go", "install", "-Y", "github.com/org/name@v1.2.3"]', True),
    ],
)
def test_go_command_pinning(run: str, pinned: bool) -> None:
    count = pinned_dependencies({"Dockerfile": f"FROM golang:1.22\nRUN {run}\n"})
    assert count.go_commands == (int(pinned), 1)


@pytest.mark.parametrize(
    "run",
    [
        "go mod download",
        "go build -a bla",
        '["go", "install"]',
        "go install github.com/org/name@${VERSION}",  # the word has two parts: unseen
        "env GOBIN=/out go install github.com/org/name@latest",  # the command is `env`
        '["sh", "-c", "go install github.com/org/name@latest"]',  # joined: no quoted script
        "python3 -c 'go install github.com/org/name@latest'",
    ],
)
def test_go_commands_scorecard_does_not_count(run: str) -> None:
    count = pinned_dependencies({"Dockerfile": f"FROM golang:1.22\nRUN {run}\n"})
    assert count.go_commands == (0, 0)


def test_heredoc_bodies_replace_the_run_line() -> None:
    text = (
        "FROM golang:1.22\n"
        "RUN go install example.com/never/counted@latest <<EOF\n"
        "set -e\n"
        "go install example.com/tool/cmd/a@v1.0.0\n"
        "go install example.com/tool/cmd/b@master\n"
        "EOF\n"
    )
    count = pinned_dependencies({"Dockerfile": text})
    assert [(d.snippet, d.pinned) for d in count.dependencies if d.kind == "goCommand"] == [
        ("go install example.com/tool/cmd/a@v1.0.0", True),
        ("go install example.com/tool/cmd/b@master", False),
    ]


def test_scorecard_testdata_dockerfile_args() -> None:
    # ossf/scorecard checks/raw/testdata/Dockerfile-args: 2 unpinned
    text = (
        "FROM ${ARG}:@sha256:${HASH}\n"
        "FROM something:@sha256:${HASH}\n"
        "FROM ${ARG}:${TAG}\n"
        "FROM other:${SOMETHING}\n"
    )
    assert pinned_dependencies({"Dockerfile": text}).container_images == (2, 4)


def test_scorecard_testdata_pinned_arg() -> None:
    # ossf/scorecard checks/raw/testdata/Dockerfile-pinned-arg: every image pinned
    text = (
        "ARG REGISTRY=docker.io\n"
        f"ARG GO_VER=1.21-alpine@sha256:{DIGEST}\n"
        "ARG SDK_VERSION=9.0\n"
        "FROM ${REGISTRY}/library/golang:${GO_VER} as golang\n"
        "FROM golang as tool1\n"
        f"FROM mcr.microsoft.com/dotnet/sdk:9.0.304@sha256:{DIGEST} AS dotnet-sdk-9.0\n"
        "FROM dotnet-sdk-${SDK_VERSION} AS build\n"
    )
    assert pinned_dependencies({"Dockerfile": text}).container_images == (4, 4)


def test_keywords_are_case_sensitive_for_scorecard() -> None:
    text = "from golang:1.22 as build\nrun go install example.com/x/y@latest\nFROM build\n"
    count = pinned_dependencies({"Dockerfile": text})
    assert (count.container_images, count.go_commands) == ((0, 1), (0, 0))


def test_files_scorecard_does_not_read() -> None:
    run = "FROM golang:1.22\nRUN go install example.com/x/y@latest\n"
    count = pinned_dependencies(
        {
            "vendor/github.com/x/Dockerfile": run,
            "third_party/Dockerfile": run,
            "testdata/Dockerfile": run,
            "build/Containerfile": run,
            "docker/Dockerfile.tmpl": run,
            "scripts/build.Dockerfile.sh": "#!/bin/sh\n" + run,
            "only-comments.Dockerfile": "# nothing\n\n",
            "bad.Dockerfile": "FROM golang\nENV GOFLAGS\n",
            "two-words.Dockerfile": run + "FROM a b\n",
        }
    )
    assert (count.container_images, count.go_commands) == ((0, 0), (0, 1))  # the template's RUN
    assert dict(count.skipped) == {
        "vendor/github.com/x/Dockerfile": "Scorecard skips vendor and third_party directories",
        "third_party/Dockerfile": "Scorecard skips vendor and third_party directories",
        "testdata/Dockerfile": "Scorecard skips test data",
        "build/Containerfile": "Scorecard reads only files whose name contains “Dockerfile”",
        "docker/Dockerfile.tmpl": "Scorecard ignores the FROM lines of template files",
        "scripts/build.Dockerfile.sh": "Scorecard does not read it as a Dockerfile",
        "bad.Dockerfile": "BuildKit's parser rejects it (line 2: ENV must have two arguments); "
        "Scorecard stops",
        "two-words.Dockerfile": "line 3: Scorecard cannot read this FROM line",
    }


def test_projection_table_rows() -> None:
    before = pinned_dependencies(
        {"Dockerfile": "FROM golang:1.22\nENV GOSUMDB=off\nRUN go get -u ./...\n"}
    )
    after = pinned_dependencies({"Dockerfile": "FROM golang:1.22\nRUN go mod download\n"})
    rows = projection_table(before, after)
    assert rows == [
        ("containerImage (`FROM … @sha256:`)", "0 of 1 pinned", "0 of 1 pinned"),
        (
            "goCommand (`go install`/`go get` of a local package, or of a module at `@vX.Y.Z`, "
            "a commit or `@none`)",
            "1 of 1 pinned",  # `go get -u ./...` is local: pinned for Scorecard
            "none found",
        ),
    ]
    empty = PinnedCount((0, 0), (0, 0))
    assert [r[1:] for r in projection_table(empty, empty)] == [
        ("none found", "none found"),
        ("none found", "none found"),
    ]
