"""What a shared-object name says: part of the C runtime every Python has, or the Cambricon component
that ships it."""

from __future__ import annotations

import re
from typing import Optional

# Provided by the C/C++ runtime of any system that runs Python: not judged when a captured tree lacks them.
C_RUNTIME = re.compile(r"^(?:ld-linux[\w.-]*|libc|libm|libdl|libpthread|librt|libutil|libresolv|libcrypt|"
                       r"libstdc\+\+|libgcc_s|libatomic|libgomp|libz)\.so(?:\.\d+)*$")
# soname stem -> toolkit component that ships it (its package name in build.property in parentheses)
COMPONENTS = (
    ("libcnnl_extra", "CNNL_Extra"), ("libcnnl", "CNNL"), ("libmluops", "MLU-OPS"), ("libcncl", "CNCL"),
    ("libmagicmind", "MagicMind"), ("libcncv", "CNCV"), ("libcnml", "CNML"), ("libtorch_mlu", "torch_mlu"),
    ("libcnrt", "CNToolkit"), ("libcndrv", "CNToolkit"), ("libcndev", "CNToolkit"),
    ("libcnpapi", "CNToolkit"),
    ("libcnbin", "CNToolkit"), ("libcnlight", "CNLight"), ("libcnpx", "CNToolkit"),
    ("libtorch", "torch"), ("libc10", "torch"), ("libshm", "torch"),
)


def component_of(soname: str) -> Optional[str]:
    """The toolkit component (or torch_mlu) that ships `soname`, when it is a Cambricon library."""
    stem = soname.split(".so", 1)[0]
    return next((comp for prefix, comp in COMPONENTS if stem == prefix or stem.startswith(prefix + "_")),
                None)


def soname_stem(name: str) -> tuple[str, Optional[str]]:
    """`libcnnl.so.1.21.1` -> ("libcnnl.so", "1"); `libcnnl.so` -> ("libcnnl.so", None)."""
    head, dot_so, tail = name.partition(".so")
    if not dot_so:
        return name, None
    major = tail.lstrip(".").split(".")[0] if tail.startswith(".") else None
    return head + ".so", major or None
