"""The scenarios of features/triggers/authentication_attribute.feature."""

from pytest_bdd import scenarios

scenarios("triggers/authentication_attribute.feature")
