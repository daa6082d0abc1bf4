from tests.github.fixtures import *  # noqa: F403
from tests.scorecard.fixtures import *  # noqa: F403
