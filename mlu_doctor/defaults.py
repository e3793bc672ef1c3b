"""Defaults, and the bounds a user may set them within: written once, here.

Config validation (`config.py`), the CLI options and the functions that take these as default arguments
read them from this module; a value that differs elsewhere is a bug. Standard library only, no imports:
every command loads it.
"""

from __future__ import annotations

# Timeouts, in seconds. One a user sets (an option or a `timeouts:` key) must lie in (0, TIMEOUT_MAX].
TIMEOUT_MAX = 3600.0
# a probe's command (cnmon, the user's Python) is killed after this: --timeout, timeouts.probe
PROBE_TIMEOUT = 3.0
DOCKER_TIMEOUT = 10.0  # one call to the Docker daemon while diagnosing a container: timeouts.docker
# inject: seconds the Docker daemon may stay silent (no answer, no progress): --timeout
INJECT_STALL_TIMEOUT = 60.0
# check --runtime: the child importing torch / torch_mlu is killed after this: timeouts.runtime
RUNTIME_TIMEOUT = 20.0
FETCH_STALL_TIMEOUT = 30.0  # fetch-coco: seconds without data before a mirror counts as stalled: --timeout

# Read caps, in bytes: nothing the doctor reads on its own account is unbounded.
READ_LIMIT = 1024 * 1024  # one file read through a System (probes; recipes' plans)
COMMAND_OUTPUT_LIMIT = 4 * 1024 * 1024  # stdout (and stderr) kept of one command
FACTS_FILE_LIMIT = 64 * 1024 * 1024  # a facts file given to --facts (real ones are well under 1 MiB)
CONFIG_FILE_LIMIT = 1024 * 1024  # .mlu-doctor.yaml (real ones are a few hundred bytes)
YAML_FILE_LIMIT = 16 * 1024 * 1024  # a manifest (--manifest) or a signature file (--signatures)
# a journal or fetch-coco's own state records (train2017's member list: ~10 MiB)
RECORD_FILE_LIMIT = 256 * 1024 * 1024


def timeout_allowed(seconds: float) -> bool:
    """Whether a timeout a user set lies within (0, TIMEOUT_MAX] seconds."""
    return 0 < seconds <= TIMEOUT_MAX


def check_timeout(seconds: float | None, what: str = "--timeout") -> None:
    """A UsageError (exit 2) unless `seconds` is None or within (0, TIMEOUT_MAX]; `what` names the option."""
    if seconds is None or timeout_allowed(seconds):
        return
    from mlu_doctor.errors import UsageError  # loaded only for the error: this module imports nothing
    from mlu_doctor.i18n import _

    raise UsageError(_("{what} must be greater than 0 and at most {max:g} seconds",
                       what=what, max=TIMEOUT_MAX))
