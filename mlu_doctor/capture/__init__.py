"""Captures: what the probes read from a System, recorded so that the same probes can run on it later.

One format, two producers, one consumer:

- `mlu-doctor capture -o host.tar.gz` runs the real probes on a `RecordingSystem` (record.py), which
  passes every question to the inspected System and writes down the answer: the bytes of each file read,
  directory listings, stat answers, symlink targets, ELF byte ranges, `which` and every command's output.
- `python3 probe.py > facts.json` (a stdlib-only script, Python 3.6+, written by `mlu-doctor
  probe-script`; standalone.py) gathers the same raw inputs on a machine without mlu-doctor: it walks the
  places the probes look at and runs the commands they run.
- `mlu-doctor check --capture FILE` (either kind) runs the real probes again on a `ReplaySystem`
  (replay.py) that answers from the recording: parsers are never written twice.

The manifest (model.py) is JSON; in a tarball file contents are members under `<system>/files/<path>`,
in the probe script's output they are inline base64. archive.py reads and writes both, bounded.
"""
