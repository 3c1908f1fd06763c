"""The scenarios of features/triggers/scripts.feature."""

from pytest_bdd import scenarios

scenarios("triggers/scripts.feature")
