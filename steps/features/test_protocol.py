"""The scenarios of features/protocol.feature."""

from pytest_bdd import scenarios

scenarios("protocol.feature")
