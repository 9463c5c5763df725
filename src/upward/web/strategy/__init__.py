"""Strategy (guide Step 7): priorities from the evidence, the community vision, theories of
change, the systems-change logic model and its strategies, review and approval."""
