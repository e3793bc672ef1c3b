"""What a probe may use: the inspected System (files, commands, environment) and the config."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import field

from mlu_doctor.config import Config
from mlu_doctor.defaults import PROBE_TIMEOUT
from mlu_doctor.facts.model import Facts
from mlu_doctor.gateways import proc
from mlu_doctor.records import record as dataclass  # shared eq/repr: faster import
from mlu_doctor.system import System

# Called with every new ProbeContext (empty unless capture.record.recording() is active).
OBSERVERS: list[Callable[[ProbeContext], None]] = []


@dataclass
class ProbeContext:
    """Inputs of every probe. `facts` holds sections gathered so far (probes may read earlier ones)."""

    system: System
    config: Config = field(default_factory=Config)
    python: str | None = None  # --python; None = find one
    # the user named `python` (--python): an answer that is not Python's is bad input
    python_given: bool = False
    project_dir: str = "."
    cwd: str = "."
    timeout: float = PROBE_TIMEOUT
    facts: Facts = field(default_factory=Facts)

    def __post_init__(self) -> None:
        for observe in OBSERVERS:  # `mlu-doctor capture` wraps the System to record what the probes read
            observe(self)

    def run_tool(self, argv: Sequence[str], timeout: float | None = None) -> proc.RunResult:
        """A command on the inspected system with the probe timeout (or `timeout`)."""
        return self.system.run(argv, timeout=self.timeout if timeout is None else timeout)


def host_context(root: str = "/", environ: Mapping[str, str] | None = None, runner: proc.Runner | None = None,
                 can_run: bool = True, config: Config | None = None, python: str | None = None,
                 project_dir: str = ".", cwd: str = ".", timeout: float = PROBE_TIMEOUT) -> ProbeContext:
    """A context for the local machine (or a captured tree under `root`)."""
    from mlu_doctor.system.local import LocalSystem

    system = LocalSystem(root, environ=environ, runner=runner, can_run=can_run)
    return ProbeContext(system=system, config=config or Config(), python=python, project_dir=project_dir,
                        cwd=cwd, timeout=timeout)
