"""pytest fixtures: the mock providers live for the session and are reset around every test.

Enable with ``pytest_plugins = ["mocks.pytest_plugin"]``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mocks.suite import MockSuite


@pytest.fixture(scope="session")
def mock_suite() -> Iterator[MockSuite]:
    with MockSuite() as suite:
        yield suite


@pytest.fixture
def mocks(mock_suite: MockSuite) -> MockSuite:
    """The session's mocks, reset before the test (every user of them starts from a reset)."""
    mock_suite.reset()
    return mock_suite
