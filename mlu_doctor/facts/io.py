"""Facts files: `mlu-doctor facts --format json` writes them, `check --facts FILE` replays them."""

from __future__ import annotations

import json

from mlu_doctor.defaults import FACTS_FILE_LIMIT
from mlu_doctor.errors import UsageError
from mlu_doctor.facts.model import FACTS_SCHEMA, Facts
from mlu_doctor.i18n import _
from mlu_doctor.serde import SerdeError, from_data, to_data
from mlu_doctor.untrusted import too_deep  # the depth check lives with the other readers of untrusted input


def facts_to_json(facts: Facts) -> str:
    """A facts file: the JSON envelope of kind `facts`, its schema_version the facts schema, the facts' fields
    at the top (`check --facts` reads it back; a `check --format json` envelope is read through its
    "facts")."""
    from mlu_doctor.output.envelope import Envelope

    data = to_data(facts)
    version = data.pop("schema_version")
    return Envelope("facts", data, schema_version=version).to_json()


FACTS_LIMIT = FACTS_FILE_LIMIT
__all__ = ["FACTS_LIMIT", "facts_to_json", "load_facts", "read_facts_file", "too_deep"]


def read_facts_file(path: str) -> bytes:
    """The bytes of a facts file: a regular file (a FIFO or a device never blocks nor streams) of at most
    FACTS_LIMIT bytes; every problem is a UsageError."""
    from mlu_doctor.untrusted import TooLarge, read_input

    try:
        return read_input(path, FACTS_LIMIT)
    except TooLarge:
        raise UsageError(_("{path} is larger than {mib} MiB: not a facts file", path=path,
                           mib=FACTS_LIMIT >> 20)) from None
    except OSError as exc:
        if getattr(exc, "kind", None):  # NotRegularFile
            raise UsageError(_("{path} is {kind}, not a facts file "
                               "(write one with `mlu-doctor facts > FILE`)",
                               path=path, kind=getattr(exc, "kind", ""))) from None
        raise UsageError(_("cannot read facts file {path}: {error}", path=path, error=exc.strerror
                           or exc)) from None


def load_facts(path: str) -> Facts:
    """Read a facts file (or a `check --format json` envelope); every problem is a UsageError."""
    from mlu_doctor.untrusted import MAX_DEPTH, InputProblem, TooDeep, load_json

    raw = read_facts_file(path)
    try:
        data = load_json(raw, MAX_DEPTH)
    except TooDeep:
        raise UsageError(_("{path} nests JSON deeper than {depth} levels: not a facts file", path=path,
                           depth=MAX_DEPTH)) from None
    except InputProblem as exc:
        raise UsageError(_("{path} is not a JSON facts file: {error}", path=path, error=exc)) from None
    if isinstance(data, dict) and isinstance(data.get("facts"), dict):
        data = data["facts"]  # a `check --format json` envelope
    if not isinstance(data, dict) or "schema_version" not in data:
        raise UsageError(_("{path} is not a facts file (no schema_version)", path=path))
    version = data["schema_version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise UsageError(_("{path}: schema_version must be a whole number (this mlu-doctor writes {schema}), "
                           "not {version}", path=path, version=json.dumps(version), schema=FACTS_SCHEMA))
    if version > FACTS_SCHEMA:
        raise UsageError(_(
            "{path} uses facts schema {version}; this mlu-doctor reads schema {schema}: "
            "upgrade mlu-doctor or re-collect the facts with this version",
            path=path, version=repr(version), schema=FACTS_SCHEMA,
        ))
    try:
        return from_data(Facts, data)
    except SerdeError as exc:
        raise UsageError(_("{path}: invalid facts: {error}", path=path, error=exc)) from None
