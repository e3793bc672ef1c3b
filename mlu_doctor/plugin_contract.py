"""The plugin contract: the entry-point groups mlu-doctor reads, and what each entry point must name.

A plugin is an installed distribution (a wheel, an editable install) that declares entry points, e.g.

    # pyproject.toml of the plugin
    [project.entry-points."mlu_doctor.checks"]
    site = "site_doctor:CHECKS"
    [project.entry-points."mlu_doctor.recipes"]
    quota = "site_doctor:QuotaFile"
    [project.entry-points."mlu_doctor.signatures"]
    site = "site_doctor:SIGNATURES"

`mlu_doctor.checks`: a `CheckSpec`, or a list or tuple of them. Make one with the `check` decorator:

    from mlu_doctor.checks import check
    from mlu_doctor.findings import ok, warn

    @check("site.gpu-quota", "Site GPU quota file", needs=("env",), recipe="site.quota")
    def gpu_quota(facts: Facts, config: Config) -> Finding:
        ...

    The function is pure: it reads `facts` (only the sections named in `needs`, gathered for it) and
    `config`, returns one `Finding` and never prints or touches the disk. Its id is dotted by area and
    must not be a built-in id (a taken id is reported and the plugin check ignored).

`mlu_doctor.recipes`: a `Recipe` subclass (made with no arguments) or a `Recipe` instance
(`mlu_doctor.recipes.base`): `id`, `title`, `fixes` (the check ids it claims to fix, re-checked after
`apply`), `needs` (fact sections `plan` reads besides those of the checks), a pure
`plan(facts, config, ctx) -> Plan`, and `apply`/`call` only when its steps are not plain file writes,
folders or commands. `plan` reads files only through `ctx` (`ctx.read`, `ctx.is_dir`, `ctx.system`: the
inspected System, bounded reads); apply writes only the paths its write/mkdir steps name (a symlink is
never followed: resolve it with `recipes.targets.file_target` and name both). Its id must not be a
built-in id either.

`mlu_doctor.signatures` (the contract is fixed; `explain` does not read this group yet): a `Signature` or a
list or tuple of them (`mlu_doctor.explain.signatures`), built with `parse_signatures(yaml_text, where)`
from YAML in the format of the built-in `signatures.yaml`.

What a plugin's entry point names is checked here, when it is loaded (plugins.py); a plugin that cannot
be imported or breaks the contract is reported as one line (`mlu-doctor: plugin NAME (module:attr):
...`) and the rest of the run goes on without it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from mlu_doctor.plugins import CHECKS_GROUP, RECIPES_GROUP, SIGNATURES_GROUP
from mlu_doctor.records import record

if TYPE_CHECKING:
    from mlu_doctor.checks import CheckSpec
    from mlu_doctor.explain.signatures import Signature
    from mlu_doctor.recipes.base import Recipe

T = TypeVar("T")


@record(frozen=True)
class PluginKind(Generic[T]):
    """One kind of plugin: its entry-point group, and how the object an entry point names becomes items."""

    group: str
    # the loaded object -> what it provides; TypeError if it breaks the contract
    items: Callable[[Any], list[T]]


@record(frozen=True)
class Plugin(Generic[T]):
    """One item a plugin provides, and the entry point it came from."""

    item: T
    name: str  # the entry point's name
    origin: str  # the entry point's value, "module:attr"


def _sequence(obj: Any, kind: type, what: str) -> list[Any]:
    """`obj` as a list of `kind` instances: one instance, or a list or tuple of them."""
    items = list(obj) if isinstance(obj, (list, tuple)) else [obj]
    for item in items:
        if not isinstance(item, kind):
            raise TypeError(f"{item!r} is not {what}")
    return items


def check_specs(obj: Any) -> list[CheckSpec]:
    """A CheckSpec, or a list or tuple of them."""
    from mlu_doctor.checks import CheckSpec

    return _sequence(obj, CheckSpec, "a CheckSpec")


def recipes(obj: Any) -> list[Recipe]:
    """A Recipe subclass (made with no arguments) or a Recipe instance."""
    from mlu_doctor.recipes.base import Recipe

    return _sequence(obj() if isinstance(obj, type) else obj, Recipe, "a Recipe")


def signatures(obj: Any) -> list[Signature]:
    """A Signature, or a list or tuple of them."""
    from mlu_doctor.explain.signatures import Signature

    return _sequence(obj, Signature, "a Signature")


CHECK_PLUGINS: PluginKind[CheckSpec] = PluginKind(CHECKS_GROUP, check_specs)
RECIPE_PLUGINS: PluginKind[Recipe] = PluginKind(RECIPES_GROUP, recipes)
SIGNATURE_PLUGINS: PluginKind[Signature] = PluginKind(SIGNATURES_GROUP, signatures)
KINDS = (CHECK_PLUGINS, RECIPE_PLUGINS, SIGNATURE_PLUGINS)
