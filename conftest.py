"""The suite's plugin and step definitions, available to every test below the repository root."""

pytest_plugins = [
    "mocks.pytest_plugin",
    "steps.plugin",
    "steps.export",
    "steps.given",
    "steps.provider_steps",
    "steps.when",
    "steps.then",
    "steps.reports.deviations",
    "steps.reports.plugin",
]
