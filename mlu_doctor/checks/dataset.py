"""dataset checks (to be completed)."""

CHECKS = ()
