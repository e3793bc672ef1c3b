"""The prefix hasher follows the contiguous prefix of pieces written out of order."""

from __future__ import annotations

import os

from mlu_doctor.download.state import PartState


def test_prefix_hasher_follows_the_contiguous_prefix(tmp_path):
    import hashlib

    from mlu_doctor.download.prefixhash import PrefixHasher

    data = os.urandom(5 * 1024 * 1024 + 123)
    part = tmp_path / "a.part"
    part.write_bytes(b"\0" * len(data))
    st = PartState.fresh(len(data), "x", 1024 * 1024)
    hasher = PrefixHasher(str(part), st)
    try:
        with open(part, "r+b") as fh:
            for i in (1, 0, 3, 2, 5, 4):  # out of order: only the contiguous prefix may be hashed
                start, end = st.bounds(i)
                fh.seek(start)
                fh.write(data[start:end])
                fh.flush()
                st.advance(i, end - start, "http://m/")
                hasher.poke()
                assert hasher.position <= st.contiguous()
        assert hasher.finish() == hashlib.sha256(data).hexdigest()
    finally:
        hasher.release()

