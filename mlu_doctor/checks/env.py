"""env checks (to be completed)."""

CHECKS = ()
