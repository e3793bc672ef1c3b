"""Recipe building blocks: a pure `plan()` made of steps, and an `apply()` that performs them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal, Optional

from mlu_doctor.config import Config
from mlu_doctor.facts.model import Facts
from mlu_doctor.system.files import READ_LIMIT, FileSource

# Step kinds. write/mkdir/run/call are performed by apply(); advice is printed, never run.
StepKind = Literal["write", "mkdir", "run", "call", "advice"]
WRITE: Final = "write"
MKDIR: Final = "mkdir"
RUN: Final = "run"
CALL: Final = "call"
ADVICE: Final = "advice"


@dataclass(frozen=True)
class Step:
    """One change a plan makes, or one command the user must run themselves (kind=advice)."""

    kind: StepKind
    description: str
    path: Optional[str] = None  # write/mkdir: where the change lands (symlinks resolved)
    link: Optional[str] = None  # write/mkdir: the path as the user names it, when a symlink leads to `path`
    before: Optional[bytes] = None  # write: current content, None when the file does not exist
    after: Optional[bytes] = None  # write: new content
    mode: Optional[int] = None  # write: mode of a created file; mkdir: mode
    argv: tuple[str, ...] = ()  # run/call/advice: the command
    bytes_to_move: int = 0  # call: data the step transfers
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)  # call: the recipe's apply arguments

    @property
    def actionable(self) -> bool:
        return self.kind != ADVICE

    def param(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)


@dataclass(frozen=True)
class Plan:
    """What a recipe would do, computed from the current state (empty when already fixed)."""

    recipe: str
    title: str
    steps: tuple[Step, ...] = ()
    notes: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()  # variables a new shell will see once applied (for the re-check)
    refused: tuple[str, ...] = ()  # why this plan cannot be carried out (then it has no actions)

    @property
    def actions(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.actionable)

    @property
    def advice(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if not s.actionable)

    @property
    def bytes_to_move(self) -> int:
        return sum(s.bytes_to_move for s in self.steps)


@dataclass(frozen=True)
class ApplyResult:
    """What apply() did: the steps done, and an error when it stopped early."""

    recipe: str
    done: tuple[str, ...] = ()
    error: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.error is None


class NoFiles:
    """A FileSource with no files (plans that read nothing, tests)."""

    label = "none"

    def read_bytes(self, path: str, limit: int = READ_LIMIT) -> bytes | None:
        return None

    def read_text(self, path: str, limit: int = READ_LIMIT) -> str | None:
        return None

    def listdir(self, path: str) -> list[str] | None:
        return None

    def is_dir(self, path: str) -> bool:
        return False

    def is_file(self, path: str) -> bool:
        return False

    def exists(self, path: str) -> bool:
        return False

    def readlink(self, path: str) -> str | None:
        return None

    def glob(self, pattern: str) -> list[str]:
        return []


@dataclass(frozen=True)
class PlanContext:
    """Read-only inputs of plan(): the environment, and the inspected System's files (bounded reads of
    regular files, paths resolved inside its root). plan() reads through it and changes nothing."""

    environ: Mapping[str, str] = field(default_factory=dict)
    system: FileSource = field(default_factory=NoFiles)
    cwd: str = "/"
    scope: str = "host"  # "host" or "container:NAME" (then changes are advice for that container)
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def home(self) -> str:
        return self.environ.get("HOME") or "/root"

    def read(self, path: str, limit: int = READ_LIMIT) -> Optional[bytes]:
        """At most `limit` bytes of the regular file `path`; None when missing, unreadable or not a regular
        file."""
        return self.system.read_bytes(path, limit)

    def is_dir(self, path: str) -> bool:
        return self.system.is_dir(path)


class Recipe:
    """Base recipe: `plan` is pure; the default `apply` performs write/mkdir/run steps through gateways."""

    id: str = ""
    title: str = ""
    fixes: tuple[str, ...] = ()  # check ids this recipe claims to fix
    needs: tuple[str, ...] = ()  # fact sections plan() reads besides those of the checks

    def plan(self, facts: Facts, config: Config, ctx: PlanContext) -> Plan:
        raise NotImplementedError

    def apply(self, plan: Plan, gateways: Any) -> ApplyResult:
        """Perform the plan's actionable steps in order; stop at the first failure."""
        from mlu_doctor.recipes.apply import apply_steps

        return apply_steps(self.id, plan.actions, gateways, self.call)

    def call(self, step: Step, gateways: Any) -> str:
        """Run a `call` step (recipes with their own machinery override this)."""
        raise NotImplementedError(f"{self.id} has no call steps")
