"""Step definitions of the conformance suite, written against the Target interface only."""
