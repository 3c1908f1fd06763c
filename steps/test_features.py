"""Binds every scenario of features/ (recursively) to the step definitions."""

from pytest_bdd import scenarios

scenarios(".")
