"""@record behaves as @dataclass for equality, repr and hashing (it only shares the generated code)."""

from __future__ import annotations

import dataclasses
from dataclasses import field

import pytest

from mlu_doctor.records import record


@record
class Point:
    x: int
    y: int = 0
    tags: list[str] = field(default_factory=list)
    note: str = field(default="", compare=False, repr=False)


@record(frozen=True)
class Frozen:
    a: str
    b: tuple[int, ...] = ()


@dataclasses.dataclass
class Twin:
    x: int
    y: int = 0
    tags: list[str] = field(default_factory=list)
    note: str = field(default="", compare=False, repr=False)


def test_equality_and_repr_match_a_dataclass():
    assert Point(1, 2, ["a"]) == Point(1, 2, ["a"])
    assert Point(1, 2) != Point(1, 3)
    assert Point(1, note="x") == Point(1, note="y")  # compare=False is honoured
    assert Point(1) != Twin(1)  # other classes never compare equal
    assert repr(Point(1, 2, ["a"], "hidden")) == repr(Twin(1, 2, ["a"], "hidden")).replace("Twin", "Point")
    assert dataclasses.replace(Point(1), y=5) == Point(1, 5)
    assert dataclasses.asdict(Point(1)) == {"x": 1, "y": 0, "tags": [], "note": ""}


def test_hashing_follows_dataclass_rules():
    with pytest.raises(TypeError):
        hash(Point(1))
    assert hash(Frozen("a", (1,))) == hash(Frozen("a", (1,)))
    assert len({Frozen("a"), Frozen("a"), Frozen("b")}) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        Frozen("a").a = "b"  # type: ignore[misc]


def test_own_methods_win_and_other_settings_are_refused():
    @record
    class Custom:
        x: int

        def __repr__(self) -> str:
            return "custom"

    assert repr(Custom(1)) == "custom" and Custom(1) == Custom(1)
    with pytest.raises(TypeError):
        record(eq=False)
