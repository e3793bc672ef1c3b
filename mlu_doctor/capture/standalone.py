# ruff: noqa: UP004, UP008, UP031, UP035
"""mlu-doctor probe script: record what mlu-doctor's probes read on this machine, as one JSON capture.

Standard library only, Python 3.6 or newer; it writes nothing but its output (and, like the doctor, a test
file in $TORCH_HOME that it removes at once).
Run it where mlu-doctor is not installed (an old image, a customer's host), then judge the result where it is:

    python3 probe.py > facts.json            # options: --python PATH --project DIR --coco DIR --timeout S -o
    FILE mlu-doctor check --capture facts.json    # the doctor's own probes run on these recorded answers

It lists and reads the places the probes look at (PCI and /proc driver files, /dev, Neuware, site-packages,
the project, COCO roots), runs `cnmon`, `cnmon info` and `python3 -c <sys.path script>` with a timeout,
and keeps the environment. With torch_mlu installed it also records what the doctor's static ld.so
resolution reads (the search directories, ld.so.cache, ld.so.conf, the ELF headers of the libraries found;
see linkage()) and what the installed-version readers read (toolkit headers, an rpm database's Cambricon
package headers). Every read is capped, and all of them together; FIFOs, sockets and devices are never opened.
This file is written by `mlu-doctor probe-script`, which fills in PLAN from the doctor's probes.
"""

import base64
import contextlib
import json
import os
import posixpath
import re
import shutil
import signal
import stat
import struct
import subprocess
import sys
import tempfile
import time

MYPY = False
if MYPY:  # type comments only: this file must parse and run on Python 3.6
    from typing import Any, Dict, List, Optional, Tuple  # noqa: F401

PLAN = {}  # type: Dict[str, Any]  # mlu-doctor probe-script replaces this line
MAX_LINKS = 40


