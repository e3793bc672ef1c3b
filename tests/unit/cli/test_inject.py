"""inject's option parsing: sizes and owners."""

from __future__ import annotations

from mlu_doctor.cli.inject import parse_owner, parse_size


def test_option_parsing():
    assert parse_size("1G") == 1 << 30 and parse_size("500M") == 500 << 20 and parse_size("4096") == 4096
    assert parse_owner("1000:100") == (1000, 100) and parse_owner(None) is None
