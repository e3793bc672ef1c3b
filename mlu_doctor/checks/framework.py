"""framework checks (to be completed)."""

CHECKS = ()
