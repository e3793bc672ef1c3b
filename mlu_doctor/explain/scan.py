"""Stream a log of any size and encoding through the signatures in constant memory.

The log is read as bytes in 1 MiB chunks. A byte-level prefilter (`bytes.find` of each signature's
lower-cased keywords in the lower-cased chunk) finds candidate lines; only those are decoded (UTF-8, then
GB18030, then UTF-8 with replacement) and searched with the regexes. Lines longer than LONG_LINE are scanned
in pieces, and the regexes see at most WINDOW bytes either side of a keyword, so a 1 GB line costs no more
memory than a short one.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from mlu_doctor.explain import context as log_context
from mlu_doctor.explain.signatures import Signature

CHUNK = 1 << 20
LONG_LINE = 1 << 20
WINDOW = 4096
SHOWN_LINES = 5
EXCERPT = 300
SNIFF = 4096
BANNER_BYTES = 16 << 20
ANCHORS = (b"error", b"version", b"cannot")  # rare in healthy logs, common inside keywords
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass
class Match:
    """Where one signature was seen: first line numbers, how many lines, captures, first line's text."""

    signature: Signature
    lines: list[int] = field(default_factory=list)
    count: int = 0
    captures: dict[str, str] = field(default_factory=dict)
    excerpt: str = ""


@dataclass
class ScanResult:
    """Matches in first-seen order, and how much was read."""

    matches: list[Match]
    lines: int
    bytes: int
    context: dict[str, str] = field(default_factory=dict)  # stack versions the log shows (explain/context.py)


def decode(raw: bytes) -> str:
    """Bytes to text: UTF-8, else GB18030 (GBK logs), else UTF-8 with replacement characters."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    return raw.decode("utf-8", "replace")


def sniff_utf16(head: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' for UTF-16 text without a BOM (many NULs on one side of each pair), else
    None."""
    sample = head[:SNIFF - SNIFF % 2] if len(head) >= SNIFF else head[:len(head) - len(head) % 2]
    pairs = len(sample) // 2
    if pairs < 8:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= pairs * 0.3 and even <= pairs * 0.05:
        return "utf-16-le"
    if even >= pairs * 0.3 and odd <= pairs * 0.05:
        return "utf-16-be"
    return None


def _recode(first: bytes, stream: BinaryIO, size: int, encoding: str) -> Iterator[bytes]:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    chunk = first
    while chunk:
        yield decoder.decode(chunk).encode("utf-8")
        chunk = stream.read(size)
    yield decoder.decode(b"", final=True).encode("utf-8")


def iter_chunks(stream: BinaryIO, size: int = CHUNK) -> Iterator[bytes]:
    """Raw chunks of a binary stream; UTF-16 (with a BOM, or sniffed without one) is re-encoded to UTF-8,
    a UTF-8 BOM dropped."""
    first = stream.read(max(size, SNIFF))
    if first.startswith(_UTF16_BOMS):
        yield from _recode(first, stream, size, "utf-16")
        return
    bomless = sniff_utf16(first)
    if bomless:
        yield from _recode(first, stream, size, bomless)
        return
    if first.startswith(codecs.BOM_UTF8):
        first = first[len(codecs.BOM_UTF8):]
    for i in range(0, len(first), size):  # the sniffed head in the caller's piece size
        yield first[i:i + size]
    chunk = stream.read(size)
    while chunk:
        yield chunk
        chunk = stream.read(size)


def prefilter(words: Iterable[bytes]) -> tuple[bytes, ...]:
    """The keywords the byte prefilter searches for: a keyword containing another one (or one of ANCHORS)
    is left out, since the shorter one already finds its lines; the window is then checked against every
    signature's own keywords. Each keyword costs one pass over every chunk, so fewer is faster."""
    words = {w for w in words if w}
    anchors = {a for a in ANCHORS if sum(a in w for w in words) > 1}
    unique = sorted(words | anchors, key=len)
    kept: list[bytes] = []
    for w in unique:
        if not any(k in w for k in kept):
            kept.append(w)
    return tuple(sorted(kept))


