"""Recipes: the built-in fixers, and those of installed plugins (plugin_contract.RECIPE_PLUGINS)."""

from __future__ import annotations

from mlu_doctor.i18n import _
from mlu_doctor.plugin_contract import RECIPE_PLUGINS
from mlu_doctor.plugins import load_plugins
from mlu_doctor.recipes.base import Recipe
from mlu_doctor.recipes.container_recipes import ContainerDevices
from mlu_doctor.recipes.dataset_recipes import CocoDataset, InjectDataset
from mlu_doctor.recipes.env_recipes import LdPath, PythonPath, TorchHome

# The built-in recipes, in the order `fix` plans them.
RECIPES: tuple[type[Recipe], ...] = (TorchHome, PythonPath, LdPath, ContainerDevices, CocoDataset,
                                     InjectDataset)


def all_recipes(plugins: bool = True) -> tuple[dict[str, Recipe], list[str]]:
    """Recipes by id (built-ins first; plugins may not take an existing id) and load problems."""
    recipes = {r.id: r for r in (cls() for cls in RECIPES)}
    problems: list[str] = []
    if plugins:
        loaded, problems = load_plugins(RECIPE_PLUGINS)
        for p in loaded:
            if p.item.id in recipes:
                problems.append(_("plugin recipe {id} ({origin}) ignored: id already taken", id=p.item.id,
                                  origin=p.origin))
            else:
                recipes[p.item.id] = p.item
    return recipes, problems
