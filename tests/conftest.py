from tests.github.fixtures import *  # noqa: F403
