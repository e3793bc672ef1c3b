"""Dataclasses to JSON-able data and back, driven by type hints (facts files, JSON envelopes)."""

from __future__ import annotations

import dataclasses
import enum
import sys
import types
import typing
from typing import Any, TypeVar, get_args, get_origin

T = TypeVar("T")
_HINTS: dict[type, dict[str, Any]] = {}


def to_data(obj: Any) -> Any:
    """Turn dataclasses, enums, tuples and dicts into JSON-able data."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_data(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, enum.Enum):
        return obj.name.lower() if isinstance(obj, enum.IntEnum) else obj.value
    if isinstance(obj, (list, tuple)):
        return [to_data(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): to_data(v) for k, v in obj.items()}
    return obj


class SerdeError(ValueError):
    """Data that does not fit the declared types."""


def _hints(cls: type) -> dict[str, Any]:
    """The field types of `cls`, resolved in its module; a module that imports some of the names its
    annotations use only for the type checker lists them in `deferred_names()` (facts/model.py does)."""
    if cls not in _HINTS:
        module = sys.modules.get(cls.__module__)
        names = dict(vars(module)) if module else {}
        if callable(names.get("deferred_names")):
            names.update(names["deferred_names"]())
        _HINTS[cls] = typing.get_type_hints(cls, names)
    return _HINTS[cls]


def from_data(tp: Any, data: Any, where: str = "$") -> Any:
    """Rebuild a value of type `tp` from JSON-able data; unknown keys are ignored."""
    origin = get_origin(tp)
    if tp is Any:
        return data
    if origin in (typing.Union, getattr(types, "UnionType", typing.Union)):
        args = [a for a in get_args(tp) if a is not type(None)]
        if data is None:
            return None
        return from_data(args[0], data, where) if len(args) == 1 else data
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):  # a class, as type hints name them
        if not isinstance(data, dict):
            raise SerdeError(f"{where}: expected an object, got {type(data).__name__}")
        hints = _hints(tp)
        kwargs = {
            f.name: from_data(hints[f.name], data[f.name], f"{where}.{f.name}")
            for f in dataclasses.fields(tp)
            if f.name in data and f.init
        }
        try:
            return tp(**kwargs)
        except TypeError as exc:
            raise SerdeError(f"{where}: {exc}") from None
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        try:
            return tp[str(data).upper()] if issubclass(tp, enum.IntEnum) else tp(data)
        except (KeyError, ValueError):
            raise SerdeError(f"{where}: {data!r} is not a valid {tp.__name__}") from None
    if origin in (list, tuple):
        if not isinstance(data, list):
            raise SerdeError(f"{where}: expected a list, got {type(data).__name__}")
        item_args = get_args(tp)
        items = [from_data(item_args[0] if item_args else Any, x, f"{where}[{i}]")
                 for i, x in enumerate(data)]
        return tuple(items) if origin is tuple else items
    if origin is dict:
        if not isinstance(data, dict):
            raise SerdeError(f"{where}: expected an object, got {type(data).__name__}")
        vt = get_args(tp)[1] if get_args(tp) else Any
        return {k: from_data(vt, v, f"{where}.{k}") for k, v in data.items()}
    if tp in (int, float, str, bool):
        ok = isinstance(data, tp) or (tp is float and isinstance(data, int) and not isinstance(data, bool))
        if not ok or (tp is int and isinstance(data, bool)):
            raise SerdeError(f"{where}: expected {tp.__name__}, got {type(data).__name__}")
        return data
    return data
