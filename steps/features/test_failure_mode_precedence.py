"""The scenarios of features/failure_mode_precedence.feature."""

from pytest_bdd import scenarios

scenarios("failure_mode_precedence.feature")
