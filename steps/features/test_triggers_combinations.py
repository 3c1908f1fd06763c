"""The scenarios of features/triggers/combinations.feature."""

from pytest_bdd import scenarios

scenarios("triggers/combinations.feature")
