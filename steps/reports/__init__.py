"""Conformance reports: the JSON record, the HTML matrix, known deviations, observations, comparison."""
