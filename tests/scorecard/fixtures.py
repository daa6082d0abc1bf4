"""pytest fixture of the Scorecard API stand-in (imported by tests/conftest.py).

* `scorecard_api`: a fresh `ScorecardStandIn` per test. The test FAILS at teardown when a
  contract violation was recorded (a request the API description does not describe, or a
  response that breaks it); tests that provoke one on purpose call `take_violations()`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.scorecard.server import ScorecardStandIn

__all__ = ["scorecard_api"]


@pytest.fixture
def scorecard_api() -> Iterator[ScorecardStandIn]:
    api = ScorecardStandIn.start()
    try:
        yield api
        violations = api.take_violations()
        if violations:
            listing = "\n".join(f"  - {v}" for v in violations)
            pytest.fail(
                f"{len(violations)} Scorecard API contract violation(s):\n{listing}",
                pytrace=False,
            )
    finally:
        api.stop()
