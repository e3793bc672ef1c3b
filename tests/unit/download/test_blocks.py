"""Block scheduling: idle connections steal the back half of the largest block, but never a short tail."""

from __future__ import annotations

from mlu_doctor.download.blocks import Blocks, runs


def test_no_steal_of_a_tail_shorter_than_min_steal():
    blocks = Blocks(list(range(8)), set(), parts=2, min_steal=3)
    assert blocks.take(0) == (0, 4) and blocks.take(1) == (4, 8)
    blocks.at(0, 2)
    blocks.at(1, 6)
    assert blocks.take(2) is None  # 2 and 2 pieces left: too short to take over


def test_steal_when_the_tail_is_long_enough():
    blocks = Blocks(list(range(16)), set(), parts=1, min_steal=4)
    assert blocks.take(0) == (0, 16)
    blocks.at(0, 1)
    assert blocks.take(1) == (9, 16) and blocks.end_of(0) == 9


def test_blocks_split_runs_and_steal_the_back_half():
    assert runs([0, 1, 2, 5, 6, 7], partial={6}) == [[0, 3], [5, 6], [6, 8]]
    blocks = Blocks(list(range(8)), set(), parts=2)
    assert blocks.take(0) == (0, 4) and blocks.take(1) == (4, 8)
    blocks.at(0, 3)
    blocks.at(1, 5)
    assert blocks.take(2) == (7, 8) and blocks.end_of(1) == 7  # stole the back half of the biggest block
    blocks.give_back(2)
    assert blocks.take(3) == (7, 8)
