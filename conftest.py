"""The suite's plugin and step definitions, available to every test below the repository root."""

pytest_plugins = ["steps.plugin", "steps.given", "steps.when", "steps.then"]
