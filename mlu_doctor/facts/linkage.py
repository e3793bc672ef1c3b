"""Resolve torch_mlu's extension modules the way ld.so would, inside the inspected system, executing nothing.

Pure over a file-access object (anything with `read_range` or `read_bytes`, `listdir`, `is_file`, `is_dir`,
`exists`: a System or a FileSource). The loader's order (glibc `_dl_map_object`) for a NEEDED name without
a slash: an object already loaded under that name; DT_RPATH of the requesting object and of the objects
that loaded it (only where the object has no DT_RUNPATH); LD_LIBRARY_PATH; DT_RUNPATH of the requesting
object; ld.so.cache; the default directories. Dependencies load breadth-first. Libraries inside the
toolkit or the torch_mlu package are followed; others (the C runtime, torch's own libraries) are leaves.
"""

from __future__ import annotations

import posixpath
import re
from collections import deque
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple, Optional

from mlu_doctor.facts.elf import Dynamic, ElfError, Reader, bytes_reader, dynamic_info, elf_kind
from mlu_doctor.facts.ldso import cache_lookup, default_dirs, read_ld_cache, read_ld_conf
from mlu_doctor.facts.model import LinkageFacts, MissingLibrary
from mlu_doctor.facts.sonames import C_RUNTIME, component_of, soname_stem

EXTENSION = re.compile(r"^_\w+\.so$|\.(?:cpython-\d+\w*-[\w-]+|abi3)\.so$")  # what `import` loads
MAX_OBJECTS = 200
MAX_DEPTH = 8
MAX_ROOTS = 16
MAX_SEARCH_DIRS = 64
MAX_SYMLINKS = 40
# without read_range (a container read through its archive), at most this much
ELF_READ_LIMIT = 8 * 1024 * 1024

if TYPE_CHECKING:  # file access protocols for the type checker; any object with these methods works
    from typing import Protocol

    from mlu_doctor.facts.ldso import Files

    class LinkFiles(Files, Protocol):
        """File access for the walk: a System (read_range when it has one), or a FileSource."""

        def is_file(self, path: str) -> bool: ...
        def is_dir(self, path: str) -> bool: ...
        def readlink(self, path: str) -> str | None: ...


class Candidate(NamedTuple):
    """A directory searched, and why it was on the search list."""

    directory: str
    why: str


class _Obj(NamedTuple):
    path: str
    dyn: Dynamic
    depth: int
    chain: tuple[str, ...]  # the objects that loaded it, root first


def elf_reader(fs: LinkFiles, path: str) -> tuple[Reader, bool]:
    """(a Reader over one file of the system, whether it reads all of it): read_range when there is one, else
    one bounded read (the dynamic section of a big library may lie beyond it)."""
    read_range = getattr(fs, "read_range", None)
    if read_range is not None:
        return (lambda offset, length: read_range(path, offset, length)), True
    data = fs.read_bytes(path, ELF_READ_LIMIT) or b""
    return bytes_reader(data), len(data) < ELF_READ_LIMIT


def expand(entry: str, origin: str, dyn: Dynamic) -> str:
    """$ORIGIN / ${ORIGIN}, $LIB and $PLATFORM in one RPATH/RUNPATH entry."""
    platform = {62: "x86_64", 183: "aarch64"}.get(dyn.machine, "")
    for token, value in (("ORIGIN", origin), ("LIB", "lib64" if dyn.is64 else "lib"), ("PLATFORM", platform)):
        entry = entry.replace("${" + token + "}", value).replace("$" + token, value)
    return posixpath.normpath(entry) if entry.startswith("/") else entry


def path_list(value: Optional[str], origin: str, dyn: Dynamic) -> list[str]:
    """The absolute directories of a colon-separated RPATH / RUNPATH / LD_LIBRARY_PATH."""
    out = []
    for part in re.split(r"[:;]", value or ""):
        if part:
            d = expand(part, origin, dyn)
            if d.startswith("/") and d not in out:
                out.append(d)
    return out


