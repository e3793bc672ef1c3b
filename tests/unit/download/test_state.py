"""Part state: round trip, foreign state refused, mirror ranges kept, a state from another boot distrusted past its last flush."""

from __future__ import annotations

import os

from mlu_doctor.download.state import PartState, load_state, piece_size_for


def test_state_round_trip_and_rejects_foreign_state(tmp_path):
    st = PartState.fresh(10 * 1024 * 1024 + 5, "a" * 64, piece_size_for(10 * 1024 * 1024 + 5, 4))
    st.advance(0, 100, "http://m/")
    st.save(str(tmp_path / "s"))
    back = load_state(str(tmp_path / "s"), st.size, "a" * 64)
    assert back.done == st.done and back.sources == {"http://m/": 100}
    assert load_state(str(tmp_path / "s"), st.size, "b" * 64) is None
    assert load_state(str(tmp_path / "s"), st.size + 1, "a" * 64) is None
    (tmp_path / "s").write_text("{not json")
    assert load_state(str(tmp_path / "s"), st.size, "a" * 64) is None


def test_state_keeps_mirror_ranges_and_distrusts_a_state_from_another_boot(tmp_path, monkeypatch):
    from mlu_doctor.download import state as state_mod

    st = PartState.fresh(4 * 1024 * 1024, "a" * 64, 1024 * 1024)
    st.advance(0, 1024 * 1024, "http://a/")
    st.advance(1, 1024 * 1024, "http://a/")
    fd = os.open(tmp_path / "part", os.O_RDWR | os.O_CREAT)
    try:
        st.save(str(tmp_path / "s"), flush_fd=fd)  # durable: both pieces flushed
    finally:
        os.close(fd)
    st.advance(2, 1024 * 1024, "http://b/")
    st.advance(3, 100, "http://a/")
    st.save(str(tmp_path / "s"))  # not flushed: piece 2 and 100 bytes of piece 3 live in the page cache only
    assert st.ranges() == {"http://a/": [[0, 2 * 1024 * 1024], [3 * 1024 * 1024, 4 * 1024 * 1024]],
                           "http://b/": [[2 * 1024 * 1024, 3 * 1024 * 1024]]}
    same_boot = load_state(str(tmp_path / "s"), st.size, "a" * 64)
    assert same_boot.done == st.done and same_boot.origins == [["http://a/"], ["http://a/"], ["http://b/"],
                                                                ["http://a/"]]
    monkeypatch.setattr(state_mod, "boot_id", lambda: "another-boot")
    rebooted = load_state(str(tmp_path / "s"), st.size, "a" * 64)
    assert rebooted.done == [1024 * 1024, 1024 * 1024, 0, 0] and rebooted.origins[2:] == [[], []]

