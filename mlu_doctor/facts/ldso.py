"""The dynamic loader's configuration inside an inspected system: ld.so.cache and /etc/ld.so.conf(.d).

Pure parsers over bytes and text, plus readers that take a file-access object (anything with
`read_bytes`, `read_text`, `listdir`, `exists`: a System or a FileSource).
"""

from __future__ import annotations

import posixpath
import struct
from typing import TYPE_CHECKING, NamedTuple, Optional

from mlu_doctor.facts.elf import EM_AARCH64, EM_X86_64

LD_SO_CACHE = "/etc/ld.so.cache"
LD_SO_CONF = "/etc/ld.so.conf"
CACHE_LIMIT = 16 * 1024 * 1024
MAX_INCLUDE_DEPTH = 8
MAX_CONF_FILES = 200

OLD_MAGIC = b"ld.so-1.7.0"
NEW_MAGIC = b"glibc-ld.so.cache1.1"
_NEW_HEADER = 48  # magic+version 20, nlibs, len_strings, flags + 3 pad, extension_offset, 3 unused
_NEW_ENTRY = 24  # flags, key, value, osversion, hwcap (u64)
_OLD_HEADER = 16  # magic 11 + pad, nlibs
_OLD_ENTRY = 12
FLAG_TYPE_MASK, FLAG_REQUIRED_MASK = 0x00FF, 0xFF00
FLAG_ELF_LIBC6 = 0x0003
ARCH_FLAGS = {EM_X86_64: 0x0300, EM_AARCH64: 0x0A00}  # FLAG_X8664_LIB64, FLAG_AARCH64_LIB64
MULTIARCH = {EM_X86_64: "x86_64-linux-gnu", EM_AARCH64: "aarch64-linux-gnu"}


if TYPE_CHECKING:  # file access protocols for the type checker; any object with these methods works
    from typing import Protocol

    class Files(Protocol):
        """The file access the loader readers need (a System or a FileSource has it)."""

        def read_bytes(self, path: str, limit: int = ...) -> bytes | None: ...
        def read_text(self, path: str, limit: int = ...) -> str | None: ...
        def listdir(self, path: str) -> list[str] | None: ...
        def exists(self, path: str) -> bool: ...


class CacheEntry(NamedTuple):
    """One ld.so.cache entry: soname -> path, with its flags (library type and architecture)."""

    name: str
    path: str
    flags: int


class CacheError(ValueError):
    """The bytes are not an ld.so.cache this parser understands."""


def _cstr(data: bytes, offset: int) -> str:
    if not 0 <= offset < len(data):
        raise CacheError(f"string offset {offset} outside the file")
    end = data.find(b"\x00", offset)
    if end < 0:
        raise CacheError("unterminated string")
    return data[offset:end].decode("utf-8", errors="replace")


def _parse_new(data: bytes, start: int) -> list[CacheEntry]:
    if len(data) < start + _NEW_HEADER:
        raise CacheError("truncated header")
    flags = data[start + 28]
    end = ">" if flags & 3 == 3 else "<"  # cache_file_new_flags_endian_big
    nlibs, = struct.unpack_from(end + "I", data, start + 20)
    if start + _NEW_HEADER + nlibs * _NEW_ENTRY > len(data):
        raise CacheError(f"{nlibs} entries do not fit in {len(data)} bytes")
    out = []
    for i in range(nlibs):
        eflags, key, value = struct.unpack_from(end + "iII", data, start + _NEW_HEADER + i * _NEW_ENTRY)
        out.append(CacheEntry(_cstr(data, start + key), _cstr(data, start + value), eflags))
    return out


def _parse_old(data: bytes) -> tuple[list[CacheEntry], int]:
    """Old-format entries and where they end (a new-format cache may follow, 8-aligned)."""
    nlibs, = struct.unpack_from("<I", data, 12)
    table_end = _OLD_HEADER + nlibs * _OLD_ENTRY
    if table_end > len(data):
        raise CacheError(f"{nlibs} entries do not fit in {len(data)} bytes")
    out = []
    for i in range(nlibs):
        eflags, key, value = struct.unpack_from("<iII", data, _OLD_HEADER + i * _OLD_ENTRY)
        out.append(CacheEntry(_cstr(data, table_end + key), _cstr(data, table_end + value), eflags))
    return out, table_end


