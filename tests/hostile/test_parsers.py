"""Property-based hostile input for every parser of untrusted text: cnmon tables, proc files, build.property,
package databases, ld.so files, ELF headers, facts JSON, configs, signatures, manifests, journals, logs.

The property, for each: it returns, or raises only the error types it documents (ConfigError / UsageError
for the user's files, ValueError for a journal, InputProblem for the safe readers), within the hypothesis
deadline (3 s per example, see conftest.py). Inputs are real captures mutated line by line (lines dropped,
repeated, cut, spliced with format tokens and random text), format-shaped random data, and plain noise.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from mlu_doctor.config import Config, parse_config
from mlu_doctor.errors import ConfigError, UsageError
from mlu_doctor.explain import explain_stream
from mlu_doctor.explain.signatures import builtin_signatures, parse_signatures
from mlu_doctor.facts import (
    cnmon,
    cnversions,
    components,
    datasets,
    device,
    elf,
    ldso,
    pyenv,
    requirements,
    toolkit,
)
from mlu_doctor.facts.io import load_facts
from mlu_doctor.untrusted import InputProblem, load_json, load_yaml

DATA = Path(__file__).resolve().parents[1] / "data"


def capture(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8", errors="replace")


CNMON = [capture(p.name) for p in sorted(DATA.glob("cnmon_*.txt"))] + [capture("captures/cnmon_v5.10.31_masked_8cards.txt")]
INFORMATION = ("Device name: MLU220-M2\nDriver version: v4.6.9\nMLU Firmware Version: 1.1.4\nBoard serial number: "
               "SN/1234\nDevice inode path: /dev/cambricon_dev0\nBus type: PCIE\nDevice Major: 239\n")
BUILD_PROPERTY = capture("torch_mlu_1.17.0_build.property")
KEY_VALUES = "version=1.9.0\ncnnl: 1.13.0\nDRIVER=4.20.18\ncntoolkit_version = '3.0.2'\n"
DPKG = ("Package: cntoolkit\nStatus: install ok installed\nVersion: 3.7.2-1.ubuntu20.04\n\n"
        "Package: cnnl\nStatus: install ok installed\nVersion: 1.21.1-1\n\n")
TOKENS = ["|", "+", "=", "-", ":", " ", "\t", "\n", "\r", "\x00", "\ufffd", "CNMON", "v4.6.9", "Card", "MLU370-X4",
          "Bus-Id", "Driver", "Firmware", "Processes", "|===", "+---", "0000:21:00.0", "N/A", "99999999999999999999",
          "1.2.3.4.5.6", "version", "release", "cnnl", "{", "}", "[", "]", '"', "'", "\\", "#", "[" * 200, "é", "中文",
          "CNDEV_ERROR_NO_DRIVER", "Device name", "\u202e", "\x7f"]


@st.composite
def mutated(draw: st.DrawFn, seeds: list[str]) -> str:
    """A real capture with up to 8 line edits: drop, repeat, cut, or splice tokens and random text in."""
    lines = draw(st.sampled_from(seeds)).splitlines(keepends=True) or [""]
    for _ in range(draw(st.integers(0, 8))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "repeat", "cut", "splice", "noise"]))
        if op == "drop" and len(lines) > 1:
            lines.pop(i)
        elif op == "repeat" and len(lines[i]) < 4096:  # bounded: the seam keeps at most 4 MiB of output anyway
            lines.insert(i, lines[i] * draw(st.integers(1, 50)))
        elif op == "cut":
            lines[i] = lines[i][:draw(st.integers(0, len(lines[i])))]
        elif op == "splice":
            pos = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + "".join(draw(st.lists(st.sampled_from(TOKENS), max_size=6))) + lines[i][pos:]
        else:
            lines.insert(i, draw(st.text(max_size=80)) + "\n")
    return "".join(lines)


def texts(seeds: list[str]) -> st.SearchStrategy[str]:
    """Mutated captures, token soup, and plain random text."""
    soup = st.lists(st.sampled_from(TOKENS) | st.text(max_size=12), max_size=60).map("".join)
    return st.one_of(mutated(seeds), soup, st.text(max_size=400))


# --- command output and system files: parsers that never raise --------------------------------------------


@given(texts(CNMON))
def test_cnmon_parsers_never_raise(text):
    for parse in (cnmon.parse_cnmon_table, cnmon.parse_cnmon_info):
        facts = parse(text)
        assert facts.status in ("ok", "unparsed", "no-driver")
        facts_b = parse(text.encode("utf-8", "surrogatepass"))  # bytes as the seam may hand them over
        assert facts_b.status in ("ok", "unparsed", "no-driver")


@given(texts([INFORMATION]), st.text(max_size=20))
def test_proc_information_never_raises(text, bus):
    card = device.parse_information(text, bus)
    assert card.bus == bus and isinstance(device.information_values(text), dict)


@given(texts([BUILD_PROPERTY, KEY_VALUES]))
def test_build_property_and_version_info_never_raise(text):
    version, reqs = requirements.parse_build_property(text, "build.property")
    assert version is None or isinstance(version, str)
    assert all(r.component and r.version for r in reqs)
    requirements.parse_key_values(text, "version.info")
    requirements.torch_from_version(text)


@given(texts([DPKG, "2.0.0\nNeuware Version 1.7.602\n"]))
def test_package_and_version_files_never_raise(text):
    toolkit.parse_version_txt(text)
    toolkit.parse_dpkg_status(text)
    components.parse_dpkg(text)
    cnversions.parse_version(text)
    datasets.parse_data_file(text)
    datasets.parse_coco_yaml(text)
    ldso.parse_conf_lines(text)


@given(st.binary(max_size=2000) | texts([DPKG]).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_rpm_database_never_raises(data):
    assert isinstance(components.parse_rpmdb(data, "/var/lib/rpm/Packages"), dict)


@given(st.binary(max_size=600), st.sampled_from([b"", ldso.OLD_MAGIC, ldso.NEW_MAGIC]))
def test_ld_cache_raises_only_cache_errors(data, magic):
    try:
        ldso.parse_ld_cache(magic + data)
    except ldso.CacheError:
        pass
    except Exception as exc:  # read_ld_cache also takes struct.error: anything else is a bug
        import struct

        assert isinstance(exc, struct.error), exc


@given(st.binary(max_size=400), st.sampled_from([b"", b"\x7fELF\x02\x01\x01", b"\x7fELF\x01\x02\x01"]))
def test_elf_headers_raise_only_elf_errors(data, magic):
    with contextlib.suppress(elf.ElfError):
        elf.dynamic_info(elf.bytes_reader(magic + data))


JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                       lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
                       max_leaves=30)


@given(st.one_of(st.text(max_size=300), JSONISH.map(json.dumps),
                 st.integers(1, 100_000).map(lambda n: "[" * n + "]" * n),
                 JSONISH.map(lambda v: json.dumps({"path": v, "prefix": v}))))
def test_interpreter_output_never_raises(text):
    data = pyenv.parse_interpreter_output("noise\n" + text)
    assert data is None or isinstance(data["path"], list)


# --- the user's files: only the documented errors ---------------------------------------------------------

CONFIG_KEYS = {"datasets": ["coco"], "timeouts": ["probe", "docker", "runtime"], "acknowledge": ["id", "reason"],
               "coco": ["mirrors", "manifest"], "fix": ["torch_home"], "inject": ["container", "src", "dest"],
               "checks": ["x"], "bogus": ["y"]}
YAML_SNIPPETS = ["&a [1, 2]", "*a", "!!python/object/apply:os.system ['true']", "!!binary AAAA", "2021-99-99",
                 "{a: 1, a: 2}", "? [a]\n: b", "<<: {x: 1}", "!custom x", "~", ".nan", "0x1F", "1e999", "'\x00'",
                 "[" * 70 + "]" * 70, "|\n  text", "- - - - -", "\t", "%YAML 1.1\n---", "--- a\n--- b"]


@st.composite
def configs(draw: st.DrawFn) -> str:
    """YAML shaped like .mlu-doctor.yaml: known and unknown keys, values of any type, unsafe snippets."""
    doc = {}
    for section in draw(st.lists(st.sampled_from(sorted(CONFIG_KEYS)), max_size=4, unique=True)):
        keys = draw(st.lists(st.sampled_from(CONFIG_KEYS[section]), max_size=3, unique=True))
        value = {k: draw(JSONISH) for k in keys}
        doc[section] = [value] if section == "acknowledge" else draw(st.sampled_from([value, draw(JSONISH)]))
    text = yaml.safe_dump(doc, allow_unicode=True)
    if draw(st.booleans()):
        lines = text.splitlines() or [""]
        at = draw(st.integers(0, len(lines)))
        lines.insert(at, draw(st.sampled_from(["x: ", "  x: ", "- ", ""])) + draw(st.sampled_from(YAML_SNIPPETS)))
        text = "\n".join(lines) + "\n"
    return text


@given(configs() | st.text(max_size=300))
def test_config_raises_only_config_errors(text):
    try:
        assert isinstance(parse_config(text, "cfg.yaml"), Config)
    except ConfigError as exc:
        assert str(exc).startswith("cfg.yaml") and "\n" not in str(exc), str(exc)


SIGNATURE_FIELDS = ["id", "severity", "keywords", "patterns", "title", "cause", "remedy", "title_zh", "next",
                    "examples", "not_examples", "context", "context_lines", "supersedes", "bogus"]
TEMPLATES = ["{0}", "{a.b}", "{x!r}", "{x:>999999999}", "{", "}", "{{", "{name}", "plain", "{err}"]
PATTERNS = ["boom", "(?P<err>boom)", "(", "(a+)+$", "(?P<x>.*){5}", "[", "\\", "(?P<0>x)", "x{99999999999}"]


@st.composite
def signature_files(draw: st.DrawFn) -> str:
    """A list of signature-shaped mappings: valid ones, wrong types, bad regexes and templates."""
    entries = []
    for _ in range(draw(st.integers(0, 3))):
        entry = {"id": draw(st.sampled_from(["log.my-error", "log.x", "bad id", "log.my-error"])),
                 "keywords": ["boom"], "patterns": [draw(st.sampled_from(PATTERNS))],
                 "title": draw(st.sampled_from(TEMPLATES)), "cause": "c", "remedy": "r"}
        for name in draw(st.lists(st.sampled_from(SIGNATURE_FIELDS), max_size=3)):
            entry[name] = draw(JSONISH | st.sampled_from(TEMPLATES + PATTERNS))
        entries.append(entry)
    return yaml.safe_dump(entries, allow_unicode=True)


@given(signature_files() | st.text(max_size=200), st.binary(max_size=300))
def test_signatures_raise_only_config_errors_and_explain_never_raises(text, log):
    try:
        sigs = parse_signatures(text, "s.yaml")
    except ConfigError as exc:
        assert str(exc).startswith("s.yaml") and "\n" not in str(exc), str(exc)
        return
    result = explain_stream(io.BytesIO(b"boom " + log + b"\nboom\n"), "a.log", builtin_signatures() + sigs)
    for finding in result.findings:
        assert isinstance(finding.summary, str)


@given(st.binary(max_size=2000) | st.text(max_size=500).map(lambda t: t.encode("utf-16-le")))
def test_explain_never_raises_on_any_bytes(data):
    explain_stream(io.BytesIO(data), "noise.log")


ARCHIVE = {"name": "val2017.zip", "path": "zips/val2017.zip", "part": "val", "size": 1, "sha256": "a" * 64}


@given(st.dictionaries(st.sampled_from(sorted(ARCHIVE) + ["md5", "split", "images", "extract_to", "x"]),
                       JSONISH | st.sampled_from(["12abc", "../..", "/etc", "a/b", "", "0", "-1", "labels"])),
       st.sampled_from(["2017", "20 17", "../x", 2017, None]), JSONISH)
def test_manifest_raises_only_usage_errors(overrides, year, holdout):
    from mlu_doctor.download.manifest import parse_manifest

    data = {"official": "http://images.cocodataset.org/",
            "years": {year: {"archives": [{**ARCHIVE, **overrides}], "holdout": holdout}}}
    try:
        parse_manifest(data, "m.yaml")
    except UsageError as exc:
        assert "\n" not in str(exc)


@given(st.binary(max_size=500) | JSONISH.map(lambda v: json.dumps({"entries": v, "targets": v}).encode())
       | st.integers(1, 50_000).map(lambda n: b'{"entries": ' + b"[" * n + b"]" * n + b"}"))
def test_journal_raises_only_value_errors(data):
    from mlu_doctor.recipes.journal import parse_journal

    try:
        parse_journal(data)
    except ValueError as exc:
        assert "\n" not in str(exc)


FACT_KEYS = ["schema_version", "device", "driver", "toolkit", "framework", "env", "project", "datasets", "container",
             "errors", "cards", "proc", "pci", "cnmon", "version", "name", "path"]


@st.composite
def facts_documents(draw: st.DrawFn) -> bytes:
    """Facts-shaped JSON: the known section names with values of any type, envelopes, noise."""
    doc = {k: draw(JSONISH) for k in draw(st.lists(st.sampled_from(FACT_KEYS), max_size=6, unique=True))}
    doc.setdefault("schema_version", draw(st.sampled_from([1, "1", 1.0, True, 0, -1, 2**70, None, [1]])))
    if draw(st.booleans()):
        doc = {"schema_version": 1, "facts": doc}
    return json.dumps(doc).encode()


@given(facts_documents() | st.binary(max_size=300))
def test_facts_files_raise_only_usage_errors(data):
    fd, path = tempfile.mkstemp(suffix=".json")
    try:
        os.write(fd, data)
        os.close(fd)
        load_facts(path)
    except UsageError as exc:
        assert "\n" not in str(exc) and "Traceback" not in str(exc)
    finally:
        os.unlink(path)


@given(st.one_of(configs(), signature_files(), st.text(max_size=300),
                 st.integers(2, 12).map(lambda n: "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n"
                                                          for i in range(1, n)).replace("*l0", "x"))))
def test_safe_yaml_raises_only_input_problems(text):
    try:
        load_yaml(text, "f.yaml")
    except InputProblem as exc:
        assert str(exc).startswith("f.yaml") and "\n" not in str(exc)


@given(st.binary(max_size=300) | JSONISH.map(lambda v: json.dumps(v).encode()))
def test_safe_json_raises_only_input_problems(data):
    with contextlib.suppress(InputProblem):
        load_json(data)
