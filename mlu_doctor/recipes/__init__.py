"""Recipes: registry of built-in fixers and the `mlu_doctor.recipes` entry-point group."""

from __future__ import annotations

import importlib

from mlu_doctor.recipes.base import Recipe

ENTRY_POINT_GROUP = "mlu_doctor.recipes"

# "module:Class" of each built-in recipe.
RECIPES = (
    "mlu_doctor.recipes.env_recipes:TorchHome",
    "mlu_doctor.recipes.env_recipes:PythonPath",
    "mlu_doctor.recipes.env_recipes:LdPath",
    "mlu_doctor.recipes.container_recipes:ContainerDevices",
    "mlu_doctor.recipes.dataset_recipes:CocoDataset",
    "mlu_doctor.recipes.dataset_recipes:InjectDataset",
)


def _load(ref: str) -> Recipe:
    module, _sep, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)()


def all_recipes(plugins: bool = True) -> tuple[dict[str, Recipe], list[str]]:
    """Recipes by id (built-ins first; plugins may not take an existing id) and load problems."""
    recipes = {r.id: r for r in map(_load, RECIPES)}
    problems: list[str] = []
    if plugins:
        from importlib.metadata import entry_points

        for ep in entry_points(group=ENTRY_POINT_GROUP):
            try:
                obj = ep.load()
                recipe = obj() if isinstance(obj, type) else obj
                if not isinstance(recipe, Recipe):
                    raise TypeError(f"{recipe!r} is not a Recipe")
                if recipe.id in recipes:
                    raise ValueError(f"recipe id {recipe.id} already taken")
                recipes[recipe.id] = recipe
            except Exception as exc:
                problems.append(f"recipe plugin {ep.name} ({ep.value}): {type(exc).__name__}: {exc}")
    return recipes, problems
