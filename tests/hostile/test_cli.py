"""The real CLI against every generated hostile case (tests/hostile/cases.py): exit code, one stderr line,
a time limit, and nothing changed outside the declared targets (tests/hostile/harness.py)."""

from __future__ import annotations

import pytest

from tests.hostile.cases import ALL
from tests.hostile.harness import judge, make_box

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def peer():
    from tests.hostile.peers import Peer

    made = Peer()
    yield made
    made.stop()


@pytest.mark.parametrize("case", ALL, ids=[c.id for c in ALL])
def test_hostile_case(case, tmp_path, request):
    needs_peer = any("{peer" in a for a in (*case.argv, *case.env.values()))
    url = request.getfixturevalue("peer").url if needs_peer else ""
    judge(case, make_box(tmp_path / "box"), url)
