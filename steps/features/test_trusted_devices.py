"""The scenarios of features/trusted_devices.feature."""

from pytest_bdd import scenarios

scenarios("trusted_devices.feature")
