"""Cambricon version spellings: package suffixes, framework pairs, integer macros, per-generation Neuware numbering."""

from __future__ import annotations

import pytest

from mlu_doctor.facts.cnversions import (
    compare,
    framework_pair,
    neuware_generation,
    parse_version,
    release_text,
)


@pytest.mark.parametrize("text, release, suffix", [
    ("v6.2.29", (6, 2, 29), ""),
    ("4.20.4-1", (4, 20, 4), "1"),          # DRIVER minimum in a torch_mlu version gate
    ("1.10.3-1", (1, 10, 3), "1"),          # CNNL minimum
    ("4.7.6-1", (4, 7, 6), "1"),            # CNToolkit of a CI manifest
    ("1.17.0-torch1.13", (1, 17, 0), "torch1.13"),
    ("1.33.1+torch2.11.0", (1, 33, 1), "torch2.11.0"),
    ("2.5.0+cpu", (2, 5, 0), "cpu"),
    ("3.0.0+mlu1.3.1", (3, 0, 0), "mlu1.3.1"),
    ("50801", (5, 8, 1), ""),                # MagicMind's mm_run prints CNRT_VERSION as an integer
    ("10803", (1, 8, 3), ""),
])
def test_versions_parse_with_their_suffixes(text, release, suffix):
    v = parse_version(text)
    assert v is not None and (v.release, v.suffix) == (release, suffix)


@pytest.mark.parametrize("text", [None, "", "N/A", "On", "MLU370", "v", "1", "1234", "4.x", "MLUXXX-XX"])
def test_non_versions_are_none(text):
    assert parse_version(text) is None and release_text(text) is None


def test_framework_pairs():
    assert framework_pair("1.17.0-torch1.13") == ("1.17.0", "1.13")
    assert framework_pair("1.33.1+torch2.11.0") == ("1.33.1", "2.11.0")
    assert framework_pair("1.2.0-torch1.6") == ("1.2.0", "1.6")
    assert framework_pair("2.1.0") is None


@pytest.mark.parametrize("version, generation", [
    ("8.2.0", "MLU100"), ("1.7.14", "MLU2xx"), ("2.6.3", "MLU3xx"), ("3.9.0", "MLU3xx"), ("4.7.6-1", "MLU5xx"),
    ("5.0.0", None), ("x", None),
])
def test_neuware_numbering_is_per_generation(version, generation):
    assert neuware_generation(version) == generation


def test_compare_ignores_suffixes_and_refuses_across_neuware_generations():
    assert compare("4.15.14-1", "4.20.4-1") == -1
    assert compare("v6.2.29", "6.2.29") == 0
    assert compare("5.10.22", "5.10") == 1
    assert compare("1.7.14", "3.9.0") == -1                    # plain numbers compare
    assert compare("1.7.14", "3.9.0", neuware=True) is None    # MLU270's 1.x is not older than MLU370's 3.x
    assert compare("8.2.0", "1.7.0", neuware=True) is None     # nor is MLU100's 8.x newer
    assert compare("3.7.2", "3.9.0", neuware=True) == -1
    assert compare("N/A", "1.0") is None