def parse_ld_cache(data: bytes) -> tuple[str, list[CacheEntry]]:
    """(format, entries) of an ld.so.cache: "new" (glibc >= 2.32 default), "compat" (old + new) or "old"."""
    if data.startswith(NEW_MAGIC):
        return "new", _parse_new(data, 0)
    if not data.startswith(OLD_MAGIC) or len(data) < _OLD_HEADER:
        raise CacheError("not an ld.so.cache (unknown magic)")
    nlibs, = struct.unpack_from("<I", data, 12)
    table_end = _OLD_HEADER + nlibs * _OLD_ENTRY
    new_at = (table_end + 7) & ~7
    if data[new_at:new_at + len(NEW_MAGIC)] == NEW_MAGIC:
        return "compat", _parse_new(data, new_at)
    return "old", _parse_old(data)[0]


def cache_lookup(entries: list[CacheEntry], machine: Optional[int]) -> dict[str, str]:
    """soname -> path for ELF libc6 entries of the object's architecture (first entry wins, as in ld.so)."""
    want = ARCH_FLAGS.get(machine) if machine is not None else None
    out: dict[str, str] = {}
    for e in entries:
        if e.flags & FLAG_TYPE_MASK not in (1, FLAG_ELF_LIBC6):  # FLAG_ELF, FLAG_ELF_LIBC6
            continue
        if want is not None and e.flags & FLAG_REQUIRED_MASK != want:
            continue  # another architecture (i386 entries carry no arch flag)
        out.setdefault(e.name, e.path)
    return out


def read_ld_cache(fs: Files, path: str = LD_SO_CACHE) -> tuple[Optional[str], list[CacheEntry],
                                                               Optional[str]]:
    """(format, entries, problem) of the system's ld.so.cache; format None when absent or unreadable."""
    data = fs.read_bytes(path, CACHE_LIMIT)
    if data is None:
        return None, [], None
    try:
        fmt, entries = parse_ld_cache(data)
    except (CacheError, struct.error) as exc:
        return None, [], f"{path}: {exc}"
    return fmt, entries, None


def parse_conf_lines(text: str) -> list[tuple[str, str]]:
    """("dir", path) and ("include", pattern) items of one ld.so.conf file, in order (ldconfig reads it
    so)."""
    out: list[tuple[str, str]] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("hwcap"):
            continue
        if line.startswith("include") and line[7:8] in (" ", "\t"):
            out.extend(("include", p) for p in line[8:].split())
            continue
        for item in line.replace(",", " ").replace(":", " ").split():
            item = item.split("=", 1)[0]  # the old "dir=TYPE" form
            if item.startswith("/"):
                out.append(("dir", posixpath.normpath(item)))
    return out


def read_ld_conf(fs: Files, path: str = LD_SO_CONF) -> tuple[list[str], list[str]]:
    """(directories in order, conf files read) of /etc/ld.so.conf with its includes, bounded and loop-safe."""
    from mlu_doctor.system.files import glob_with

    dirs: list[str] = []
    seen: list[str] = []

    def visit(conf: str, depth: int) -> None:
        if conf in seen or depth > MAX_INCLUDE_DEPTH or len(seen) >= MAX_CONF_FILES:
            return
        text = fs.read_text(conf, 256 * 1024)
        if text is None:
            return
        seen.append(conf)
        for kind, value in parse_conf_lines(text):
            if kind == "dir":
                if value not in dirs:
                    dirs.append(value)
                continue
            pattern = value if value.startswith("/") else posixpath.join(posixpath.dirname(conf), value)
            for match in glob_with(fs, pattern):  # type: ignore[arg-type]
                visit(match, depth + 1)

    visit(path, 0)
    if not seen and path == LD_SO_CONF:  # a captured tree without the top file: read what it would include
        for match in glob_with(fs, "/etc/ld.so.conf.d/*.conf"):  # type: ignore[arg-type]
            visit(match, 1)
    return dirs, seen


def default_dirs(machine: Optional[int], is64: bool = True) -> list[str]:
    """The loader's built-in directories (Debian multiarch first, then the lib64 and lib trees)."""
    triplet = MULTIARCH.get(machine or 0)
    multi = [f"/lib/{triplet}", f"/usr/lib/{triplet}"] if triplet else []
    return multi + (["/lib64", "/usr/lib64"] if is64 else []) + ["/lib", "/usr/lib"]
