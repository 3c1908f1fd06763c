"""The scenarios of features/cas_versions.feature."""

from pytest_bdd import scenarios

scenarios("cas_versions.feature")
