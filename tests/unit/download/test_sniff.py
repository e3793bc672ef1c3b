"""Error pages and wrong magic bytes are recognised before they are saved."""

from __future__ import annotations

from mlu_doctor.download.sniff import bad_magic, error_page


def test_error_pages_and_magic():
    assert "HTML" in error_page({"Content-Type": "text/html; charset=utf-8"}, b"")
    assert "HTML" in error_page({}, b"  <!DOCTYPE html><html>")
    assert error_page({"Content-Type": "application/zip"}, b"PK\x03\x04") is None
    assert bad_magic("a.zip", 0, b"GIF89a..") and bad_magic("a.zip", 100, b"GIF89a..") is None