class Resolver:
    """One walk: the system's loader configuration, what is loaded so far, what was found missing."""

    def __init__(self, fs: LinkFiles, environ: Mapping[str, str], toolkit_dirs: Iterable[str],
                 follow_under: Iterable[str] = (), preloaded: Optional[Mapping[str, str]] = None,
                 executable: Optional[str] = None) -> None:
        self.fs = fs
        self.facts = LinkageFacts(ld_library_path=environ.get("LD_LIBRARY_PATH"),
                                  toolkit_dirs=[d for d in toolkit_dirs if fs.is_dir(d)])
        self.follow = tuple(posixpath.normpath(d).rstrip("/") + "/"
                            for d in [*self.facts.toolkit_dirs, *follow_under])
        self.loaded: dict[str, str] = dict(preloaded or {})  # name -> path (NEEDED names and sonames)
        self.seen_paths: set[str] = set()
        self._cache: Optional[tuple[Optional[str], list]] = None  # (format, entries), read on first use
        self._conf: Optional[list[str]] = None
        self._cache_maps: dict[Optional[int], dict[str, str]] = {}
        self.executable = executable
        self.executable_dyn = self._read(executable) if executable else None
        self.queue: deque[_Obj] = deque()
        self.dyns: dict[str, Dynamic] = {}  # path -> dynamic info of the objects loaded so far

    # --- reading objects -----------------------------------------------------------------------

    def _read(self, path: str) -> Optional[Dynamic]:
        try:
            return dynamic_info(elf_reader(self.fs, path)[0])
        except ElfError:
            return None

    def load(self, path: str) -> Dynamic:
        """The dynamic info of `path`; ElfError when it is not a loadable ELF object. A file read only in part
        (no ranged reads) with a good header counts as loadable, its dependencies not followed (and said)."""
        reader, whole = elf_reader(self.fs, path)
        try:
            return dynamic_info(reader)
        except ElfError:
            if whole:
                raise
            is64, machine = elf_kind(reader)  # ElfError again when even the header is bad
            self.facts.problems.append(f"{path}: dynamic section beyond the first {ELF_READ_LIMIT >> 20} MiB "
                                       f"this system reads at once; its dependencies were not followed")
            self.facts.truncated = True
            return Dynamic(is64, machine, [])

    def realpath(self, path: str) -> str:
        """Follow symlinks of the last component inside the system (bounded); the path itself if none."""
        for _ in range(MAX_SYMLINKS):
            target = self.fs.readlink(path)
            if not target:
                return path
            path = posixpath.normpath(target if target.startswith("/")
                                      else posixpath.join(posixpath.dirname(path), target))
        return path

    def check_candidate(self, path: str, want: Dynamic) -> tuple[Optional[Dynamic], Optional[str]]:
        """(dynamic info, None) when ld.so would load `path` for an object like `want`; else (None, why
        not)."""
        if self.fs.is_dir(path):
            return None, "a directory"
        if not self.fs.is_file(path):
            return None, None  # absent (or a dangling link): not a candidate at all
        try:
            dyn = self.load(path)
        except ElfError as exc:
            return None, f"not a loadable ELF object ({exc})"
        if dyn.is64 != want.is64 or dyn.machine != want.machine:
            bits = "64" if dyn.is64 else "32"
            return None, f"ELF {bits}-bit machine {dyn.machine}, not that of the object needing it"
        return dyn, None

    # --- the search ---------------------------------------------------------------------------

    def cache(self) -> tuple[Optional[str], list]:
        """(format, entries) of the system's ld.so.cache, read the first time a search gets that far."""
        if self._cache is None:
            fmt, entries, problem = read_ld_cache(self.fs)
            if problem:
                self.facts.problems.append(problem)
            self.facts.cache = f"/etc/ld.so.cache ({fmt} format, {len(entries)} entries)" if fmt else None
            self._cache = (fmt, entries)
        return self._cache

    def conf_dirs(self) -> list[str]:
        """/etc/ld.so.conf(.d) directories, read on first use."""
        if self._conf is None:
            self._conf = self.facts.conf_dirs = read_ld_conf(self.fs)[0]
        return self._conf

    def cache_map(self, machine: int) -> dict[str, str]:
        if machine not in self._cache_maps:
            self._cache_maps[machine] = cache_lookup(self.cache()[1], machine)
        return self._cache_maps[machine]

    def search_dirs(self, obj: _Obj) -> list[Candidate]:
        """The directories ld.so tries for a NEEDED entry of `obj`, in order, with the reason for each."""
        out: list[Candidate] = []
        name = posixpath.basename(obj.path)
        if obj.dyn.runpath is None:
            loaders = [(p, self.dyns.get(p)) for p in (obj.path, *reversed(obj.chain))]
            if self.executable and self.executable_dyn is not None:
                loaders.append((self.executable, self.executable_dyn))
            for path, dyn in loaders:
                if dyn is not None:
                    out += [Candidate(d, f"RPATH of {posixpath.basename(path)}")
                            for d in path_list(dyn.search_rpath, posixpath.dirname(path), dyn)]
        out += [Candidate(d, "LD_LIBRARY_PATH") for d in path_list(self.facts.ld_library_path, "", obj.dyn)]
        out += [Candidate(d, f"RUNPATH of {name}")
                for d in path_list(obj.dyn.runpath, posixpath.dirname(obj.path), obj.dyn)]
        return out[:MAX_SEARCH_DIRS]

    def find(self, name: str, obj: _Obj) -> tuple[Optional[str], Optional[Dynamic], MissingLibrary]:
        """Where ld.so finds `name` for `obj` (path, info), and the record of the search either way."""
        miss = MissingLibrary(name=name, needed_by=obj.path, component=component_of(name))
        for cand in self.search_dirs(obj):
            found = self._try(posixpath.join(cand.directory, name), obj.dyn, miss)
            miss.searched.append(f"{cand.directory} ({cand.why})")
            if found:
                return found[0], found[1], miss
        fmt, entries = self.cache()
        if fmt:
            path = self.cache_map(obj.dyn.machine).get(name)
            miss.searched.append(f"/etc/ld.so.cache ({len(entries)} entries)")
            found = self._try(path, obj.dyn, miss) if path else None
            if found:
                return found[0], found[1], miss
        else:
            for d in self.conf_dirs()[:MAX_SEARCH_DIRS]:
                miss.searched.append(f"{d} (/etc/ld.so.conf; no ld.so.cache)")
                found = self._try(posixpath.join(d, name), obj.dyn, miss)
                if found:
                    return found[0], found[1], miss
        for d in default_dirs(obj.dyn.machine, obj.dyn.is64):
            miss.searched.append(f"{d} (default)")
            found = self._try(posixpath.join(d, name), obj.dyn, miss)
            if found:
                return found[0], found[1], miss
        return None, None, miss

    def _try(self, path: str, want: Dynamic, miss: MissingLibrary) -> Optional[tuple[str, Dynamic]]:
        dyn, why = self.check_candidate(path, want)
        if dyn is not None:
            return path, dyn
        if why:
            miss.rejected.append(f"{path}: {why}")
        return None

    # --- the walk -----------------------------------------------------------------------------

    def add_root(self, path: str) -> None:
        """An extension module Python dlopen()s by path (import torch_mlu)."""
        self.facts.roots.append(path)
        if self.realpath(path) in self.seen_paths:
            return
        if self.fs.is_dir(path):
            self.facts.problems.append(f"{path}: a directory, not a shared object")
            return
        try:
            dyn = self.load(path)
        except ElfError as exc:
            self.facts.problems.append(f"{path}: {exc}")
            return
        self.facts.objects += 1
        self.dyns[path] = dyn
        self.seen_paths.add(self.realpath(path))
        self.queue.append(_Obj(path, dyn, 0, ()))
        self.drain()

    def drain(self) -> None:
        """Breadth-first over the queue, as ld.so maps dependencies."""
        while self.queue:
            obj = self.queue.popleft()
            for name in obj.dyn.needed:
                self.need(name, obj)

    def follows(self, path: str) -> bool:
        return path.startswith(self.follow)

    def need(self, name: str, obj: _Obj) -> None:
        if name in self.loaded:
            return
        # the C/C++ runtime every Python process has loaded: not judged, not searched
        if C_RUNTIME.match(name):
            self.loaded[name] = ""
            return
        if "/" in name:
            self.facts.problems.append(f"{obj.path}: NEEDED {name} is a path; not resolved")
            return
        path, dyn, miss = self.find(name, obj)
        if path is None or dyn is None:
            if all(m.name != name for m in self.facts.missing):
                self.facts.missing.append(miss)
            return
        self.loaded[name] = path
        if dyn.soname:
            self.loaded.setdefault(dyn.soname, path)
        real = self.realpath(path)
        self.facts.resolved[name] = real
        if real in self.seen_paths or not self.follows(path):
            return
        self.seen_paths.add(real)
        if obj.depth + 1 > MAX_DEPTH or self.facts.objects >= MAX_OBJECTS:
            self.facts.truncated = True
            return
        self.facts.objects += 1
        self.dyns[path] = dyn
        self.queue.append(_Obj(path, dyn, obj.depth + 1, (*obj.chain, obj.path)))


