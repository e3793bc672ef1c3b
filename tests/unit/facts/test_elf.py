"""ELF NEEDED from built and real libraries; garbage and fuzzed bytes raise only ElfError."""

from __future__ import annotations

import contextlib
import os

import pytest

from mlu_doctor.facts.elf import ElfError, bytes_reader, needed_libraries
from tests.kit import pyenvs


def test_elf_needed_from_builder_and_a_real_library():
    assert needed_libraries(bytes_reader(pyenvs.elf_with_needed(["libcnml.so", "libcnrt.so"]))) == ["libcnml.so", "libcnrt.so"]
    real = next((p for p in ("/usr/lib/x86_64-linux-gnu/libz.so.1", "/lib/x86_64-linux-gnu/libz.so.1") if os.path.exists(p)), None)
    if real:
        with open(real, "rb") as fh:
            assert "libc.so.6" in needed_libraries(bytes_reader(fh.read()))


@pytest.mark.parametrize("data", [b"", b"not an elf at all", pyenvs.elf_with_needed(["libx.so"])[:100], b"\x7fELF\x09\x01"])
def test_elf_garbage_raises_elf_error(data):
    with pytest.raises(ElfError):
        needed_libraries(bytes_reader(data))


def test_elf_fuzzed_bytes_raise_only_elf_error():
    import random

    good = pyenvs.elf_with_needed(["libcnnl.so", "libcnrt.so"])
    rng = random.Random(7)
    for _ in range(300):
        data = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        with contextlib.suppress(ElfError):
            needed_libraries(bytes_reader(bytes(data[: rng.randint(0, len(data))])))
