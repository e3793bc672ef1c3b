"""Facts files: `mlu-doctor facts --format json` writes them, `check --facts FILE` replays them."""

from __future__ import annotations

import json

from mlu_doctor.errors import UsageError
from mlu_doctor.facts.model import FACTS_SCHEMA, Facts
from mlu_doctor.i18n import _
from mlu_doctor.serde import SerdeError, from_data, to_data


def facts_to_json(facts: Facts) -> str:
    return json.dumps(to_data(facts), indent=2, ensure_ascii=False) + "\n"


def load_facts(path: str) -> Facts:
    """Read a facts file (or a `check --format json` envelope); every problem is a UsageError."""
    try:
        with open(path, "rb") as fh:
            data = json.loads(fh.read().decode("utf-8"))
    except OSError as exc:
        raise UsageError(_("cannot read facts file {path}: {error}", path=path, error=exc.strerror)) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise UsageError(_("{path} is not a JSON facts file: {error}", path=path, error=exc)) from None
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
