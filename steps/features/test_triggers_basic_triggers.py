"""The scenarios of features/triggers/basic_triggers.feature."""

from pytest_bdd import scenarios

scenarios("triggers/basic_triggers.feature")
