"""The scenarios of features/bypass.feature."""

from pytest_bdd import scenarios

scenarios("bypass.feature")
