"""The scenarios of features/triggers/timed.feature."""

from pytest_bdd import scenarios

scenarios("triggers/timed.feature")
