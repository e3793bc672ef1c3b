"""driver checks (to be completed)."""

CHECKS = ()
