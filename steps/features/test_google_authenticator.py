"""The scenarios of features/google_authenticator.feature."""

from pytest_bdd import scenarios

scenarios("google_authenticator.feature")
