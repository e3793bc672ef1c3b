"""Facts files: `mlu-doctor facts --format json` writes them, `check --facts FILE` replays them."""

from __future__ import annotations

import json
from typing import Any

from mlu_doctor.defaults import FACTS_FILE_LIMIT
from mlu_doctor.errors import UsageError
from mlu_doctor.facts.model import FACTS_SCHEMA, Facts
from mlu_doctor.i18n import _
from mlu_doctor.serde import SerdeError, from_data, to_data


def facts_to_json(facts: Facts) -> str:
    """A facts file: the JSON envelope of kind `facts`, its schema_version the facts schema, the facts' fields
    at the top (`check --facts` reads it back; a `check --format json` envelope is read through its "facts")."""
    from mlu_doctor.output.envelope import Envelope

    data = to_data(facts)
    version = data.pop("schema_version")
    return Envelope("facts", data, schema_version=version).to_json()


FACTS_LIMIT = FACTS_FILE_LIMIT
MAX_DEPTH = 64  # nesting levels; facts nest about 6 deep


def read_facts_file(path: str) -> bytes:
    """The bytes of a facts file: a regular file (a FIFO or a device never blocks nor streams) of at most
    FACTS_LIMIT bytes; every problem is a UsageError."""
    from mlu_doctor.system.files import NotRegularFile, read_regular

    try:
        data = read_regular(path, FACTS_LIMIT + 1)
    except NotRegularFile as exc:
        raise UsageError(_("{path} is {kind}, not a facts file (write one with `mlu-doctor facts > FILE`)",
                           path=path, kind=exc.kind)) from None
    except (OSError, ValueError) as exc:
        error = getattr(exc, "strerror", None) or str(exc)
        raise UsageError(_("cannot read facts file {path}: {error}", path=path, error=error)) from None
    if len(data) > FACTS_LIMIT:
        raise UsageError(_("{path} is larger than {mib} MiB: not a facts file", path=path, mib=FACTS_LIMIT >> 20))
    return data


def too_deep(data: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether JSON data nests deeper than `limit` (checked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > limit:
                return True
            stack.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))
    return False


def load_facts(path: str) -> Facts:
    """Read a facts file (or a `check --format json` envelope); every problem is a UsageError."""
    raw = read_facts_file(path)
    try:
        data = json.loads(raw.decode("utf-8"))
        deep = too_deep(data)
    except RecursionError:  # nested deeper than the parser goes
        deep = True
    except (UnicodeDecodeError, ValueError) as exc:
        raise UsageError(_("{path} is not a JSON facts file: {error}", path=path, error=exc)) from None
    if deep:
        raise UsageError(_("{path} nests JSON deeper than {depth} levels: not a facts file", path=path,
                           depth=MAX_DEPTH))
    if isinstance(data, dict) and isinstance(data.get("facts"), dict):
        data = data["facts"]  # a `check --format json` envelope
    if not isinstance(data, dict) or "schema_version" not in data:
        raise UsageError(_("{path} is not a facts file (no schema_version)", path=path))
    version = data["schema_version"]
    if not isinstance(version, int) or version > FACTS_SCHEMA or version < 1:
        raise UsageError(_(
            "{path} uses facts schema {version}; this mlu-doctor reads schema {schema}: "
            "upgrade mlu-doctor or re-collect the facts with this version",
            path=path, version=repr(version), schema=FACTS_SCHEMA,
        ))
    try:
        return from_data(Facts, data)
    except SerdeError as exc:
        raise UsageError(_("{path}: invalid facts: {error}", path=path, error=exc)) from None
