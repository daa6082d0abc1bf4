"""pytest fixtures of the GitHub stand-in (imported by tests/conftest.py).

* `github`: a fresh stand-in per test at the github.com layout (API at the server root);
* `github_ghes`: the same mounted under `/api/v3`, as GitHub Enterprise Server serves it;
* `github_app`: an App registered on `github` (session RSA key, default permissions);
* `github_installation`: that App installed on the organisation "acme" (all repositories).

Both servers FAIL the test at teardown when a contract violation was recorded (a request or
response that GitHub's OpenAPI description does not allow, an unknown endpoint or body field).
Tests that provoke violations on purpose call `take_violations()` before the end.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.github.model import App, Installation
from tests.github.server import GitHubStandIn

__all__ = ["github", "github_app", "github_ghes", "github_installation"]


def _serve(base_path: str) -> Iterator[GitHubStandIn]:
    gh = GitHubStandIn.start(base_path)
    try:
        yield gh
        violations = gh.take_violations()
        if violations:
            listing = "\n".join(f"  - {v}" for v in violations)
            pytest.fail(
                f"{len(violations)} GitHub contract violation(s):\n{listing}", pytrace=False
            )
    finally:
        gh.stop()


@pytest.fixture
def github() -> Iterator[GitHubStandIn]:
    yield from _serve("")


@pytest.fixture
def github_ghes() -> Iterator[GitHubStandIn]:
    yield from _serve("/api/v3")


@pytest.fixture
def github_app(github: GitHubStandIn) -> App:
    return github.create_app()


@pytest.fixture
def github_installation(github: GitHubStandIn, github_app: App) -> Installation:
    return github.install(github_app, org="acme")
