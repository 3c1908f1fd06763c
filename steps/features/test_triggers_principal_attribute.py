"""The scenarios of features/triggers/principal_attribute.feature."""

from pytest_bdd import scenarios

scenarios("triggers/principal_attribute.feature")
