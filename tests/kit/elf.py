"""Real ELF shared objects for fixture trees, built with the system C compiler in the test run.

`shared_object("libcnnl.so.1", needed=["libcnrt.so.6"], runpath="$ORIGIN")` returns the bytes of a tiny
library built by `cc -shared -Wl,-soname,...`; its NEEDED, RPATH and RUNPATH entries are the linker's own.
A NEEDED name is produced by linking against a stub library of that soname (also built here). Builds are
cached per run (keyed by the arguments) in one temporary directory removed at exit.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Optional

_DIR: Optional[Path] = None


def _workdir() -> Path:
    global _DIR
    if _DIR is None:
        _DIR = Path(tempfile.mkdtemp(prefix="mlu-doctor-elfkit-"))
        atexit.register(shutil.rmtree, _DIR, True)
    return _DIR


def compiler() -> str:
    """The C compiler (cc, else gcc); a missing one is a setup error (scripts/test.sh installs gcc)."""
    found = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    if not found:
        raise RuntimeError("no C compiler (cc/gcc) on PATH: the ELF fixtures are built with one")
    return found


def _build(soname: str, needed: Sequence[str], runpath: Optional[str], rpath: Optional[str],
           undefined: Optional[str] = None) -> Path:
    key = hashlib.sha256(repr((soname, tuple(needed), runpath, rpath, undefined)).encode()).hexdigest()[:16]
    out = _workdir() / key / soname
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    src = out.parent / "lib.c"
    symbol = "f_" + hashlib.sha256(soname.encode()).hexdigest()[:8]
    call = f"extern int {undefined}(void);\nint {symbol}(void) {{ return {undefined}(); }}\n" if undefined else ""
    src.write_text(call or f"int {symbol}(void) {{ return 0; }}\n")
    argv = [compiler(), "-shared", "-fPIC", "-o", str(out), str(src), f"-Wl,-soname,{soname}", "-Wl,--no-as-needed"]
    for dep in needed:
        argv.append(str(_build(dep, (), None, None)))
    if runpath is not None:
        argv += ["-Wl,--enable-new-dtags", f"-Wl,-rpath,{runpath}"]
    elif rpath is not None:
        argv += ["-Wl,--disable-new-dtags", f"-Wl,-rpath,{rpath}"]
    subprocess.run(argv, check=True, capture_output=True, timeout=60)
    return out


def shared_object(soname: str, needed: Sequence[str] = (), runpath: Optional[str] = None,
                  rpath: Optional[str] = None, undefined: Optional[str] = None) -> bytes:
    """The bytes of a real shared object with this SONAME, NEEDED entries and RUNPATH (or old-style RPATH);
    `undefined` names a function it calls but does not define (dlopen with RTLD_NOW: "undefined symbol")."""
    return _build(soname, needed, runpath, rpath, undefined).read_bytes()


def install(path: Path, soname: str, needed: Sequence[str] = (), runpath: Optional[str] = None,
            rpath: Optional[str] = None, undefined: Optional[str] = None) -> Path:
    """Write a real shared object at `path` (parents created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(shared_object(soname, needed, runpath, rpath, undefined))
    return path


def install_versioned(directory: Path, lib: str, version: str, needed: Sequence[str] = ()) -> Path:
    """`lib<name>.so.X.Y.Z` (SONAME `lib<name>.so.X`) with the `.so.X` and `.so` links a toolkit package installs."""
    major = version.split(".")[0]
    real = install(directory / f"lib{lib}.so.{version}", f"lib{lib}.so.{major}", needed)
    for link in (f"lib{lib}.so.{major}", f"lib{lib}.so"):
        target = directory / link
        if target.is_symlink() or target.exists():
            target.unlink()
        os.symlink(real.name, target)
    return real
