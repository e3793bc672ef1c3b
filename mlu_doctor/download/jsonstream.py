"""Stream the items of the top-level arrays of a big JSON object (COCO's instances_*.json is ~450 MB).

Only one item is decoded at a time; the rest of the file stays on disk. Stdlib only (json.raw_decode).
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Mapping
from typing import Any

_WS = " \t\r\n"


class _Reader:
    """A text window over a file that grows on demand and forgets what was consumed."""

    def __init__(self, fh: Any, block: int) -> None:
        self.fh, self.block = fh, block
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.buf, self.pos, self.eof = "", 0, False

    def more(self) -> bool:
        if self.eof:
            return False
        data = self.fh.read(self.block)
        self.eof = not data
        if self.pos > 0:
            self.buf, self.pos = self.buf[self.pos:], 0
        self.buf += self.decoder.decode(data, final=self.eof)
        return True

    def skip_ws(self) -> str:
        """The next non-blank character (not consumed); '' at the end of the file."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _WS:
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.more():
                return ""

    def expect(self, chars: str) -> str:
        ch = self.skip_ws()
        if not ch or ch not in chars:
            raise ValueError(f"expected one of {chars!r}, found {ch!r}")
        self.pos += 1
        return ch

    def value(self, decoder: json.JSONDecoder) -> Any:
        """Decode one JSON value, reading more of the file while it is incomplete."""
        self.skip_ws()
        while True:
            try:
                value, end = decoder.raw_decode(self.buf, self.pos)
                if end < len(self.buf) or self.eof:
                    self.pos = end
                    return value
            except json.JSONDecodeError:
                if self.eof:
                    raise
            self.more()


def scan_arrays(path: str, handlers: Mapping[str, Callable[[Any], None]], block: int = 1 << 20) -> None:
    """Call handlers[key](item) for each item of each top-level array `key`; other values are skipped."""
    decoder = json.JSONDecoder()
    with open(path, "rb") as fh:
        r = _Reader(fh, block)
        r.expect("{")
        if r.skip_ws() == "}":
            return
        while True:
            key = r.value(decoder)
            r.expect(":")
            handler = handlers.get(key)
            if r.skip_ws() == "[":
                r.pos += 1
                _items(r, decoder, handler)
            else:
                r.value(decoder)
            if r.expect(",}") == "}":
                return


def _items(r: _Reader, decoder: json.JSONDecoder, handler: Callable[[Any], None] | None) -> None:
    """Each item of an array: the C scanner straight on the buffer, and a fast path for the separator
    (COCO's files are compact: `},{`), so a million items cost little beyond their decoding."""
    if r.skip_ws() == "]":
        r.pos += 1
        return
    scan = decoder.scan_once  # type: ignore[attr-defined]
    while True:
        buf, pos = r.buf, r.pos
        try:
            item, end = scan(buf, pos)
            complete = end < len(buf) or r.eof
        except (StopIteration, json.JSONDecodeError):
            complete = False
        if not complete:  # cut by the end of the window (or really malformed: value() says so)
            item = r.value(decoder)
            buf, end = r.buf, r.pos
        if handler is not None:
            handler(item)
        if end < len(buf) and buf[end] == ",":
            r.pos = end + 1
            if r.pos < len(buf) and buf[r.pos] in _WS:
                r.skip_ws()
            continue
        r.pos = end
        if r.expect(",]") == "]":
            return
        r.skip_ws()
