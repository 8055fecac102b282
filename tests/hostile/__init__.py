"""Generated hostile and broken inputs for whole-scan tests (see `tests.hostile.generate`)."""
