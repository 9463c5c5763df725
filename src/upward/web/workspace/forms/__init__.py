"""Forms of the workspace app, styled for USWDS, each rejecting bad values field by field."""
