"""Links that leave the source tree are spotted."""

from __future__ import annotations

from mlu_doctor.inject.run import leaves
from mlu_doctor.inject.tree import (
    LINK,
    Entry,
)


def test_links_leaving_src_are_spotted():
    assert leaves(Entry("a/l", LINK, 1, 1, 0o777, "../../x"))
    assert leaves(Entry("l", LINK, 1, 1, 0o777, "/etc"))
    assert not leaves(Entry("a/l", LINK, 1, 1, 0o777, "../b/x"))
