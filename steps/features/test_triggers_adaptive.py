"""The scenarios of features/triggers/adaptive.feature."""

from pytest_bdd import scenarios

scenarios("triggers/adaptive.feature")
