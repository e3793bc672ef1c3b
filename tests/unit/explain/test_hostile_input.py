"""Hostile signature files and logs: one line and exit 2, never a traceback, a loop or an IndexError."""

from __future__ import annotations

import codecs
import io
import json

import pytest

from mlu_doctor.errors import ConfigError
from mlu_doctor.explain.scan import CHUNK, iter_chunks, scan_chunks, sniff_utf16
from mlu_doctor.explain.signatures import builtin_signatures, parse_signatures
from mlu_doctor.explain.template import fill, template_problem
from tests.kit.files import write

BASE = {"id": "log.x", "keywords": ["boom"], "patterns": ["boom"], "title": "t", "cause": "c", "remedy": "r"}


def sig_yaml(**changes: object) -> str:
    entry = {**BASE, **changes}
    return json.dumps([{k: v for k, v in entry.items() if v is not ...}])  # JSON is YAML


@pytest.mark.parametrize("changes, message", [
    ({"keywords": [""]}, "an empty keyword would match every line"),
    ({"keywords": ["  "]}, "an empty keyword would match every line"),
    ({"context": [""]}, "an empty keyword would match every line"),
    ({"keywords": 3}, "keywords must be a list of strings"),
    ({"keywords": [1, 2]}, "keywords must be a list of strings"),
    ({"keywords": {"a": 1}}, "keywords must be a list of strings"),
    ({"patterns": [["x"]]}, "patterns must be a list of strings"),
    ({"patterns": ["("]}, "bad pattern"),
    ({"title": "{0}"}, "field {0} is not a capture name"),
    ({"title": "{a.b}"}, "field {a.b} is not a capture name"),
    ({"cause": "{a!r}"}, "is not a capture name"),
    ({"remedy": "{a:>999999999}"}, "is not a capture name"),
    ({"title": "open {"}, "unbalanced '{'"),
    ({"title": "close }"}, "unbalanced '}'"),
    ({"title": 3}, "title must be a string"),
    ({"title": ["a"]}, "title must be a string"),
    ({"title_zh": {"a": 1}}, "title_zh must be a string"),
    ({"title": ...}, "missing title"),
    ({"severity": 3}, "severity must be one of warn, fail"),
    ({"severity": "ok"}, "severity must be one of warn, fail"),
    ({"next": [{"command": "{0}"}]}, "next.command: field {0} is not a capture name"),
    ({"next": [{"command": ["a"]}]}, "one-key mapping"),
    ({"next": {"check": "a"}}, "one-key mapping"),
    ({"context_lines": -1}, "context_lines must be a whole number"),
    ({"context_lines": True}, "context_lines must be a whole number"),
    ({"examples": [1]}, "examples must be a list of strings"),
    ({"supersedes": 3}, "supersedes must be a list of strings"),
    ({"keyword": ["typo"]}, "unknown field(s) keyword"),
    ({"id": 7}, "id 7 must look like log.kebab-case"),
])
def test_wrong_types_are_config_errors_naming_entry_and_field(changes, message):
    with pytest.raises(ConfigError) as info:
        parse_signatures(sig_yaml(**changes), "mine.yaml")
    assert str(info.value).startswith("mine.yaml[0]") and message in str(info.value)


@pytest.mark.parametrize("text, message", [
    ("a: 1\n", "expected a list of signatures"),
    ("- 3\n", "each signature is a mapping"),
    ("- [a, b]\n", "each signature is a mapping"),
    ("[" * 10000 + "]" * 10000, "malformed YAML"),
])
def test_wrong_shapes_are_config_errors(text, message):
    with pytest.raises(ConfigError, match=message):
        parse_signatures(text, "mine.yaml")


@pytest.mark.parametrize("changes", [{"keywords": [""]}, {"title": "{0}"}, {"keywords": 3}, {"next": "x"}])
def test_cli_gives_one_line_and_exit_2(cli, tmp_path, changes):
    sigs = write(tmp_path / "s.yaml", sig_yaml(**changes))
    result = cli(["explain", "--signatures", sigs, "-"], input=b"boom\n")
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.exit_code == 2 and len(lines) == 1 and "s.yaml[0]" in lines[0], result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_escaped_braces_and_captures_render():
    assert template_problem("{{literal}} and {name}") is None
    assert fill("{{x}} {a} {b}", {"a": "1"}) == "{x} 1 ?"
    assert fill("cnmon mlulink -c {device} -s", {}, keep_missing=True) == "cnmon mlulink -c {device} -s"
    assert fill("{0} {a.b} }", {"a": "x"}) == "{0} {a.b} }"  # never raises, even on what the loader rejects


def test_a_user_signature_with_a_capture_renders_in_both_outputs(cli, tmp_path):
    sigs = write(tmp_path / "s.yaml", sig_yaml(patterns=["boom (?P<n>\\d+)"], title="boom {n} {{raw}}",
                                               next=[{"command": "retry {n} {missing}"}]))
    data = json.loads(cli(["explain", "--signatures", sigs, "-f", "json", "-"], input=b"boom 42\n").stdout)
    assert data["findings"][0]["summary"] == "boom 42 {raw}"
    assert data["findings"][0]["next"] == ["retry 42 {missing}"]


def ids_of(data: bytes, chunk: int = CHUNK) -> list[str]:
    result = scan_chunks(iter_chunks(io.BytesIO(data), chunk), builtin_signatures())
    return [m.signature.id for m in result.matches]


LOG = "日志 1\ncndev init failed: CNDEV_ERROR_NO_DRIVER.\nThe device you run is MLU220, but the platform in kernel is MLU270!\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("chunk", [1, 3, 4096, CHUNK])
def test_utf16_without_bom_is_recognised_at_any_chunk_size(encoding, chunk):
    data = LOG.encode(encoding)
    assert not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    assert sniff_utf16(data) == encoding
    assert ids_of(data, chunk) == ["log.cndev-no-driver", "log.cnrt-platform-mismatch"]


@pytest.mark.parametrize("head", [b"", b"\x00" * 40, b"plain ascii log line\n" * 10, "中文日志".encode("gbk") * 20])
def test_utf16_sniffing_leaves_other_text_alone(head):
    assert sniff_utf16(head) is None


def test_utf16_le_file_through_the_cli(cli, tmp_path):
    path = write(tmp_path / "win.log", ("ModuleNotFoundError: No module named 'torch_mlu'\r\n" * 3).encode("utf-16-le"))
    data = json.loads(cli(["explain", "-f", "json", path]).stdout)
    assert [(f["id"], f["count"]) for f in data["findings"]] == [("log.torch-mlu-missing", 3)]


def test_empty_keyword_cannot_reach_the_scanner_loop():
    """Even a Signature built by hand with an empty keyword does not make the prefilter spin."""
    import dataclasses

    sig = dataclasses.replace(builtin_signatures()[0], keywords=(b"",) + builtin_signatures()[0].keywords)
    result = scan_chunks([b"x\n" * 1000 + b"The device you run is MLU290, but the platform in kernel is MLU270!\n"], [sig])
    assert [m.signature.id for m in result.matches] == [sig.id]
