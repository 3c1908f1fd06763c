"""The scenarios of features/ranking_step_up.feature."""

from pytest_bdd import scenarios

scenarios("ranking_step_up.feature")
