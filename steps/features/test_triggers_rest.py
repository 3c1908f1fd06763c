"""The scenarios of features/triggers/rest.feature."""

from pytest_bdd import scenarios

scenarios("triggers/rest.feature")
