"""The scenarios of features/provider_outages.feature."""

from pytest_bdd import scenarios

scenarios("provider_outages.feature")
