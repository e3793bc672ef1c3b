"""toolkit checks (to be completed)."""

CHECKS = ()
