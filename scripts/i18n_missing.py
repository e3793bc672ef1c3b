#!/usr/bin/env python3
"""List the message templates a catalog lacks (or whose {fields} differ).

    python scripts/i18n_missing.py            # report missing / mismatched templates for zh, exit 1 if any
    python scripts/i18n_missing.py --stub     # print a dict stub to paste into mlu_doctor/locale/zh.py
    python scripts/i18n_missing.py --lang xx  # another catalog

Templates come from mlu_doctor/locale/extract.py (`_("...")` and `N_("...")` literals, help= strings, command
docstrings, check titles); signature texts are checked by tests/test_i18n.py.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mlu_doctor.locale.extract import catalog_problems, package_templates  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="zh")
    parser.add_argument("--stub", action="store_true", help="print a MESSAGES stub for the missing templates")
    args = parser.parse_args()
    try:
        catalog = importlib.import_module(f"mlu_doctor.locale.{args.lang}").MESSAGES
    except (ImportError, AttributeError):
        catalog = {}
    templates = package_templates()
    missing, mismatched = catalog_problems(catalog, templates)
    if args.stub:
        for t in missing:
            print(f"    # {', '.join(templates[t])}")
            print(f"    {t!r}: {t!r},")
        return 1 if missing else 0
    for t in missing:
        print(f"missing     {t!r}  ({', '.join(templates[t])})")
    for t in mismatched:
        print(f"fields      {t!r} -> {catalog[t]!r}")
    stale = [t for t in catalog if t not in templates]
    for t in stale:
        print(f"stale       {t!r} (no longer used; remove it)")
    print(f"{len(templates)} templates, {len(missing)} missing, {len(mismatched)} with other fields", file=sys.stderr)
    return 1 if missing or mismatched or stale else 0


if __name__ == "__main__":
    sys.exit(main())
