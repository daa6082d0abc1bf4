import pytest

from tests.corpus import check_available
from tests.github.fixtures import *  # noqa: F403
from tests.scorecard.fixtures import *  # noqa: F403


def pytest_runtest_setup(item: pytest.Item) -> None:
    # Tests marked `requires_corpus` (the `corpus` marker) skip, or fail under
    # GOCOMPLY_REQUIRE_CORPUS=1, when the corpus is missing (see tests/corpus.py).
    if item.get_closest_marker("corpus") is not None:
        check_available()
