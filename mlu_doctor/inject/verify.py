"""After a copy: compare a fresh scan of SRC with the container's listing, optionally sha256 inside it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Optional

from mlu_doctor.inject.tree import FILE, Entry, Remote, batches, odd_names, same, scan

if TYPE_CHECKING:
    from mlu_doctor.inject.remote import Container

VerifyMethod = Literal["listing", "sha256", "none"]  # compare the listing (names, sizes), or hash every file
VERIFY_METHODS: tuple[VerifyMethod, ...] = ("listing", "sha256", "none")
HASH_BATCH_BYTES = 256 << 20
HASH_BATCH_FILES = 400
SESSIONS = 2  # separate exec sessions; one `xargs -P` inside a single exec garbles its output lines


@dataclass
class VerifyReport:
    checked: int = 0
    mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def verify(box: Container, src: str, dest: str, method: VerifyMethod,
           known: Optional[tuple[list[Entry], dict[str, Remote]]] = None,
           differ: Optional[list[Entry]] = None) -> VerifyReport:
    """Listing match for every entry (`known`: a scan and listing just taken, `differ`: their difference if
    already computed); sha256 also hashes every file."""
    local, remote = known if known is not None else fresh(box, src, dest)
    if differ is None or known is None:
        differ = [e for e in local if not same(e, remote.get(e.rel))]
    report = VerifyReport(checked=len(local), mismatches=[e.rel for e in differ])
    if method == "sha256":
        bad = set(report.mismatches)
        files = [e for e in local if e.kind == FILE and e.rel not in bad]
        report.mismatches += hash_mismatches(box, src, dest, files)
    return report


def fresh(box: Container, src: str, dest: str) -> tuple[list[Entry], dict[str, Remote]]:
    """A new scan of SRC and a new listing of DEST, the listing running in the container meanwhile."""
    from mlu_doctor.inject.bg import Background

    listing = Background(box.listing, dest)
    local = list(scan(src))
    return local, with_odd_names(box, dest, local, listing.result())


def with_odd_names(box: Container, dest: str, entries: list[Entry],
                   remote: dict[str, Remote]) -> dict[str, Remote]:
    """`remote` completed with the paths holding a newline (the listing leaves them out: see
    tree.STAT_EACH)."""
    odd = odd_names(entries)
    if odd:
        remote.update(box.stat_each(dest, odd))
    return remote


def hash_mismatches(box: Container, src: str, dest: str, files: list[Entry]) -> list[str]:
    """Files whose sha256 inside the container differs from the local file (hashed while the container
    works)."""
    from concurrent.futures import ThreadPoolExecutor

    groups = [g for big in batches(files, HASH_BATCH_BYTES) for g in _split(big, HASH_BATCH_FILES)]
    bad: list[str] = []
    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        futures = [pool.submit(box.sha256, dest, [e.rel for e in g]) for g in groups]
        for group, fut in zip(groups, futures):
            local = {e.rel: sha256_file(os.path.join(src, e.rel)) for e in group}
            remote = fut.result()
            bad += [rel for rel, digest in local.items() if remote.get(rel) != digest]
    return bad


def _split(items: list[Entry], n: int) -> list[list[Entry]]:
    return [items[i:i + n] for i in range(0, len(items), n)]


def sha256_file(path: str) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while True:
            block = fh.read(1 << 20)
            if not block:
                return h.hexdigest()
            h.update(block)
