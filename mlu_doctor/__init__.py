"""mlu-doctor: environment doctor and setup CLI for PyTorch on Cambricon MLU accelerators.

Python API (details in `mlu_doctor.api`):

    from mlu_doctor import require, diagnose
    require("framework.arch-match", "device.present")   # raises mlu_doctor.RequirementFailed when not met
    report = diagnose(only=["driver."])                  # the Report `mlu-doctor check` renders

Importing this package is cheap and imports neither torch, docker, requests, typer nor rich: the API
names load on first use (module `__getattr__`).
"""

from __future__ import annotations

import sys
from types import ModuleType

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing would double the cost of this import

__version__ = "0.1.0"

__all__ = ["CannotDiagnose", "Finding", "Report", "RequirementFailed", "Status", "__version__", "diagnose",
           "require"]

if TYPE_CHECKING:
    from typing import Any

    from mlu_doctor.api import CannotDiagnose, RequirementFailed, diagnose, require
    from mlu_doctor.findings import Finding, Report, Status

_LAZY = {"require": "mlu_doctor.api", "RequirementFailed": "mlu_doctor.api",
         "CannotDiagnose": "mlu_doctor.api",
         "Report": "mlu_doctor.findings", "Finding": "mlu_doctor.findings", "Status": "mlu_doctor.findings"}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'mlu_doctor' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _DiagnoseEntry:
    """`mlu_doctor.diagnose`: calling it is the API (`mlu_doctor.api.diagnose`); its attributes are those of
    the pipeline module of the same name (`mlu_doctor.diagnose.Target`, monkeypatching
    "mlu_doctor.diagnose.X")."""

    __slots__ = ()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from mlu_doctor.api import diagnose as api_diagnose

        return api_diagnose(*args, **kwargs)

    @staticmethod
    def _module() -> ModuleType:
        from importlib import import_module

        return import_module("mlu_doctor.diagnose")

    @property
    def __signature__(self) -> Any:
        import inspect

        from mlu_doctor.api import diagnose as api_diagnose

        return inspect.signature(api_diagnose)

    @property
    def __dict__(self) -> dict[str, Any]:  # type: ignore[override]  # vars() and monkeypatch see the module's
        return vars(self._module())

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._module(), name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self._module(), name)

    def __repr__(self) -> str:
        return "<function mlu_doctor.diagnose (mlu_doctor.api.diagnose)>"


class _Package(ModuleType):
    """The package keeps `diagnose` as the API entry point when the import system binds the submodule
    there."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "diagnose" and isinstance(value, ModuleType):
            return  # the pipeline module stays in sys.modules["mlu_doctor.diagnose"]
        super().__setattr__(name, value)


if not TYPE_CHECKING:
    diagnose = _DiagnoseEntry()
sys.modules[__name__].__class__ = _Package
