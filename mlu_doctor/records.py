"""`@record`: a dataclass whose `__eq__` and `__repr__` are shared functions, not code generated per class.

`dataclasses.dataclass` writes the source of `__init__`, `__repr__` and `__eq__` for every class and runs
`exec()` on each; for the ~25 fact classes imported by every `mlu-doctor check` that is about 10 ms of its
start-up. A record generates only `__init__` and takes one shared `__eq__` (same class and equal field
values, as a dataclass compares) and `__repr__` (`Name(field=value, ...)`): half the cost, same behaviour.
Records are ordinary dataclasses: `fields()`, `replace()`, `asdict()` and the serde work unchanged.
"""

from __future__ import annotations

import dataclasses
import sys
from typing import Any

if sys.version_info >= (3, 11):
    from typing import dataclass_transform
else:  # Python < 3.11: type checkers read the 3.11 branch; at run time a no-op
    def dataclass_transform(**_: Any) -> Any:
        return lambda f: f


def _values(obj: Any, compare: bool = False) -> tuple:
    return tuple(getattr(obj, f.name) for f in dataclasses.fields(obj) if not compare or f.compare)


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _values(self, compare=True) == _values(other, compare=True)


def _repr(self: Any) -> str:
    fields = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self) if f.repr)
    return f"{self.__class__.__qualname__}({fields})"


def _hash(self: Any) -> int:
    return hash(_values(self, compare=True))


@dataclass_transform(eq_default=True)
def record(cls: type | None = None, **options: Any) -> Any:
    """Like `@dataclass` / `@dataclass(frozen=True, ...)`; eq and repr are always on (and shared)."""
    if options.get("eq") is False or options.get("repr") is False or "unsafe_hash" in options:
        raise TypeError("@record always compares and prints its fields; use @dataclass for other settings")

    def wrap(c: type) -> type:
        own = {name for name in ("__eq__", "__repr__", "__hash__") if name in c.__dict__}
        c = dataclasses.dataclass(c, **{**options, "eq": False, "repr": False})
        shared = {"__eq__": _eq, "__repr__": _repr, "__hash__": _hash if options.get("frozen") else None}
        for name, func in shared.items():  # as @dataclass: frozen records hash, mutable ones do not
            if name not in own:
                setattr(c, name, func)
        return c

    return wrap if cls is None else wrap(cls)