class Recorder(object):
    """Answers about paths of the inspected system (under `root`, resolved like a chroot), written down."""

    def __init__(self, root, max_entries, max_bytes):
        # type: (str, int, int) -> None
        self.root = os.path.abspath(root)
        self.is_host = self.root == "/"
        self.paths = {}  # type: Dict[str, Dict[str, Any]]
        self.ranges = {}  # type: Dict[str, List[Tuple[int, bytes, bool]]]  # (offset, bytes, the file ended there)
        self.entries_left, self.bytes_left = max_entries, max_bytes

    def entry(self, path):
        # type: (str) -> Dict[str, Any]
        return self.paths.setdefault(norm(path), {})

    # --- resolution under the root ------------------------------------------------------------

    def locate(self, path, follow):
        # type: (str, bool) -> Optional[Tuple[str, int]]
        """(local path, mode) of a system path; None when missing, looping or not resolvable."""
        if self.is_host:
            try:
                return path, (os.stat(path) if follow else os.lstat(path)).st_mode
            except (OSError, ValueError):
                return None
        base, todo, links, mode = self.root, [p for p in path.split("/")][::-1], 0, stat.S_IFDIR
        while todo:
            name = todo.pop()
            if name in ("", "."):
                continue
            if name == "..":
                base = base if base == self.root else os.path.dirname(base)
                continue
            here = base + "/" + name
            try:
                mode = os.lstat(here).st_mode
            except (OSError, ValueError):
                return None
            if stat.S_ISLNK(mode) and (todo or follow):
                links += 1
                if links > MAX_LINKS:
                    return None
                try:
                    target = os.readlink(here)
                except OSError:
                    return None
                base = self.root if target.startswith("/") else base
                todo.extend(reversed(target.split("/")))
                mode = stat.S_IFDIR
                continue
            if todo and not stat.S_ISDIR(mode):
                return None
            base = here
        return base, mode

    # --- the System questions, recorded ---------------------------------------------------------

    def stat(self, path):
        # type: (str) -> Tuple[bool, bool, bool]
        """(exists, is a directory, is a regular file) of `path`; symlink targets are recorded too."""
        entry = self.entry(path)
        if "exists" not in entry:
            near, far = self.locate(path, False), self.locate(path, True)
            entry["exists"] = near is not None
            entry["dir"] = far is not None and stat.S_ISDIR(far[1])
            entry["file"] = far is not None and stat.S_ISREG(far[1])
            if near is not None and stat.S_ISLNK(near[1]):
                try:
                    entry["link"] = os.readlink(near[0])
                except OSError:
                    entry["link"] = None
        return entry["exists"], entry["dir"], entry["file"]

    def listdir(self, path, with_stats=True):
        # type: (str, bool) -> Optional[List[str]]
        """The sorted names in a folder (None when it cannot be listed); `with_stats` stats each entry."""
        entry = self.entry(path)
        if "list" not in entry:
            found = self.locate(path, True)
            names = None  # type: Optional[List[str]]
            if found is not None and stat.S_ISDIR(found[1]):
                try:
                    names = sorted(os.listdir(found[0]))
                except (OSError, ValueError):
                    names = None
            if names is not None:
                names = names[:max(self.entries_left, 0)]
                self.entries_left -= len(names)
            entry["list"] = names
        names = entry["list"]
        if names and with_stats:
            for name in names:
                self.stat(join(path, name))
        return names

    def read(self, path, limit):
        # type: (str, int) -> Optional[bytes]
        """At most `limit` bytes of a regular file (never a FIFO or device); None when not readable."""
        entry = self.entry(path)
        if "data" in entry and (entry["complete"] or entry["size"] >= limit):
            return entry["bytes"][:limit] if entry["bytes"] is not None else None
        found, cap = self.locate(path, True), min(limit, self.bytes_left)
        data = None  # type: Optional[bytes]
        if found is not None and stat.S_ISREG(found[1]) and cap > 0:
            data = read_local(found[0], cap)
        if data is not None:
            self.bytes_left -= len(data)
        entry["bytes"], entry["size"] = data, len(data or b"")
        entry["complete"] = data is not None and len(data) < cap
        entry["data"] = None if data is None else {"b64": base64.b64encode(data).decode("ascii")}
        return data

    def read_range(self, path, offset, length):
        # type: (str, int, int) -> Optional[bytes]
        """At most `length` bytes at `offset` (of at most 1 MiB), as the doctor's ELF reader asks for them."""
        length = min(length, 1 << 20)
        if length <= 0 or offset < 0:
            return None
        done = self.ranges.setdefault(norm(path), [])
        for start, data, eof in done:  # asked before (the same bytes, or bytes around them)
            if start <= offset and (offset + length <= start + len(data)
                                    or (eof and offset <= start + len(data))):
                return data[offset - start:offset - start + length] or None
        found = self.locate(path, True)
        if found is None or not stat.S_ISREG(found[1]) or self.bytes_left <= 0:
            return None
        want = min(length, self.bytes_left)
        try:
            fd = os.open(found[0], os.O_RDONLY | os.O_NONBLOCK)
            try:
                os.lseek(fd, offset, os.SEEK_SET)
                data = os.read(fd, want)
            finally:
                os.close(fd)
        except (OSError, ValueError, OverflowError):
            return None
        if data:
            self.bytes_left -= len(data)
            done.append((offset, data, len(data) < want == length))
        return data or None

    def keep_prefix(self, path, data):
        # type: (str, bytes) -> None
        """Record the first bytes of a file read in full elsewhere (an rpm database up to what the doctor
        uses)."""
        entry = self.entry(path)
        data = data[:max(self.bytes_left, 0)]
        self.bytes_left -= len(data)
        entry["bytes"], entry["size"], entry["complete"] = data, len(data), False
        entry["data"] = {"b64": base64.b64encode(data).decode("ascii")}

    def manifest_ranges(self):
        # type: () -> Dict[str, List[Dict[str, Any]]]
        """The bytes read by range, per file, overlapping or adjacent reads merged (replay finds a read
        whole)."""
        out = {}  # type: Dict[str, List[Dict[str, Any]]]
        for path, done in sorted(self.ranges.items()):
            merged = []  # type: List[List[Any]]
            for start, data, _eof in sorted(done, key=lambda r: r[0]):
                if merged and start <= merged[-1][0] + len(merged[-1][1]):
                    last = merged[-1]
                    last[1] += data[last[0] + len(last[1]) - start:]
                else:
                    merged.append([start, data])
            if merged:
                out[path] = [{"offset": start, "b64": base64.b64encode(data).decode("ascii")}
                             for start, data in merged]
        return out

    def glob(self, pattern):
        # type: (str) -> List[str]
        """`*`, `?`, `[...]` per component, expanded with listdir and exists, as the doctor does."""
        import fnmatch

        paths = ["/"]
        for part in [p for p in pattern.split("/") if p]:
            found = []  # type: List[str]
            for base in paths:
                if any(c in part for c in "*?["):
                    names = self.listdir(base, with_stats=False) or []
                    found.extend(join(base, n) for n in names if fnmatch.fnmatchcase(n, part))
                elif self.stat(join(base, part))[0]:
                    found.append(join(base, part))
            paths = found
        return sorted(paths)

    def manifest_paths(self):
        # type: () -> Dict[str, Dict[str, Any]]
        return {p: {k: v for k, v in e.items() if k not in ("bytes", "size")}
                for p, e in sorted(self.paths.items())}


def norm(path):
    # type: (str) -> str
    return posixpath.normpath("/" + path.lstrip("/")) if path else "/"


def join(base, name):
    # type: (str, str) -> str
    return posixpath.join(base, name)