def extension_modules(fs: LinkFiles, pkg: str) -> list[str]:
    """The extension modules of a torch_mlu package directory, _MLUC first (the one `import torch_mlu`
    loads)."""
    names = [n for n in fs.listdir(pkg) or [] if EXTENSION.search(n)]
    names.sort(key=lambda n: (not n.startswith("_MLUC"), n))
    return [posixpath.join(pkg, n) for n in names[:MAX_ROOTS]]


def torch_libraries(fs: LinkFiles, torch_pkg: Optional[str]) -> dict[str, str]:
    """name -> path of torch/lib/*.so*: loaded by `import torch` before torch_mlu, found by name
    afterwards."""
    if not torch_pkg:
        return {}
    lib = posixpath.join(torch_pkg, "lib")
    return {n: posixpath.join(lib, n) for n in fs.listdir(lib) or [] if ".so" in n}


def searched_dirs(miss: MissingLibrary) -> list[str]:
    """The directories of a search record (the ld.so.cache line left out)."""
    return [s.split(" (", 1)[0] for s in miss.searched if not s.startswith("/etc/ld.so.cache")]


def annotate(fs: LinkFiles, facts: LinkageFacts, extra_dirs: Iterable[str]) -> None:
    """For each missing library: other major versions next to where it was looked for, the exact name
    elsewhere."""
    extra = list(extra_dirs)
    for miss in facts.missing:
        stem, major = soname_stem(miss.name)
        searched = searched_dirs(miss)
        dirs = list(dict.fromkeys([*searched, *facts.toolkit_dirs, *extra, *facts.conf_dirs]))
        for d in dirs[:MAX_SEARCH_DIRS]:
            for n in fs.listdir(d) or []:
                other_stem, other_major = soname_stem(n)
                path = posixpath.join(d, n)
                if n == miss.name and d not in searched and fs.is_file(path):
                    miss.elsewhere.append(path)
                elif (other_stem == stem and other_major and other_major != major
                      and path not in miss.other_versions):
                    miss.other_versions.append(path)
        miss.other_versions = miss.other_versions[:6]
        miss.elsewhere = miss.elsewhere[:4]


