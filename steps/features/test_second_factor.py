"""The scenarios of features/second_factor.feature."""

from pytest_bdd import scenarios

scenarios("second_factor.feature")