def read_local(path, limit, in_place=False):
    # type: (str, int, bool) -> Any
    """At most `limit` bytes of a regular file of this machine (a bytearray when `in_place`: one copy in
    memory)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except (OSError, ValueError):
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        buf, left = bytearray(), limit
        while left > 0:
            try:
                chunk = os.read(fd, min(left, 1 << 16))
            except BlockingIOError:
                break
            if not chunk:
                break
            buf += chunk
            left -= len(chunk)
        return buf if in_place else bytes(buf)
    except OSError:
        return None
    finally:
        os.close(fd)


# --- commands -----------------------------------------------------------------------------------


def decode(data, limit):
    # type: (bytes, int) -> str
    return data[:limit].decode("utf-8", "replace").replace("\x00", "")


def run(argv, timeout, env, limit):
    # type: (List[str], float, Optional[Dict[str, str]], int) -> Dict[str, Any]
    """One command, killed with its process group at `timeout`; the record the doctor replays."""
    start = time.time()
    out = {"argv": list(argv), "cwd": None, "returncode": None, "stdout": "", "stderr": "", "seconds": 0.0,
           "timed_out": False, "error": None}  # type: Dict[str, Any]
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, start_new_session=True)
    except OSError as exc:
        out["error"] = exc.strerror or str(exc)
        out["seconds"] = round(time.time() - start, 3)
        return out
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
        out["returncode"] = proc.returncode
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            proc.kill()
        stdout, stderr = proc.communicate()
        out["timed_out"] = True
    out["stdout"], out["stderr"] = decode(stdout, limit), decode(stderr, limit)
    out["seconds"] = round(time.time() - start, 3)
    return out


# --- what the probes read, area by area -----------------------------------------------------------


def device(rec, plan):
    # type: (Recorder, Dict[str, Any]) -> None
    for address in rec.listdir(plan["pci_dir"], with_stats=False) or []:
        base = join(plan["pci_dir"], address)
        for name in plan["pci_files"]:
            rec.read(join(base, name), 64)
        rec.stat(join(base, "driver"))
        rec.stat(join(base, "physfn"))
    for bus in rec.listdir(plan["proc_dir"], with_stats=False) or []:
        rec.read(join(join(plan["proc_dir"], bus), "information"), 64 * 1024)
    rec.listdir("/dev", with_stats=False)


def files(rec, plan):
    # type: (Recorder, Dict[str, Any]) -> None
    for path in plan["stat"]:
        rec.stat(path)
    for path in plan["list"]:
        rec.listdir(path, with_stats=False)
    for path, limit in plan["read"]:
        rec.read(path, limit)
    for pattern, limit in plan["read_glob"]:
        for path in rec.glob(pattern):
            rec.read(path, limit)


def neuware_homes(plan, env):
    # type: (Dict[str, Any], Dict[str, str]) -> List[str]
    """$NEUWARE_HOME, then the default toolkit homes (facts/toolkit.py candidates)."""
    homes = [env["NEUWARE_HOME"].rstrip("/") or "/"] if env.get("NEUWARE_HOME") else []
    return homes + [h for h in plan["neuware_homes"] if h not in homes]


def toolkit(rec, plan, env):
    # type: (Recorder, Dict[str, Any], Dict[str, str]) -> None
    for home in neuware_homes(plan, env):
        if rec.stat(home)[1]:
            rec.read(home + "/version.txt", 16 * 1024)
            rec.listdir(home + "/lib64")


# --- the dynamic loader's view (facts/linkage.py, facts/ldso.py) --------------------------------------


def conf_lines(text):
    # type: (str) -> List[Tuple[str, str]]
    """("dir", path) and ("include", pattern) items of one ld.so.conf file (ldso.parse_conf_lines)."""
    out = []  # type: List[Tuple[str, str]]
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("hwcap"):
            continue
        if line.startswith("include") and line[7:8] in (" ", "\t"):
            out.extend(("include", p) for p in line[8:].split())
            continue
        for item in line.replace(",", " ").replace(":", " ").split():
            item = item.split("=", 1)[0]
            if item.startswith("/"):
                out.append(("dir", posixpath.normpath(item)))
    return out


def ld_conf_dirs(rec, lk):
    # type: (Recorder, Dict[str, Any]) -> List[str]
    """The directories of /etc/ld.so.conf with its includes, and of /etc/ld.so.conf.d/*.conf in any case."""
    dirs, seen = [], []  # type: List[str], List[str]

    def visit(conf, depth):
        # type: (str, int) -> None
        if conf in seen or depth > lk["max_include_depth"] or len(seen) >= lk["max_conf_files"]:
            return
        data = rec.read(conf, lk["conf_limit"])
        if data is None:
            return
        seen.append(conf)
        for kind, value in conf_lines(data.decode("utf-8", "replace").replace("\x00", "")):
            if kind == "dir":
                if value not in dirs:
                    dirs.append(value)
                continue
            pattern = value if value.startswith("/") else join(posixpath.dirname(conf), value)
            for match in rec.glob(pattern):
                visit(match, depth + 1)

    visit(lk["conf"], 0)
    for match in rec.glob(lk["conf_glob"]):
        visit(match, 1)
    return dirs


def cache_paths(data):
    # type: (bytes) -> Dict[str, List[str]]
    """soname -> paths of the entries of an ld.so.cache (old, new or compat format; every architecture)."""
    new, old = b"glibc-ld.so.cache1.1", b"ld.so-1.7.0"
    out = {}  # type: Dict[str, List[str]]

    def cstr(offset):
        # type: (int) -> str
        stop = data.find(b"\x00", offset) if 0 <= offset < len(data) else -1
        if stop < 0:
            raise ValueError("bad string offset")
        return data[offset:stop].decode("utf-8", "replace")

    def table(first, count, size, fmt, base):
        # type: (int, int, int, str, int) -> None
        if first + count * size > len(data):
            raise ValueError("entries do not fit")
        for i in range(count):
            _flags, key, value = struct.unpack_from(fmt, data, first + i * size)
            out.setdefault(cstr(base + key), []).append(cstr(base + value))

    try:
        start = 0
        if data.startswith(old) and len(data) >= 16:
            count, = struct.unpack_from("<I", data, 12)
            table_end = 16 + count * 12
            start = (table_end + 7) & ~7
            if data[start:start + len(new)] != new:
                table(16, count, 12, "<iII", table_end)
                return out
        if data[start:start + len(new)] == new and len(data) >= start + 48:
            end = ">" if data[start + 28] & 3 == 3 else "<"
            count, = struct.unpack_from(end + "I", data, start + 20)
            table(start + 48, count, 24, end + "iII", start)
    except (struct.error, ValueError):
        return out
    return out


def expand(entry, origin, info, lk):
    # type: (str, str, Dict[str, Any], Dict[str, Any]) -> str
    """$ORIGIN, $LIB and $PLATFORM in one RPATH / RUNPATH / LD_LIBRARY_PATH entry (linkage.expand)."""
    platform = lk["platforms"].get(info["machine"], "")
    for token, value in (("ORIGIN", origin), ("LIB", "lib64" if info["is64"] else "lib"),
                         ("PLATFORM", platform)):
        entry = entry.replace("${" + token + "}", value).replace("$" + token, value)
    return posixpath.normpath(entry) if entry.startswith("/") else entry


def path_list(value, origin, info, lk):
    # type: (Optional[str], str, Dict[str, Any], Dict[str, Any]) -> List[str]
    out = []  # type: List[str]
    for part in re.split(r"[:;]", value or ""):
        if part:
            d = expand(part, origin, info, lk)
            if d.startswith("/") and d not in out:
                out.append(d)
    return out


def realpath(rec, path, lk):
    # type: (Recorder, str, Dict[str, Any]) -> str
    """The last component's symlinks followed, each link recorded (linkage.Resolver.realpath)."""
    for _ in range(lk["max_symlinks"]):
        rec.stat(path)
        target = rec.entry(path).get("link")
        if not target:
            return path
        path = posixpath.normpath(target if target.startswith("/") else join(posixpath.dirname(path), target))
    return path


def linkage(rec, plan, env, pkgs, executable):
    # type: (Recorder, Dict[str, Any], Dict[str, str], List[str], Optional[str]) -> None
    """Everything the doctor's static ld.so resolution of torch_mlu's extension modules may read.

    Not the loader's search order again: the same inputs, as a superset. Every directory any search may try
    (RPATH and RUNPATH of each object followed, LD_LIBRARY_PATH, ld.so.conf(.d), the default directories, the
    toolkit's lib64 and lib, the torch_mlu package) is listed once; each NEEDED name found in one of them, or
    named by ld.so.cache, is stat'ed (symlinks followed) and its ELF header read by range. Libraries inside
    the toolkit or the package are followed in turn, as the doctor follows them; all of it bounded."""
    lk = plan["linkage"]
    extension, c_runtime = re.compile(lk["extension"]), re.compile(lk["c_runtime"])
    toolkit_dirs = [join(h, sub) for h in neuware_homes(plan, env) for sub in ("lib64", "lib")]
    toolkit_dirs = [d for d in toolkit_dirs if rec.stat(d)[1]]
    follow = tuple(norm(d).rstrip("/") + "/" for d in toolkit_dirs + pkgs)
    dirs, names, listed = [], [], {}  # type: List[str], List[str], Dict[str, Optional[set]]

    def add(found):
        # type: (List[str]) -> None
        for d in found:
            if d not in dirs and len(dirs) < 4 * lk["max_search_dirs"]:
                dirs.append(d)
                names_in = rec.listdir(d, with_stats=False)
                listed[d] = set(names_in) if names_in is not None else (None if rec.stat(d)[1] else set())

    def follow_object(path, info):
        # type: (str, Dict[str, Any]) -> None
        origin = posixpath.dirname(path)
        add(path_list(env.get("LD_LIBRARY_PATH"), "", info, lk))
        add(path_list(info["rpath"], origin, info, lk) + path_list(info["runpath"], origin, info, lk))
        names.extend(n for n in info["needed"] if n not in names and "/" not in n and not c_runtime.match(n))

    add(toolkit_dirs + pkgs + ld_conf_dirs(rec, lk) + list(lk["default_dirs"]))
    cache = cache_paths(rec.read(lk["cache"], lk["cache_limit"]) or b"")
    if executable:  # on this machine the interpreter's own RPATH counts too
        rec.stat(executable)
        info = elf_info(rec, executable, lk)
        if info:
            add(path_list(info["rpath"], posixpath.dirname(executable), info, lk))
    queue = []  # type: List[str]
    for pkg in pkgs:
        found = sorted((n for n in rec.listdir(pkg) or [] if extension.search(n)),
                       key=lambda n: (not n.startswith("_MLUC"), n))
        queue.extend(join(pkg, n) for n in found[:lk["max_roots"]])
    seen, tried, left = set(), set(), 4 * lk["max_objects"]  # type: set, set, int
    while queue and left > 0:
        while queue and left > 0:
            path = queue.pop(0)
            real = realpath(rec, path, lk)
            if real in seen:
                continue
            seen.add(real)
            info = elf_info(rec, path, lk) if rec.stat(path)[2] else None
            if info is not None:
                left -= 1
                follow_object(path, info)
        for name in list(names):  # every candidate of every name, in directories known so far
            paths = [join(d, name) for d in dirs if listed[d] is None or name in (listed[d] or ())]
            for path in paths + cache.get(name, []):
                if path in tried:
                    continue
                tried.add(path)
                if not rec.stat(path)[2]:
                    continue
                real = realpath(rec, path, lk)
                info = elf_info(rec, path, lk)
                if info is not None and path.startswith(follow) and real not in seen:
                    queue.append(path)


def elf_info(rec, path, lk):
    # type: (Recorder, str, Dict[str, Any]) -> Optional[Dict[str, Any]]
    """Class, machine, NEEDED, SONAME, RPATH, RUNPATH of an ELF object, read by range exactly where the
    doctor's ELF reader (facts/elf.py) reads: header, program headers, dynamic section, the strings it
    names."""
    head = rec.read_range(path, 0, 64) or b""
    if len(head) < 20 or head[:4] != b"\x7fELF" or head[4] not in (1, 2) or head[5] not in (1, 2):
        return None
    end, is64 = ("<" if head[5] == 1 else ">"), head[4] == 2
    try:
        machine, = struct.unpack_from(end + "H", head, 18)
        if is64:
            phoff, = struct.unpack_from(end + "Q", head, 32)
            phentsize, phnum = struct.unpack_from(end + "HH", head, 54)
            fmt = end + "IIQQQQQQ"
        else:
            phoff, = struct.unpack_from(end + "I", head, 28)
            phentsize, phnum = struct.unpack_from(end + "HH", head, 42)
            fmt = end + "IIIIIIII"
    except struct.error:
        return None
    info = {"is64": is64, "machine": machine, "needed": [], "soname": None, "rpath": None,
            "runpath": None}  # type: Dict[str, Any]
    if phnum > lk["max_phdrs"] or (phnum and phentsize < struct.calcsize(fmt)):
        return None
    table = (rec.read_range(path, phoff, phentsize * phnum) or b"") if phnum else b""
    if len(table) < phentsize * phnum:
        return None
    phdrs = []
    for i in range(phnum):
        f = struct.unpack_from(fmt, table, i * phentsize)
        phdrs.append((f[0], f[2], f[3], f[5]) if is64 else (f[0], f[1], f[2], f[4]))
    dyn = [p for p in phdrs if p[0] == 2]
    if not dyn:
        return info
    dfmt = end + ("qQ" if is64 else "iI")
    step = struct.calcsize(dfmt)
    count = min(dyn[0][3] // step, lk["max_dyn"])
    data = rec.read_range(path, dyn[0][1], count * step) or b""
    if len(data) < count * step:
        return None
    entries = []
    for i in range(count):
        tag, val = struct.unpack_from(dfmt, data, i * step)
        if tag == 0:
            break
        entries.append((tag, val))
    strtab = [v for t, v in entries if t == 5]
    if not strtab:
        return None
    base = strtab[0]
    for _t, off, va, filesz in [p for p in phdrs if p[0] == 1]:
        if va <= strtab[0] < va + filesz:
            base = off + (strtab[0] - va)
            break

    def string(value):
        # type: (int) -> Optional[str]
        text = rec.read_range(path, base + value, lk["max_name"]) or b""
        stop = text.find(b"\x00")
        return None if stop < 0 else text[:stop].decode("utf-8", "replace")

    info["needed"] = [n for n in (string(v) for t, v in entries if t == 1) if n is not None]
    for tag, key in ((14, "soname"), (15, "rpath"), (29, "runpath")):
        values = [v for t, v in entries if t == tag]
        if values:
            info[key] = string(values[0])
    return info


def site_dir(rec, plan, path, seen, pth, found):
    # type: (Recorder, Dict[str, Any], str, set, bool, Dict[str, List[str]]) -> None
    """A sys.path entry: its names (stat'ed), .pth files, the Cambricon packages, the metadata of the
    distributions the framework probe reads (`found` collects the package folders, by name)."""
    if path in seen:
        return
    seen.add(path)
    rec.stat(path)
    names = rec.listdir(path) or []
    for name in names:
        full = join(path, name)
        if pth and name.endswith(".pth"):
            for line in (rec.read(full, 64 * 1024) or b"").decode("utf-8", "replace").splitlines():
                line = line.strip()
                if line and not line.startswith(("#", "import ", "import\t")):
                    extra = posixpath.normpath(join(path, line))
                    if rec.stat(extra)[1]:
                        site_dir(rec, plan, extra, seen, False, found)
        m = re.match(plan["dist_re"], name)
        dist = re.sub(r"[-_.]+", "_", m.group("name")).lower() if m else ""
        if dist and (dist in plan["dists"] or dist.startswith(tuple(plan["dist_prefixes"]))):
            for meta in ("METADATA", "PKG-INFO", "EGG-INFO/PKG-INFO"):
                if rec.stat(join(full, meta))[2]:
                    rec.read(join(full, meta), 16 * 1024)
            if rec.stat(full)[2]:
                rec.read(full, 16 * 1024)
        if name in plan["packages"]:
            if package(rec, plan, full):
                found.setdefault(name, []).append(full)
        elif name in plan["modules"] and rec.stat(full)[1]:
            rec.listdir(full)  # what `from utils.google_utils import *` would find there


def package(rec, plan, path):
    # type: (Recorder, Dict[str, Any], str) -> bool
    """torch, torch_mlu or catch: version.py, build.property and version.info, core/, lib/, _MLUC*.so."""
    if not rec.stat(path)[1]:
        return False
    names = rec.listdir(path) or []
    rec.read(join(path, "version.py"), 16 * 1024)
    for rel, limit in plan["build_property"]:
        rec.read(posixpath.normpath(join(path, rel)), limit)
    rec.listdir(join(path, "core"))
    rec.listdir(join(path, "lib"), with_stats=False)  # torch/lib: loaded before torch_mlu, found by name
    for name in names:
        if name.startswith("_MLUC") and ".so" in name:
            elf_info(rec, join(path, name), plan["linkage"])
            break
    return True


def installed(rec, plan, homes):
    # type: (Recorder, Dict[str, Any], List[str]) -> None
    """What framework.read_installed may read for the components torch_mlu requires: the toolkit headers,
    and the rpm database (dpkg's status file is read whole with the toolkit's files).

    Of an rpm database the doctor uses only the header blobs naming Cambricon packages: the first one that
    has any data is scanned here with the doctor's own pattern and kept up to the end of its last match, so
    the doctor finds the same packages in it (none: nothing kept, and it finds none either)."""
    inst = plan["installed"]
    for home in homes:
        if rec.stat(home)[1]:
            for header in inst["headers"]:
                rec.read(join(join(home, "include"), header), inst["header_limit"])
    pattern = re.compile(inst["rpm_header"].encode("latin-1"))
    for path in inst["rpm_dbs"]:
        found = rec.locate(path, True) if rec.stat(path)[2] else None
        data = read_local(found[0], inst["rpm_limit"], True) if found else None
        if data:
            last = 0
            for m in pattern.finditer(data):
                last = m.end()
            if last:
                rec.keep_prefix(path, bytes(data[:last]))
            break


def ask_python(rec, plan, python, env, timeout, runs):
    # type: (Recorder, Dict[str, Any], str, Dict[str, str], float, List[Dict[str, Any]]) -> Tuple[List[str], Optional[str]]
    """Run the doctor's sys.path script under `python`: (the path it printed, its sys.executable); ([], None)
    when it printed nothing usable."""
    result = run([python, "-c", plan["sys_path_script"]], timeout, env, plan["output_limit"])
    runs.append(result)
    try:
        lines = result["stdout"].strip().splitlines()
        data = json.loads(lines[-1]) if lines else {}
    except ValueError:
        return [], None
    if not isinstance(data, dict) or not isinstance(data.get("path"), list):
        return [], None
    executable = data.get("executable") if isinstance(data.get("executable"), str) else None
    return [p for p in data["path"] if isinstance(p, str)], executable or python


def walk_project(rec, plan, top):
    # type: (Recorder, Dict[str, Any], str) -> None
    """The project tree as the doctor walks it (breadth first, bounded), text files read."""
    rec.listdir(top)
    if top in plan["no_scan"]:
        return
    lim = plan["walk"]
    queue, seen, opened, total = [(top, 0)], 0, 0, 0
    while queue:
        folder, depth = queue.pop(0)
        for name in rec.listdir(folder) or []:
            seen += 1
            if seen > lim["max_entries"]:
                return
            path = join(folder, name)
            if rec.stat(path)[1]:
                if (depth + 1 < lim["max_depth"] and name not in plan["skip_dirs"]
                        and not name.startswith(".")):
                    queue.append((path, depth + 1))
            elif (name.endswith(tuple(plan["text_suffixes"])) and opened < lim["max_files"]
                  and total < lim["max_total_bytes"]):
                data = rec.read(path, lim["max_file_bytes"])
                opened, total = opened + 1, total + len(data or b"")


def dataset_roots(rec, plan, top, env, cwd, coco):
    # type: (Recorder, Dict[str, Any], str, Dict[str, str], str, List[str]) -> Tuple[List[str], List[str]]
    """(COCO roots, list files) named by --coco, $COCO_DIR and the project's data files."""
    roots = [posixpath.normpath(join(cwd, c)) for c in coco]
    if env.get("COCO_DIR"):
        roots.append(posixpath.normpath(join(cwd, env["COCO_DIR"])))
    lists = []  # type: List[str]
    v3 = (rec.read(top + "/data/coco2014.data", 64 * 1024) or b"").decode("utf-8", "replace")
    found = dict(re.findall(plan["data_key"], v3, re.MULTILINE))
    named = [posixpath.normpath(join(top, v)) for k, v in sorted(found.items()) if k in ("train", "valid")]
    lists += named
    roots += [posixpath.dirname(n) for n in named[:1]]
    v5 = (rec.read(top + "/data/coco.yaml", 64 * 1024) or b"").decode("utf-8", "replace")
    keys = {k: v.strip() for k, v in re.findall(plan["yaml_key"], v5, re.MULTILINE) if v.strip()}
    base = posixpath.normpath(join(top, keys["path"])) if keys.get("path") else None
    named = [posixpath.normpath(join(base or top, keys[k])) for k in ("train", "val") if keys.get(k)]
    lists += named
    roots += [base] if base else [posixpath.dirname(n) for n in named[:1]]
    return roots, lists


def datasets(rec, plan, roots, lists):
    # type: (Recorder, Dict[str, Any], List[str], List[str]) -> None
    for root in roots:
        if not rec.stat(root)[1]:
            continue
        for name in rec.listdir(root) or []:
            if name.endswith(".txt"):
                lists.append(join(root, name))
        for kind in ("images", "labels"):
            for split in rec.listdir(join(root, kind)) or []:
                # counted, never stat'ed one by one
                rec.listdir(join(join(root, kind), split), with_stats=False)
        rec.listdir(join(root, "annotations"), with_stats=False)
        state = join(root, plan["state_dir"])  # fetch-coco's records of what it extracted and labelled
        for name in rec.listdir(join(state, "extracted"), with_stats=False) or []:
            rec.read(join(join(state, "extracted"), name), plan["record_limit"])
        for name in rec.listdir(state, with_stats=False) or []:
            if name.startswith("labels-") and name.endswith(".json"):
                rec.read(join(state, name), plan["record_limit"])
    for path in lists:
        rec.read(path, plan["list_limit"])


def torch_home(rec, env, cwd, writable):
    # type: (Recorder, Dict[str, str], str, Dict[str, List[Any]]) -> None
    """TORCH_HOME and its parents; whether it can be written to and how much room is left, as the doctor
    asks."""
    value = env.get("TORCH_HOME")
    if not value:
        return
    if value == "~" or value.startswith("~/"):
        value = (env.get("HOME") or "/root") + value[1:]
    path = near = posixpath.normpath(join(cwd, value))
    while near != posixpath.dirname(near) and not rec.stat(near)[0]:
        near = posixpath.dirname(near)
    found = rec.locate(near, True)
    if rec.stat(path)[2]:
        return  # a file: the doctor does not ask further
    if found is None or not stat.S_ISDIR(found[1]):
        writable[path] = [False, None, None]
        return
    try:
        st = os.statvfs(found[0])
        free = st.f_bavail * st.f_frsize  # type: Optional[int]
    except OSError:
        free = None
    if not rec.is_host:
        writable[path] = [os.access(found[0], os.W_OK | os.X_OK), None, free]
        return
    writable[path] = [True, None, free]
    try:  # a test file, removed at once (permission bits lie to root)
        fd, tmp = tempfile.mkstemp(prefix=".mlu-doctor-write-test-", dir=found[0])
        os.close(fd)
        os.unlink(tmp)
    except OSError as exc:
        writable[path] = [False, exc.strerror or str(exc), free]


# --- the whole -------------------------------------------------------------------------------------


def system_path(root, local):
    # type: (str, str) -> str
    """A path of this machine as a path of the inspected system (under --root R, R/work is /work)."""
    local, root = os.path.abspath(local), os.path.abspath(root)
    if root == "/" or not (local == root or local.startswith(root + "/")):
        return local
    rel = os.path.relpath(local, root)
    return "/" if rel == "." else "/" + rel


def capture(plan, opts):
    # type: (Dict[str, Any], Dict[str, Any]) -> Dict[str, Any]
    env = dict(os.environ if opts.get("environ") is None else opts["environ"])
    rec = Recorder(opts["root"], plan["max_entries"], plan["max_bytes"])
    timeout, limit = opts["timeout"], plan["output_limit"]
    cwd = system_path(rec.root, opts.get("cwd") or os.getcwd())
    project = opts["project"]
    # a folder of this machine (under --root R: R/work and /work alike)
    if project and os.path.isdir(project):
        project = system_path(rec.root, project)
    top = posixpath.normpath(join(cwd, project) if project else cwd)
    which, runs = {}, []  # type: Dict[str, Optional[str]], List[Dict[str, Any]]
    device(rec, plan)
    files(rec, plan)
    which["cnmon"] = shutil.which("cnmon", path=env.get("PATH"))
    if which["cnmon"]:
        runs.append(run([which["cnmon"]], timeout, None, limit))
        runs.append(run([which["cnmon"], "info"], timeout, None, limit))
    toolkit(rec, plan, env)
    python = opts["python"]
    if not python and rec.is_host:
        python = which["python3"] = shutil.which("python3", path=env.get("PATH"))
    sys_path, executable = ask_python(rec, plan, python, env, timeout, runs) if python else ([], None)
    seen, found = set(), {}  # type: set, Dict[str, List[str]]
    for pattern in plan["site_patterns"]:
        for path in rec.glob(pattern):
            if rec.stat(path)[1]:
                site_dir(rec, plan, path, seen, True, found)
    pythonpath = [posixpath.normpath(join(cwd, p)) if p else cwd
                  for p in (env.get("PYTHONPATH") or "").split(":") if env.get("PYTHONPATH")]
    for path in [cwd] + pythonpath + sys_path:
        site_dir(rec, plan, path, seen, path in sys_path, found)
    if found.get("torch_mlu"):  # the framework probe goes on to linkage and installed versions
        linkage(rec, plan, env, found["torch_mlu"], executable if rec.is_host else None)
        installed(rec, plan, neuware_homes(plan, env))
    walk_project(rec, plan, top)
    roots, lists = dataset_roots(rec, plan, top, env, cwd, opts["coco"])
    datasets(rec, plan, roots, lists)
    writable = {}  # type: Dict[str, List[Any]]
    torch_home(rec, env, cwd, writable)
    host = {"label": "host" if rec.is_host else "root " + rec.root, "root": rec.root, "is_host": rec.is_host,
            "can_run": True, "environ": env, "paths": rec.manifest_paths(), "ranges": rec.manifest_ranges(),
            "which": which,
            "runs": runs, "writable": writable, "context": {"python": opts["python"], "project_dir": top,
                                                            "cwd": cwd, "timeout": timeout,
                                      "coco_roots": [posixpath.normpath(join(cwd, c)) for c in opts["coco"]]}}
    return {"format": plan["format"], "version": plan["capture_version"],
            "tool": "probe.py (mlu-doctor %s) on Python %s" % (plan["tool_version"], sys.version.split()[0]),
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "target": "host",
            "systems": {"host": host}}


USAGE = ("usage: python3 probe.py [--python PATH] [--project DIR] [--coco DIR]... [--root DIR] [--timeout S] "
         "[-o FILE]")


class Usage(Exception):
    """Bad options: one line on stderr, exit 2."""


def parse_args(argv):
    # type: (List[str]) -> Dict[str, Any]
    opts = {"python": None, "project": None, "coco": [], "root": "/", "timeout": PLAN.get("timeout", 3.0),
            "output": None}  # type: Dict[str, Any]
    names = {"--python": "python", "--project": "project", "--coco": "coco", "--root": "root",
             "--timeout": "timeout", "-o": "output", "--output": "output"}
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg in ("-h", "--help"):
            sys.stdout.write((__doc__ or "") + "\n" + USAGE + "\n")
            sys.exit(0)
        if arg not in names:
            raise Usage("unknown option " + arg)
        if not args:
            raise Usage(arg + " needs a value")
        key, value = names[arg], args.pop(0)
        if key == "coco":
            opts["coco"].append(value)
        elif key == "timeout":
            try:
                opts["timeout"] = float(value)
            except ValueError:
                raise Usage("--timeout needs a number of seconds") from None
            if not 0 < opts["timeout"] <= 3600:
                raise Usage("--timeout must be greater than 0 and at most 3600 seconds")
        else:
            opts[key] = value
    if not os.path.isdir(opts["root"]):
        raise Usage("--root %s: no such directory" % opts["root"])
    root, project = opts["root"], opts["project"]
    if project and not (os.path.isdir(project) or os.path.isdir(os.path.join(root, project.lstrip("/")))):
        raise Usage("--project %s: no such directory" % project)
    out = opts["output"]
    if out and out != "-" and os.path.exists(out) and not os.path.isfile(out):
        raise Usage("-o %s is not a regular file" % out)
    return opts


def write_file(path, text):
    # type: (str, str) -> None
    """Replace `path` in one step (a temp file beside it, renamed); the temp file never stays behind."""
    tmp = "%s.tmp-%d" % (path, os.getpid())
    try:
        with open(tmp, "w") as fh:
            fh.write(text)
        os.rename(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def main(argv):
    # type: (List[str]) -> int
    if not PLAN:
        sys.stderr.write("probe.py: this is the template; write the probe script with `mlu-doctor "
                         "probe-script -o probe.py`\n")
        return 2
    try:
        opts = parse_args(argv)
    except Usage as exc:
        sys.stderr.write("probe.py: %s\n%s\n" % (exc, USAGE))
        return 2
    try:
        text = json.dumps(capture(PLAN, opts), ensure_ascii=True, sort_keys=False) + "\n"
        if len(text) > PLAN["max_output"]:  # mlu-doctor would refuse it: say so now, write nothing
            mib = (len(text) + 0xFFFFF) >> 20
            sys.stderr.write("probe.py: the capture would be %d MiB, more than the %d MiB mlu-doctor reads; "
                             "nothing was written\n" % (mib, PLAN["max_output"] >> 20))
            return 4
        if opts["output"] and opts["output"] != "-":
            write_file(opts["output"], text)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
    except KeyboardInterrupt:
        sys.stderr.write("probe.py: interrupted\n")
        return 130
    except OSError as exc:
        sys.stderr.write("probe.py: cannot write the capture: %s\n" % (exc.strerror or exc))
        return 4
    except Exception as exc:  # a bug: one line saying where, not a traceback
        import traceback

        where = traceback.extract_tb(sys.exc_info()[2])[-1]
        sys.stderr.write("probe.py: internal error: %s: %s (line %d; please report it with mlu-doctor's "
                         "version)\n"
                         % (type(exc).__name__, exc, where.lineno or 0))
        return 5
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