class Scanner:
    """Accumulates matches over regions of a byte buffer."""

    def __init__(self, signatures: Iterable[Signature]) -> None:
        self.signatures = tuple(signatures)
        self.context_keywords = tuple(sorted({kw for s in self.signatures for kw in s.context if kw}))
        words = {kw for s in self.signatures for kw in s.keywords if kw} | set(self.context_keywords)
        self.keywords = prefilter(words)
        self.banner_keywords = prefilter(words | set(log_context.KEYWORDS))
        self.banner_bytes = BANNER_BYTES  # stack banners are printed at start-up: look for them this far
        self.found: dict[str, Match] = {}
        self.context: dict[str, str] = {}
        self._last_line: dict[str, int] = {}
        self._context_seen: dict[bytes, int] = {}  # context keyword -> last line it was on

    def _positions(self, buf: bytes, start: int, end: int) -> list[int]:
        """Sorted keyword positions in buf[start:end] (one per line and keyword)."""
        out: list[int] = []
        keywords = self.banner_keywords if self.banner_bytes > 0 else self.keywords
        self.banner_bytes -= end - start
        for kw in keywords:
            i = buf.find(kw, start)
            while 0 <= i < end:
                out.append(i)
                eol = buf.find(b"\n", i)
                i = buf.find(kw, eol if eol > i else i + len(kw))
        out.sort()
        return out

    def scan(self, buf: bytes, start: int, end: int, lineno: int) -> None:
        """Process keyword hits starting in buf[start:end]; `lineno` is the line number at buf[0]."""
        counted, covered = 0, -1
        for pos in self._positions(buf.lower(), start, end):
            if pos < covered:
                continue
            lineno += buf.count(b"\n", counted, pos)
            counted = pos
            line_start = buf.rfind(b"\n", 0, pos) + 1
            line_end = buf.find(b"\n", pos)
            line_end = len(buf) if line_end < 0 else line_end
            ws, we = max(line_start, pos - WINDOW), min(line_end, pos + WINDOW)
            covered = we
            self._match_window(buf[ws:we], lineno)

    def _in_context(self, sig: Signature, lineno: int) -> bool:
        if not sig.context:
            return True
        return any(lineno - self._context_seen.get(kw, -(1 << 62)) <= sig.context_lines for kw in sig.context)

    def _match_window(self, raw: bytes, lineno: int) -> None:
        text: str | None = None
        lowered = raw.lower()
        for kw in self.context_keywords:
            if kw in lowered:
                self._context_seen[kw] = lineno
        if any(kw in lowered for kw in log_context.KEYWORDS):
            text = decode(raw).replace("\x00", "").strip()
            log_context.read_banners(text, self.context)
        for sig in self.signatures:
            if not any(kw in lowered for kw in sig.keywords) or not self._in_context(sig, lineno):
                continue
            if text is None:
                text = decode(raw).replace("\x00", "").strip()
            for pattern in sig.patterns:
                m = pattern.search(text)
                if m:
                    self._record(sig, lineno, {k: v for k, v in m.groupdict().items() if v}, text)
                    break

    def matches(self) -> list[Match]:
        """Matches in first-seen order, without those a more specific signature found in this log
        supersedes."""
        beaten = {sid for m in self.found.values() for sid in m.signature.supersedes}
        return [m for m in self.found.values() if m.signature.id not in beaten]

    def _record(self, sig: Signature, lineno: int, groups: dict[str, str], text: str) -> None:
        if self._last_line.get(sig.id) == lineno:
            return
        self._last_line[sig.id] = lineno
        match = self.found.get(sig.id)
        if match is None:
            match = self.found[sig.id] = Match(sig, excerpt=text[:EXCERPT])
        elif groups and not match.captures:  # prefer a line that says more
            match.excerpt = text[:EXCERPT]
        match.count += 1
        if len(match.lines) < SHOWN_LINES:
            match.lines.append(lineno)
        for key, value in groups.items():
            if key not in match.captures:
                match.captures[key] = value


def scan_chunks(chunks: Iterable[bytes], signatures: Iterable[Signature]) -> ScanResult:
    """Run the signatures over a stream of byte chunks, complete lines at a time."""
    scanner = Scanner(signatures)
    carry, skip, lineno, total = b"", 0, 1, 0
    for data in chunks:
        total += len(data)
        buf = carry + data if carry else data
        cut = buf.rfind(b"\n") + 1
        if cut:
            scanner.scan(buf, skip, cut, lineno)
            lineno += buf.count(b"\n", 0, cut)
            carry, skip = buf[cut:], 0
        elif len(buf) > LONG_LINE:  # one long line: scan all but the tail, keep context for the next piece
            end = len(buf) - WINDOW
            scanner.scan(buf, skip, end, lineno)
            carry, skip = buf[end - WINDOW:], WINDOW
        else:
            carry = buf
    if carry:
        scanner.scan(carry, skip, len(carry), lineno)
    lines = lineno - (0 if carry else 1)
    return ScanResult(scanner.matches(), lines, total, scanner.context)


def scan_stream(stream: BinaryIO, signatures: Iterable[Signature]) -> ScanResult:
    """Scan a binary stream (a file, stdin's buffer)."""
    return scan_chunks(iter_chunks(stream), signatures)