def resolve_linkage(fs: LinkFiles, roots: list[str], environ: Mapping[str, str], toolkit_dirs: Iterable[str],
                    follow_under: Iterable[str] = (), preloaded: Optional[Mapping[str, str]] = None,
                    executable: Optional[str] = None) -> LinkageFacts:
    """Resolve every NEEDED entry reachable from `roots` as ld.so would; missing ones say where it looked."""
    resolver = Resolver(fs, environ, toolkit_dirs, follow_under, preloaded, executable)
    for root in roots:
        resolver.add_root(root)
    if resolver.facts.missing:
        resolver.conf_dirs()  # where a missing library might be found elsewhere
        annotate(fs, resolver.facts, follow_under)
    return resolver.facts


def toolkit_lib_dirs(environ: Mapping[str, str]) -> list[str]:
    """lib64 and lib of $NEUWARE_HOME and the default toolkit homes: the libraries followed into."""
    from mlu_doctor.facts.toolkit import candidates

    return [posixpath.join(home, sub) for home, _source in candidates(environ) for sub in ("lib64", "lib")]


def probe_linkage(fs: LinkFiles, environ: Mapping[str, str], torch_mlu_pkg: str, torch_pkg: Optional[str],
                  executable: Optional[str] = None) -> Optional[LinkageFacts]:
    """Resolve the extension modules of the torch_mlu package at `torch_mlu_pkg`; None when it has none."""
    roots = extension_modules(fs, torch_mlu_pkg)
    if not roots:
        return None
    return resolve_linkage(fs, roots, environ, toolkit_lib_dirs(environ), follow_under=[torch_mlu_pkg],
                           preloaded=torch_libraries(fs, torch_pkg), executable=executable)
