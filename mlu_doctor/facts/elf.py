"""A small pure ELF reader: the dynamic section of a shared object (NEEDED, SONAME, RPATH, RUNPATH).

Reads only the ELF header, the program headers, the dynamic section and the strings it names,
through `read(offset, length) -> bytes`, so a 100 MB `_MLUC.so` costs a few kilobytes.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import NamedTuple, Optional

Reader = Callable[[int, int], Optional[bytes]]

PT_LOAD, PT_DYNAMIC = 1, 2
DT_NULL, DT_NEEDED, DT_STRTAB, DT_SONAME, DT_RPATH, DT_RUNPATH = 0, 1, 5, 14, 15, 29
EM_X86_64, EM_AARCH64 = 62, 183
MAX_PHDRS = 256
MAX_DYN = 4096
MAX_NAME = 4096


class ElfError(ValueError):
    """The bytes are not an ELF file this reader understands."""


class Dynamic(NamedTuple):
    """What the dynamic loader reads from one object: its class, machine and dynamic entries."""

    is64: bool
    machine: int
    needed: list[str]
    soname: Optional[str] = None
    rpath: Optional[str] = None  # DT_RPATH (ignored by ld.so when DT_RUNPATH is present)
    runpath: Optional[str] = None

    @property
    def search_rpath(self) -> Optional[str]:
        """The DT_RPATH ld.so uses: none when the object also has a DT_RUNPATH."""
        return None if self.runpath is not None else self.rpath


def elf_kind(read: Reader) -> tuple[bool, int]:
    """(is 64-bit, e_machine) from the ELF header; raises ElfError when it is not ELF."""
    try:
        end, is64 = _layout(_read(read, 0, 16))
        machine, = struct.unpack(end + "H", _read(read, 18, 2))
    except struct.error as exc:
        raise ElfError(f"malformed: {exc}") from None
    return is64, machine


def _read(read: Reader, offset: int, length: int) -> bytes:
    data = read(offset, length)
    if data is None or len(data) < length:
        raise ElfError(f"truncated at offset {offset}")
    return data


def _layout(ident: bytes) -> tuple[str, bool]:
    if ident[:4] != b"\x7fELF":
        raise ElfError("not an ELF file")
    if ident[4] not in (1, 2) or ident[5] not in (1, 2):
        raise ElfError("unknown ELF class or byte order")
    return ("<" if ident[5] == 1 else ">"), ident[4] == 2


def _program_headers(read: Reader, end: str, is64: bool) -> list[tuple[int, int, int, int]]:
    """(type, offset, vaddr, filesz) of each program header."""
    if is64:
        phoff, = struct.unpack(end + "Q", _read(read, 32, 8))
        phentsize, phnum = struct.unpack(end + "HH", _read(read, 54, 4))
        fmt, size = end + "IIQQQQQQ", 56
    else:
        phoff, = struct.unpack(end + "I", _read(read, 28, 4))
        phentsize, phnum = struct.unpack(end + "HH", _read(read, 42, 4))
        fmt, size = end + "IIIIIIII", 32
    if phnum > MAX_PHDRS or (phnum and phentsize < size):
        raise ElfError("implausible program header table")
    table = _read(read, phoff, phentsize * phnum) if phnum else b""
    out = []
    for i in range(phnum):
        f = struct.unpack_from(fmt, table, i * phentsize)
        if is64:  # type, flags, offset, vaddr, paddr, filesz, memsz, align
            out.append((f[0], f[2], f[3], f[5]))
        else:  # type, offset, vaddr, paddr, filesz, memsz, flags, align
            out.append((f[0], f[1], f[2], f[4]))
    return out


def _dynamic(read: Reader, end: str, is64: bool, offset: int, size: int) -> list[tuple[int, int]]:
    fmt = end + ("qQ" if is64 else "iI")
    step = struct.calcsize(fmt)
    count = min(size // step, MAX_DYN)
    data = _read(read, offset, count * step)
    out = []
    for i in range(count):
        tag, val = struct.unpack_from(fmt, data, i * step)
        if tag == DT_NULL:
            break
        out.append((tag, val))
    return out


def _to_offset(loads: list[tuple[int, int, int, int]], vaddr: int) -> int:
    for _t, off, va, filesz in loads:
        if va <= vaddr < va + filesz:
            return off + (vaddr - va)
    return vaddr  # unmapped: some linkers leave file offsets here


def _cstring(read: Reader, offset: int) -> str:
    data = read(offset, MAX_NAME) or b""
    end = data.find(b"\x00")
    if end < 0:
        raise ElfError("unterminated string")
    return data[:end].decode("utf-8", errors="replace")


def needed_libraries(read: Reader) -> list[str]:
    """DT_NEEDED names of an ELF shared object, in order; raises ElfError when unreadable."""
    return dynamic_info(read).needed


def dynamic_info(read: Reader) -> Dynamic:
    """Class, machine, NEEDED, SONAME, RPATH and RUNPATH of an ELF object; raises ElfError when unreadable."""
    try:
        return _dynamic_info(read)
    except struct.error as exc:
        raise ElfError(f"malformed: {exc}") from None


def _dynamic_info(read: Reader) -> Dynamic:
    end, is64 = _layout(_read(read, 0, 16))
    machine, = struct.unpack(end + "H", _read(read, 18, 2))
    phdrs = _program_headers(read, end, is64)
    dyn = [p for p in phdrs if p[0] == PT_DYNAMIC]
    if not dyn:
        return Dynamic(is64, machine, [])
    entries = _dynamic(read, end, is64, dyn[0][1], dyn[0][3])
    strtab = next((v for t, v in entries if t == DT_STRTAB), None)
    if strtab is None:
        raise ElfError("dynamic section without a string table")
    base = _to_offset([p for p in phdrs if p[0] == PT_LOAD], strtab)

    def first(tag: int) -> Optional[str]:
        value = next((v for t, v in entries if t == tag), None)
        return None if value is None else _cstring(read, base + value)

    needed = [_cstring(read, base + v) for t, v in entries if t == DT_NEEDED]
    return Dynamic(is64, machine, needed, first(DT_SONAME), first(DT_RPATH), first(DT_RUNPATH))


def bytes_reader(data: bytes) -> Reader:
    """A Reader over bytes in memory (tests, small files)."""
    return lambda offset, length: data[offset:offset + length]
