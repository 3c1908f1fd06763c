"""The scenarios of features/provider_selection.feature."""

from pytest_bdd import scenarios

scenarios("provider_selection.feature")
