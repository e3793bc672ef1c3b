"""The hostile cases, generated: every input site of every command crossed with every hostile input that fits it.

Sites are where a command takes something from outside: a file option (--config, --facts, --signatures,
--manifest, -o), a file it finds (./.mlu-doctor.yaml, $MLU_DOCTOR_CONFIG, ~/.bashrc, a fix journal), a tool it
runs (cnmon, --python), an option value. Each generator below yields `Case`s; `ALL` is every one of them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

from tests.hostile import files
from tests.hostile.harness import Case, Run

ROOT = "{box}/root"
IN = "in/input"  # where a hostile file is put, relative to the box


def empty_root(box: Path) -> None:
    for d in ("sys/bus/pci/devices", "proc", "dev", "usr/local"):
        (box / "root" / d).mkdir(parents=True, exist_ok=True)


def with_root(build):
    def setup(box: Path) -> None:
        empty_root(box)
        if build:
            build(box)
    return setup


# --- files given by path -------------------------------------------------------------------------------

# site -> (argv with {path}, env with {path}, exit code, extra words, targets)
CONFIG_SITES = {
    "check--config": (["check", "--root", ROOT, "--only", "env.", "--config", "{path}"], {}),
    "facts--config": (["facts", "--root", ROOT, "--section", "env", "--config", "{path}"], {}),
    "report--config": (["report", "--root", ROOT, "-o", "{box}/out/r.md", "--config", "{path}"], {}),
    "fix--config": (["fix", "--root", ROOT, "--dry-run", "--config", "{path}"], {}),
    "npd--config": (["npd", "--root", ROOT, "--only", "env.", "--config", "{path}"], {}),
    "fetch-coco--config": (["fetch-coco", "--year", "2017", "--dest", "{box}/out/coco", "--dry-run", "--config",
                            "{path}"], {}),
    "check-MLU_DOCTOR_CONFIG": (["check", "--root", ROOT, "--only", "env."], {"MLU_DOCTOR_CONFIG": "{path}"}),
    "check-cwd-config": (["check", "--root", ROOT, "--only", "env."], {}),
}
CONFIG_WORDS = {"missing": ("does not exist",), "link-loop": ("Too many levels of symbolic links",),
                "garbage": ("not UTF-8",)}


def _site_path(site: str) -> str:
    return "work/.mlu-doctor.yaml" if site == "check-cwd-config" else IN


def config_file_cases() -> Iterator[Case]:
    """Every config site x every kind of file that is not a usable config."""
    for site, (argv, env) in CONFIG_SITES.items():
        rel = _site_path(site)
        for kind, (build, klass, words) in files.FILE_KINDS.items():
            if site == "check-cwd-config" and kind == "missing":
                continue  # no ./.mlu-doctor.yaml is the ordinary case
            path = f"{{box}}/{rel}"
            code = 2
            words = words + CONFIG_WORDS.get(kind, ())
            if site == "npd--config":  # NPD's protocol: 2 is "unknown", the reason on stderr
                words = ("could not run",) + words
            yield Case(f"config-file/{kind}/{site}", klass, tuple(a.replace("{path}", path) for a in argv), code,
                       says=words, setup=with_root(lambda box, b=build, r=rel: b(box, r)),
                       env={k: v.replace("{path}", path) for k, v in env.items()}, lines=1,
                       targets=("out",))


YAML_CONFIG_SITES = ("check--config", "fetch-coco--config", "fix--config", "check-cwd-config")


def config_yaml_cases() -> Iterator[Case]:
    """YAML that attacks the parser, in the config, where the config is read."""
    for site in YAML_CONFIG_SITES:
        argv, env = CONFIG_SITES[site]
        rel = _site_path(site)
        path = f"{{box}}/{rel}"
        for name, (text, klass, words) in files.YAML_ATTACKS.items():
            yield Case(f"config-yaml/{name}/{site}", klass, tuple(a.replace("{path}", path) for a in argv), 2,
                       says=words, setup=with_root(lambda box, t=text, r=rel: files.text(t.format(box=box))(box, r)),
                       env={k: v.replace("{path}", path) for k, v in env.items()}, targets=("out",), limit=10)
        yield Case(f"config-yaml/20MB/{site}", "hang", tuple(a.replace("{path}", path) for a in argv), 2,
                   says=("larger than 1 MiB",), setup=with_root(lambda box, r=rel: files.big_yaml(box, r)),
                   env={k: v.replace("{path}", path) for k, v in env.items()}, targets=("out",), limit=10)


CONFIG_VALUES = {
    "timeout-string": ("timeouts:\n  probe: soon\n", ("timeouts.probe must be a number",)),
    "timeout-nan": ("timeouts:\n  probe: .nan\n", ("timeouts.probe",)),
    "timeout-huge": ("timeouts:\n  probe: 1e400\n", ("timeouts.probe",)),
    "unknown-section": ("colour: red\n", ("unknown key 'colour'",)),
    "list-at-top": ("- a\n- b\n", ("must be a mapping",)),
    "acknowledge-no-reason": ("acknowledge:\n  - id: env.torch-home\n", ("needs 'id' and 'reason'",)),
    "mirrors-mapping": ("coco:\n  mirrors: {a: 1}\n", ("coco.mirrors must be a list",)),
    "manifest-list": ("coco:\n  manifest: [a]\n", ("coco.manifest must be a string",)),
}


def config_value_cases() -> Iterator[Case]:
    for name, (text, words) in CONFIG_VALUES.items():
        for site in ("check--config", "fetch-coco--config"):
            argv, _env = CONFIG_SITES[site]
            yield Case(f"config-value/{name}/{site}", "exit-code",
                       tuple(a.replace("{path}", "{box}/" + IN) for a in argv), 2, says=("input:",) + words,
                       setup=with_root(lambda box, t=text: files.text(t)(box, IN)), targets=("out",))


FACTS_SITES = {
    "check--facts": ["check", "--facts", "{path}"],
    "report--facts": ["report", "--facts", "{path}", "-o", "{box}/out/r.md"],
}
FACTS_WORDS = {"missing": ("No such file",), "link-loop": ("Too many levels",), "garbage": ("not a JSON facts file",),
               "not-utf8": ("not a JSON facts file",)}
FACTS_DOCS = {
    "schema-string": ('{"schema_version": "1"}', "message", ("schema_version must be a whole number", '"1"')),
    "schema-bool": ('{"schema_version": true}', "message", ("schema_version must be a whole number",)),
    "schema-float": ('{"schema_version": 1.5}', "message", ("schema_version must be a whole number",)),
    "schema-newer": ('{"schema_version": 99}', "exit-code", ("upgrade mlu-doctor",)),
    "no-schema": ('{"device": {}}', "exit-code", ("no schema_version",)),
    "deep": (files.DEEP_JSON, "hang", ("deeper than 64 levels",)),
    "wrong-section": ('{"schema_version": 1, "device": [1, 2]}', "crash", ("invalid facts",)),
    "wrong-leaf": ('{"schema_version": 1, "driver": {"cnmon": {"cards": "many"}}}', "crash", ("invalid facts",)),
    "huge-int": ('{"schema_version": ' + "9" * 5000 + "}", "crash", ("not a JSON facts file",)),
    "nan": ('{"schema_version": NaN}', "crash", ("schema_version",)),
    "list": ("[1, 2, 3]", "crash", ("no schema_version",)),
    "envelope-bad": ('{"facts": {"schema_version": []}}', "crash", ("schema_version",)),
}


def facts_cases() -> Iterator[Case]:
    for site, argv in FACTS_SITES.items():
        path = "{box}/" + IN
        for kind, (build, klass, words) in files.FILE_KINDS.items():
            yield Case(f"facts-file/{kind}/{site}", klass, tuple(a.replace("{path}", path) for a in argv), 2,
                       says=words + FACTS_WORDS.get(kind, ()), setup=lambda box, b=build: b(box, IN),
                       targets=("out",))
        yield Case(f"facts-file/70MB/{site}", "hang", tuple(a.replace("{path}", path) for a in argv), 2,
                   says=("larger than 64 MiB",), setup=lambda box: files.big_json(box, IN), targets=("out",))
        for name, (doc, klass, words) in FACTS_DOCS.items():
            yield Case(f"facts-doc/{name}/{site}", klass, tuple(a.replace("{path}", path) for a in argv), 2,
                       says=words, setup=lambda box, d=doc: files.text(d)(box, IN), targets=("out",))


SIGNATURE = "- id: log.my-error\n  keywords: [boom]\n  patterns: ['(?P<what>boom)']\n  title: t\n  cause: c\n  remedy: r\n"
SIGNATURE_ATTACKS = {
    "title-index": (SIGNATURE.replace("title: t", "title: '{0}'"), ("field {0} is not a capture name",)),
    "title-attr": (SIGNATURE.replace("title: t", "title: '{what.__class__}'"), ("not a capture name",)),
    "title-format-spec": (SIGNATURE.replace("title: t", "title: '{what:>999999999}'"), ("not a capture name",)),
    "bad-regex": (SIGNATURE.replace("'(?P<what>boom)'", "'(unclosed'"), ("bad pattern",)),
    "empty-keyword": (SIGNATURE.replace("[boom]", "['  ']"), ("empty keyword",)),
    "not-a-list": ("id: log.x\n", ("expected a list of signatures",)),
    "entry-not-mapping": ("- 3\n", ("each signature is a mapping",)),
    "duplicate-ids": (SIGNATURE + SIGNATURE, ("duplicate ids",)),
    "context-lines-huge": (SIGNATURE + "  context_lines: 99999999\n", ("context_lines",)),
    "next-wrong": (SIGNATURE + "  next: [{check: [1]}]\n", ("each 'next' entry",)),
}


def signature_cases() -> Iterator[Case]:
    argv = ("explain", "--signatures", "{box}/" + IN, "{box}/in/a.log")

    def log(box: Path) -> None:
        files.text("boom\n")(box, "in/a.log")

    for kind, (build, klass, words) in files.FILE_KINDS.items():
        extra = {"missing": ("No such file",), "link-loop": ("Too many levels",)}.get(kind, ())
        yield Case(f"signatures-file/{kind}", klass, argv, 2, says=words + extra,
                   setup=lambda box, b=build: (log(box), b(box, IN)))
    for name, (text, klass, words) in files.YAML_ATTACKS.items():
        yield Case(f"signatures-yaml/{name}", klass, argv, 2, says=words,
                   setup=lambda box, t=text: (log(box), files.text(t.format(box=box))(box, IN)), limit=10)
    yield Case("signatures-yaml/20MB", "hang", argv, 2, says=("larger than 16 MiB",),
               setup=lambda box: (log(box), files.text("#" * (17 << 20))(box, IN)))
    for name, (text, words) in SIGNATURE_ATTACKS.items():
        yield Case(f"signatures-entry/{name}", "crash", argv, 2, says=words,
                   setup=lambda box, t=text: (log(box), files.text(t)(box, IN)))


MANIFEST = ("official: http://127.0.0.1:9/\nyears:\n  '2017':\n    archives:\n      - {{name: val2017.zip, path: "
            "zips/val2017.zip, part: val, size: {size}, sha256: {sha}, extract_to: {to}}}\n")
MANIFEST_ATTACKS = {
    "size-12abc": (MANIFEST.format(size="12abc", sha="a" * 64, to="."), ("size '12abc'", "whole number")),
    "size-negative": (MANIFEST.format(size="-1", sha="a" * 64, to="."), ("size -1",)),
    "size-float": (MANIFEST.format(size="1.5", sha="a" * 64, to="."), ("size 1.5",)),
    "sha-short": (MANIFEST.format(size="1", sha="abc", to="."), ("malformed sha256",)),
    "extract-to-parent": (MANIFEST.format(size="1", sha="a" * 64, to="../../etc"), ("leads outside",)),
    "extract-to-absolute": (MANIFEST.format(size="1", sha="a" * 64, to="/etc"), ("leads outside",)),
    "name-traversal": (MANIFEST.format(size="1", sha="a" * 64, to=".").replace("name: val2017.zip", "name: ../x.zip"),
                       ("plain file name",)),
    "no-years": ("official: x\n", ("needs a 'years' mapping",)),
    "year-missing": (MANIFEST.format(size="1", sha="a" * 64, to=".").replace("'2017'", "'2014'"),
                     ("has no COCO year 2017",)),
    "archives-not-list": ("years:\n  '2017':\n    archives: 3\n", ("needs an 'archives' list",)),
}


def manifest_cases() -> Iterator[Case]:
    argv = ("fetch-coco", "--year", "2017", "--parts", "val", "--dest", "{box}/out/coco", "--dry-run", "--manifest",
            "{box}/" + IN)
    for kind, (build, klass, words) in files.FILE_KINDS.items():
        extra = {"missing": ("No such file",), "link-loop": ("Too many levels",)}.get(kind, ())
        yield Case(f"manifest-file/{kind}", klass, argv, 2, says=words + extra, setup=lambda box, b=build: b(box, IN),
                   targets=("out",))
    for name, (text, klass, words) in files.YAML_ATTACKS.items():
        yield Case(f"manifest-yaml/{name}", klass, argv, 2, says=words,
                   setup=lambda box, t=text: files.text(t.format(box=box))(box, IN), targets=("out",), limit=10)
    for name, (text, words) in MANIFEST_ATTACKS.items():
        klass = "outside-write" if "extract" in name or "traversal" in name else "exit-code"
        yield Case(f"manifest-entry/{name}", klass, argv, 2, says=words,
                   setup=lambda box, t=text: files.text(t)(box, IN), targets=("out",))


def explain_log_cases() -> Iterator[Case]:
    """explain FILE: a log may be a pipe (read like stdin), never a device, folder or socket."""
    argv = ("explain", "{box}/" + IN)
    expect = {"fifo": None, "dev-zero": 2, "folder": 2, "socket": 2, "link-loop": 2, "missing": 2, "garbage": 0,
              "not-utf8": 0}
    for kind, (build, klass, words) in files.FILE_KINDS.items():
        code = expect[kind]
        if code is None:
            continue  # a FIFO with no writer waits for one, like stdin: see test_interrupt.py
        extra = {"missing": ("No such file",), "link-loop": ("Too many levels",), "dev-zero": ("use -",)}.get(kind, ())
        yield Case(f"explain-log/{kind}", klass, argv, code, says=words + extra if code else (),
                   setup=lambda box, b=build: b(box, IN), lines=1 if code else 0)
    logs = {
        "one-line-64MiB": (b"x" * (64 << 20) + b"\nThe device you run is MLU290, but the platform in kernel is MLU270!\n", 1),
        "nul-bytes": (b"\0" * (8 << 20), 0),
        "utf16-no-bom": ("cndev init failed: CNDEV_ERROR_NO_DRIVER.\n".encode("utf-16-le"), 1),
        "gb18030": ("错误 No module named 'utils'\n".encode("gb18030"), 1),
        "cr-only": (b"\r".join([b"ModuleNotFoundError: No module named 'utils'"] * 50_000), 1),
    }
    for name, (data, code) in logs.items():
        yield Case(f"explain-log/{name}", "hang", argv, code, setup=lambda box, d=data: files.text(d)(box, IN),
                   lines=0, limit=30)


# --- tools the doctor runs -----------------------------------------------------------------------------

TOOL_SITES = {
    "check": ["check", "--root", ROOT, "--only", "device.,driver.", "--timeout", "2", "--format", "json"],
    "facts": ["facts", "--root", ROOT, "--section", "driver", "--timeout", "2"],
    "npd": ["npd", "--root", ROOT, "--only", "driver.", "--timeout", "2"],
    "report": ["report", "--root", ROOT, "--timeout", "2", "-o", "{box}/out/r.md"],
    "fix": ["fix", "--root", ROOT, "--timeout", "2", "--dry-run"],
}


HUNG = ("setsid-child-and-hang", "sleeps", "closes-pipes-and-sleeps", "ignores-sigterm")


def _cnmon_verdict(name: str):
    """What `check --format json` must say: the table printed before the exit was read (the child holding
    stdout did not cost it); a hung cnmon is named as timed out; noise is no card."""
    def check(box: Path, run) -> None:
        doc = json.loads(run.stdout)
        found = {f["id"]: f for f in doc["findings"]}
        if name == "setsid-child-then-exit":
            assert found["device.present"]["status"] == "ok" and "MLU220-M2" in found["device.present"]["summary"]
        elif name in HUNG:
            assert "timed out after 2 s" in doc["facts"]["errors"].get("driver", ""), doc["facts"]["errors"]
        else:
            assert found["device.present"]["status"] == "fail"
    return check


def cnmon_cases() -> Iterator[Case]:
    """A fake cnmon that hangs, leaves a `setsid` child holding its stdout, floods, or prints noise."""
    for name, (body, klass) in files.TOOL_ATTACKS.items():
        for site, argv in TOOL_SITES.items():
            yield Case(f"cnmon/{name}/{site}", klass, tuple(argv), (0, 1, 2) if site == "npd" else (0, 1), lines=None,
                       setup=with_root(lambda box, b=body: files.fake_tool(box, "cnmon", b)), targets=("out",),
                       limit=12, check=_cnmon_verdict(name) if site == "check" else None)


def python_cases() -> Iterator[Case]:
    """--python naming an interpreter that hangs, leaves children, floods or answers garbage."""
    for name, (body, klass) in files.TOOL_ATTACKS.items():
        for site in ("check", "facts"):
            argv = (["check", "--only", "framework.", "--format", "json"] if site == "check" else ["facts", "--section",
                    "framework"]) + ["--root", ROOT, "--python", "{box}/bin/python3", "--timeout", "2"]
            if name in HUNG:  # a hung --python is recorded as a finding, as any probe that times out
                yield Case(f"python/{name}/{site}", klass, tuple(argv), (0, 1), lines=None,
                           setup=with_root(lambda box, b=body: files.fake_tool(box, "python3", b)), limit=12)
            else:  # one that answers, but not like Python, is bad input: one line, exit 2
                yield Case(f"python/{name}/{site}", klass, tuple(argv), 2, says=("is not a Python interpreter",),
                           setup=with_root(lambda box, b=body: files.fake_tool(box, "python3", b)), limit=12)


# --- option values ---------------------------------------------------------------------------------------

OPTION_VALUES = [
    # (id, argv, words)
    ("check--timeout-nan", ["check", "--root", ROOT, "--timeout", "nan"], ("--timeout",)),
    ("check--timeout-inf", ["check", "--root", ROOT, "--timeout", "inf"], ("--timeout",)),
    ("check--timeout-negative", ["check", "--root", ROOT, "--timeout", "-1"], ("--timeout",)),
    ("check--timeout-zero", ["check", "--root", ROOT, "--timeout", "0"], ("--timeout",)),
    ("check--timeout-word", ["check", "--root", ROOT, "--timeout", "soon"], ("--timeout",)),
    ("facts--timeout-nan", ["facts", "--root", ROOT, "--timeout", "nan"], ("--timeout",)),
    ("report--timeout-nan", ["report", "--root", ROOT, "--timeout", "nan", "-o", "{box}/out/r.md"], ("--timeout",)),
    ("fix--timeout-nan", ["fix", "--root", ROOT, "--timeout", "nan"], ("--timeout",)),
    ("check--runtime-timeout-nan", ["check", "--root", ROOT, "--runtime", "--runtime-timeout", "nan"], ("--runtime-timeout",)),
    ("check--root-file", ["check", "--root", "{box}/in/a.log"], ("--root",)),
    ("check--root-missing", ["check", "--root", "{box}/nowhere"], ("--root",)),
    ("check--format", ["check", "--root", ROOT, "--format", "yaml"], ("unknown format",)),
    ("check--fail-on", ["check", "--root", ROOT, "--fail-on", "error"], ("--fail-on",)),
    ("check--only-unknown", ["check", "--root", ROOT, "--only", "nonsense"], ("--only nonsense",)),
    ("check--python-folder", ["check", "--root", ROOT, "--only", "framework.", "--python", "{box}/in"], ("--python",)),
    ("check--container-empty", ["check", "--root", ROOT, "--container", ""], ("--container",)),
    ("report--output-fifo", ["report", "--root", ROOT, "-o", "{box}/in/fifo"], ("not a regular file",)),
    ("fetch-coco--connections", ["fetch-coco", "--year", "2017", "--dest", "{box}/out/c", "--connections", "99",
                                 "--dry-run"], ("--connections",)),
    ("fetch-coco--min-speed-nan", ["fetch-coco", "--year", "2017", "--dest", "{box}/out/c", "--min-speed", "nan",
                                   "--dry-run"], ("--min-speed",)),
    ("fetch-coco--timeout-inf", ["fetch-coco", "--year", "2017", "--dest", "{box}/out/c", "--timeout", "inf",
                                 "--dry-run"], ("--timeout",)),
    ("fetch-coco--year", ["fetch-coco", "--year", "1999", "--dest", "{box}/out/c", "--dry-run"], ("1999",)),
    ("fetch-coco--parts", ["fetch-coco", "--year", "2017", "--dest", "{box}/out/c", "--parts", "everything",
                           "--dry-run"], ("everything",)),
    ("fetch-coco--layout", ["fetch-coco", "--year", "2017", "--dest", "{box}/out/c", "--layout", "yolov9",
                            "--dry-run"], ("yolov9",)),
    ("fetch-coco--mirror-ftp", ["fetch-coco", "--year", "2017", "--dest", "{box}/out/c", "--mirror", "ftp://x/",
                                "--dry-run"], ("--mirror",)),
    ("fetch-coco--dest-file", ["fetch-coco", "--year", "2017", "--dest", "{box}/in/a.log", "--dry-run"], ("--dest",)),
    ("fetch-coco--dest-fifo", ["fetch-coco", "--year", "2017", "--dest", "{box}/in/fifo", "--dry-run"], ("--dest",)),
    ("fetch-coco--from-local-fifo", ["fetch-coco", "--year", "2017", "--dest", "{box}/out/c", "--from-local",
                                     "{box}/in/fifo", "--dry-run"], ("--from-local",)),
    ("explain--format", ["explain", "--format", "xml", "{box}/in/a.log"], ("unknown format",)),
    ("inject--batch-size", ["inject", "--container", "x", "--batch-size", "1Q", "{box}/in", "/data"], ("--batch-size",)),
    ("inject--owner", ["inject", "--container", "x", "--owner", "root", "{box}/in", "/data"], ("--owner",)),
    ("inject--verify", ["inject", "--container", "x", "--verify", "md5", "{box}/in", "/data"], ("--verify",)),
    ("inject--via", ["inject", "--container", "x", "--via", "scp", "{box}/in", "/data"], ("--via",)),
    ("undo-unknown-id", ["undo", "no-such-fix"], ("no-such-fix",)),
    ("undo--format", ["undo", "--format", "xml"], ("unknown format",)),
    ("undo-unknown-id-json", ["undo", "no-such-fix", "--format", "json"], ("no-such-fix",)),
    ("list--format", ["list", "--format", "xml"], ("xml",)),
    ("unknown-command", ["frobnicate"], ("No such command",)),
    ("unknown-option", ["check", "--frobnicate"], ("No such option",)),
]


def option_cases() -> Iterator[Case]:
    def setup(box: Path) -> None:
        empty_root(box)
        files.text("boom\n")(box, "in/a.log")
        files.fifo(box, "in/fifo")

    for name, argv, words in OPTION_VALUES:
        yield Case(f"option/{name}", "exit-code", tuple(argv), 2, says=words, setup=setup, targets=("out",))


# --- fix and undo ----------------------------------------------------------------------------------------

RC_KINDS = {
    "fifo": (files.fifo, ("not a regular file",)),
    "dev-zero": (files.dev_zero, ("leads outside HOME",)),
    "folder": (files.folder, ("is a directory",)),
    "socket": (files.unix_socket, ("not a regular file",)),
    "link-loop": (files.loop, ()),
    "link-outside": (lambda box, rel: os.symlink(box / "in" / "shared-bashrc", box / rel), ("leads outside HOME",)),
    "over-1MiB": (files.text("# x\n" * 300_000), ("1 MiB",)),
}


def fix_cases() -> Iterator[Case]:
    """fix env.torch-home --yes with a start-up file it must not edit: refused, exit 4, nothing changed."""
    argv = ("fix", "env.torch-home", "--yes")
    for kind, (build, words) in RC_KINDS.items():
        def setup(box: Path, b=build) -> None:
            files.text("# shared\n")(box, "in/shared-bashrc")
            b(box, "home/.bashrc")
        yield Case(f"fix-bashrc/{kind}", "outside-write", argv, 4, says=words, setup=setup,
                   env={"TORCH_HOME": "<unset>"})
    for kind in ("fifo", "dev-zero", "garbage"):
        build = {"fifo": files.fifo, "dev-zero": files.dev_zero, "garbage": files.garbage}[kind]
        yield Case(f"fix-state-home/{kind}", "outside-write", argv, 4, says=("cannot keep a fix journal",),
                   setup=lambda box, b=build: (files.text("alias ll='ls -l'\n")(box, "home/.bashrc"), b(box, "in/state")),
                   env={"XDG_STATE_HOME": "{box}/in/state", "TORCH_HOME": "<unset>"})


def _applied(box: Path) -> Path:
    """Apply the torch-home fix in the box (a real run); returns its journal folder."""
    from tests.hostile.harness import box_env, run_cli

    files.text("alias ll='ls -l'\n")(box, "home/.bashrc")
    run = run_cli(["fix", "env.torch-home", "--yes"], box_env(box, {"TORCH_HOME": "<unset>"}), box / "work", 60)
    assert run.code == 0, run.stdout + run.stderr
    (journal,) = (box / "state/mlu-doctor/journal").iterdir()
    return journal


def _damage(edit):
    def setup(box: Path) -> None:
        journal = _applied(box)
        target = journal / "journal.json"
        doc = json.loads(target.read_text())
        target.unlink()
        edit(box, target, doc)
    return setup


JOURNAL_ATTACKS = {
    "fifo": (lambda box, p, d: os.mkfifo(p), ("not a regular file",)),
    "dev-zero": (lambda box, p, d: os.symlink("/dev/zero", p), ()),
    "folder": (lambda box, p, d: p.mkdir(), ()),
    "deep": (lambda box, p, d: p.write_text('{"entries": ' + files.DEEP_JSON + "}"), ("deeper than 64 levels",)),
    "20MB": (lambda box, p, d: p.write_text(json.dumps({**d, "pad": "x" * (20 << 20)})), ("larger than 16 MiB",)),
    "garbage": (lambda box, p, d: files.garbage(box, str(p.relative_to(box))), ()),
    "path-outside": (lambda box, p, d: p.write_text(json.dumps({**d, "entries": [
        {**e, "path": str(box / "in" / "victim")} for e in d["entries"]]})), ("outside the targets",)),
    "blob-traversal": (lambda box, p, d: p.write_text(json.dumps({**d, "entries": [
        {**e, "before": "../../../../in/victim"} for e in d["entries"]]})), ("sha256 blob name",)),
    "entries-wrong-type": (lambda box, p, d: p.write_text(json.dumps({**d, "entries": [1, "x", None]})), ()),
}


def _no_stdout(box: Path, run: Run) -> None:
    assert run.stdout == "", run.stdout


def _lists_the_damage(box: Path, run: Run) -> None:
    (journal,) = json.loads(run.stdout)["journals"]  # the envelope names the journal it could not read
    assert journal["files"] == [] and "cannot be used" in journal["error"], journal


def undo_cases() -> Iterator[Case]:
    for name, (edit, words) in JOURNAL_ATTACKS.items():
        def setup(box: Path, e=edit) -> None:
            files.text("keep me\n")(box, "in/victim")
            _damage(e)(box)

        yield Case(f"undo-journal/{name}", "outside-write", ("undo",), 4, says=("nothing was changed",) + words,
                   setup=setup, limit=20)
        yield Case(f"undo-journal-json/{name}", "outside-write", ("undo", "--format", "json"), 4,
                   says=("nothing was changed",) + words, setup=setup, limit=20, check=_no_stdout)
        yield Case(f"undo-list-json/{name}", "crash", ("undo", "--list", "--format", "json"), 0, setup=setup,
                   limit=20, lines=0, check=_lists_the_damage)


PEER_WORDS = {
    "silent": "stalled", "trickle": "too slow", "garbage": "not an HTTP answer", "headers": "more than 100 headers",
    "slowhead": "no complete answer", "close": "not a zip file", "html": "HTML/error page", "error": "HTTP 500",
    "redirect": "more than 5 redirects", "wrong": "not a zip file", "reset": "connection broken",
}


def fetch_peer_cases() -> Iterator[Case]:
    """fetch-coco against a mirror that misbehaves: exit 4, one line naming why, within --timeout bounds."""
    from tests.hostile import peers

    for kind in peers.KINDS:
        argv = ("fetch-coco", "--year", "2017", "--parts", "val", "--dest", "{box}/out/coco", "--manifest",
                "{box}/in/m.yaml", "--mirror", "{peer}/" + kind + "/", "--timeout", "2", "--connections", "1")
        yield Case(f"fetch-coco-peer/{kind}", "hang", argv, 4, says=("could not download val2017.zip", PEER_WORDS[kind]),
                   setup=lambda box: files.text(peers.MANIFEST)(box, "in/m.yaml"), targets=("out",), limit=16)


DOCKER_HOSTS = {"no-socket": "unix://{box}/in/none.sock", "not-listening": "unix://{box}/in/dead.sock",
                "refused-tcp": "tcp://127.0.0.1:1", "silent-http": "tcp://{peerhost}/silent", "http-500": "tcp://{peerhost}/error"}


def docker_cases() -> Iterator[Case]:
    """--container with a Docker daemon that is absent, dead or silent: exit 4, one line, bounded by timeouts.docker."""
    sites = {"check": ["check", "--root", ROOT, "--only", "container."], "facts": ["facts", "--root", ROOT],
             "report": ["report", "--root", ROOT, "-o", "{box}/out/r.md"], "fix": ["fix", "--root", ROOT, "--dry-run"]}
    for name, host in DOCKER_HOSTS.items():
        for site, argv in sites.items():
            def setup(box: Path) -> None:
                empty_root(box)
                files.unix_socket(box, "in/dead.sock")
                files.text("timeouts:\n  docker: 3\n")(box, "work/.mlu-doctor.yaml")
            yield Case(f"docker/{name}/{site}", "hang", (*argv, "--container", "yolo"), 4, says=("Docker",),
                       setup=setup, env={"DOCKER_HOST": host},
                       targets=("out",), limit=15)


def _tarball(members: dict[str, bytes | str], links: dict[str, str] | None = None) -> bytes:
    """A .tar.gz with regular `members` and symlink `links` (name -> target)."""
    import gzip
    import io
    import tarfile

    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb") as gz, tarfile.open(fileobj=gz, mode="w") as tar:
        for name, data in members.items():
            blob = data.encode() if isinstance(data, str) else data
            info = tarfile.TarInfo(name)
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type, info.linkname = tarfile.SYMTYPE, target
            tar.addfile(info)
    return out.getvalue()


def _gzip_bomb() -> bytes:
    """A gzip of 1 GiB of zeros (1 MB on disk), shaped like a capture tarball."""
    import zlib

    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1 << 20)
    return b"".join([*(comp.compress(block) for _ in range(1024)), comp.flush()])


CAPTURES = {
    "gzip-bomb": (_gzip_bomb, ("capture",)),
    "member-traversal": (lambda: _tarball({"capture.json": "{}", "../../etc/passwd": "x"}), ()),
    "member-symlink": (lambda: _tarball({"capture.json": "{}"}, {"host/files/proc/modules": "/etc/shadow"}), ()),
    "no-manifest": (lambda: _tarball({"host/files/x": "x"}), ("capture.json",)),
    "deep-manifest": (lambda: _tarball({"capture.json": files.DEEP_JSON}), ("too deeply",)),
    "manifest-not-json": (lambda: _tarball({"capture.json": "\xff\xfe"}), ()),
    "json-deep": (lambda: files.DEEP_JSON.encode(), ("too deeply",)),
    "json-list": (lambda: b"[1, 2]", ()),
    "truncated-gzip": (lambda: _tarball({"capture.json": "{}" * 1000})[:40], ()),
}


def capture_cases() -> Iterator[Case]:
    """check --capture FILE: files that are not captures, and tarballs that attack the reader (nothing is
    ever extracted to disk: the box must not change)."""
    argv = ("check", "--capture", "{box}/" + IN)
    for kind, (build, klass, words) in files.FILE_KINDS.items():
        extra = {"missing": ("No such file",), "link-loop": ("Too many levels",)}.get(kind, ())
        words = ("not a capture",) if kind == "not-utf8" else words
        yield Case(f"capture-file/{kind}", klass, argv, 2, says=words + extra, setup=lambda box, b=build: b(box, IN))
    for name, (make, words) in CAPTURES.items():
        klass = "outside-write" if "traversal" in name or "symlink" in name else "hang" if "bomb" in name else "crash"
        yield Case(f"capture-tarball/{name}", klass, argv, 2, says=words,
                   setup=lambda box, m=make: files.text(m())(box, IN), limit=30)
    for kind in ("fifo", "folder"):
        build = files.FILE_KINDS[kind][0]
        yield Case(f"capture-output/{kind}", "outside-write", ("capture", "--root", ROOT, "-o", "{box}/" + IN), 2,
                   says=("not a regular file",), setup=with_root(lambda box, b=build: b(box, IN)))
        yield Case(f"probe-script-output/{kind}", "outside-write", ("probe-script", "-o", "{box}/" + IN), 2,
                   says=("not a regular file",), setup=lambda box, b=build: b(box, IN))


ENV_VALUES = {
    # variable -> hostile values ({box} filled); the probes read them on the host (no --root: they are live)
    "TORCH_HOME": ["{box}/in/fifo", "/dev/zero", "{box}/in/loop", "{box}/in/a.log", "x" * 5000, "a\nb", "/proc/self"],
    "COCO_DIR": ["{box}/in/fifo", "/dev/zero", "{box}/in/loop", "{box}/in/a.log", "/proc/self/fd"],
    "NEUWARE_HOME": ["{box}/in/fifo", "/dev/zero", "{box}/in/loop", "/proc/self/root"],
    "MLU_VISIBLE_DEVICES": ["9" * 5000, "-1,,a", "\x01\x02", "0" + ",0" * 10000],
}


def env_cases() -> Iterator[Case]:
    """Variables the checks read, pointing at FIFOs, devices, loops, /proc, or holding junk: findings, never a
    hang, a crash or a stray file (env.torch-home writes a test file where TORCH_HOME points and removes it)."""
    def setup(box: Path) -> None:
        files.text("boom\n")(box, "in/a.log")
        files.fifo(box, "in/fifo")
        files.loop(box, "in/loop")

    for var, values in ENV_VALUES.items():
        for i, value in enumerate(values):
            yield Case(f"env/{var}/{i}", "hang", ("check", "--only", "env.,dataset.,toolkit.", "--format", "json"),
                       (0, 1), lines=None, setup=setup, env={var: value}, limit=15)


PROJECT_FILES = {"data/coco.yaml": ("path: ../datasets/coco\ntrain: train2017.txt\n", files.ALIAS_BOMB),
                 "data/coco2014.data": ("train=../coco/trainvalno5k.txt\nvalid=../coco/5k.txt\n", "=" * 100_000)}


def project_cases() -> Iterator[Case]:
    """--project whose data files are FIFOs, devices, huge or junk: the dataset probe reads them bounded."""
    for rel, (_good, junk) in PROJECT_FILES.items():
        builders = {"fifo": files.fifo, "dev-zero": files.dev_zero, "folder": files.folder, "loop": files.loop,
                    "junk": files.text(junk), "20MB": files.text("train: x\n" * 2_500_000)}
        for kind, build in builders.items():
            yield Case(f"project/{rel.split('/')[-1]}/{kind}", "hang",
                       ("check", "--only", "dataset.,env.pythonpath", "--project", "{box}/in/project", "--format", "json"),
                       (0, 1), lines=None, setup=lambda box, b=build, r=rel: b(box, "in/project/" + r), limit=15)


def _victim(box: Path) -> None:
    files.text("precious\n")(box, "in/victim")


DEST_ATTACKS = {
    # name -> (path under DEST, builder, exit code, words)
    "part-symlink-out": ("downloads/val2017.zip.part", files.link_to("in/victim"), 4,
                         ("is a symbolic link, not a partial download",)),
    "part-fifo": ("downloads/val2017.zip.part", files.fifo, 4, ("is a FIFO",)),
    "part-folder": ("downloads/val2017.zip.part", files.folder, 4, ("is a directory",)),
    "state-tmp-symlink-out": ("downloads/val2017.zip.part.state.tmp", files.link_to("in/victim"), 4,
                              ("every mirror failed",)),
    "state-fifo": ("downloads/val2017.zip.part.state", files.fifo, 4, ("not a regular file but a FIFO",)),
    "downloads-fifo": ("downloads", files.fifo, 4, ("cannot use", "FIFO")),
    "downloads-file": ("downloads", files.text("x"), 4, ("cannot use", "it is a file")),
    "archive-fifo": ("downloads/val2017.zip", files.fifo, 4, ("every mirror failed",)),
    "archive-dev-zero": ("downloads/val2017.zip", files.dev_zero, 4, ("every mirror failed",)),
}


def fetch_dest_cases() -> Iterator[Case]:
    """fetch-coco into a DEST where someone left links, FIFOs or folders at the names it uses: one line, exit 4,
    nothing written outside DEST (in/victim is checked by the box snapshot)."""
    from tests.hostile import peers

    argv = ("fetch-coco", "--year", "2017", "--parts", "val", "--dest", "{box}/out/coco", "--manifest",
            "{box}/in/m.yaml", "--mirror", "http://127.0.0.1:1/", "--timeout", "2")
    for name, (rel, build, code, words) in DEST_ATTACKS.items():
        def setup(box: Path, r=rel, b=build) -> None:
            _victim(box)
            files.text(peers.MANIFEST)(box, "in/m.yaml")
            b(box, "out/coco/" + r)
        klass = "outside-write" if "symlink" in name else "hang"
        yield Case(f"fetch-coco-dest/{name}", klass, argv, code, says=words, setup=setup, targets=("out",))
    verify = ("fetch-coco", "--year", "2017", "--parts", "val", "--dest", "{box}/out/coco", "--manifest",
              "{box}/in/m.yaml", "--verify-only")
    for name, rel in {"marker-fifo": ".mlu-doctor/extracted/val2017.zip.json",
                      "verified-fifo": ".mlu-doctor/verified/val2017.zip.json",
                      "labels-record-fifo": ".mlu-doctor/labels-val2017.json"}.items():
        yield Case(f"fetch-coco-verify/{name}", "hang", verify, 1, lines=None,
                   setup=lambda box, r=rel: (files.text(peers.MANIFEST)(box, "in/m.yaml"),
                                             files.fifo(box, "out/coco/" + r)))


ALL: list[Case] = [
    *config_file_cases(), *config_yaml_cases(), *config_value_cases(), *facts_cases(), *signature_cases(),
    *manifest_cases(), *explain_log_cases(), *cnmon_cases(), *python_cases(), *option_cases(), *fix_cases(),
    *undo_cases(), *fetch_peer_cases(), *docker_cases(), *capture_cases(), *env_cases(), *project_cases(),
    *fetch_dest_cases(),
]
