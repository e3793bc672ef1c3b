"""`.mlu-doctor.yaml`: dataset roots, timeouts, mirrors, acknowledged findings. Errors name file and line."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import field
from typing import Any

from mlu_doctor.defaults import (
    CONFIG_FILE_LIMIT,
    DOCKER_TIMEOUT,
    PROBE_TIMEOUT,
    RUNTIME_TIMEOUT,
    TIMEOUT_MAX,
    timeout_allowed,
)
from mlu_doctor.errors import ConfigError
from mlu_doctor.i18n import _
from mlu_doctor.records import record as dataclass  # shared eq/repr: faster import

CONFIG_NAME = ".mlu-doctor.yaml"
ENV_VAR = "MLU_DOCTOR_CONFIG"
CONFIG_NODES = 50_000  # YAML values, aliases expanded: a real config has a few dozen


@dataclass(frozen=True)
class Config:
    """Validated configuration. `raw` keeps sections owned by later features."""

    path: str | None = None
    coco_roots: tuple[str, ...] = ()
    timeout: float = PROBE_TIMEOUT  # timeouts.probe (--timeout wins)
    docker_timeout: float = DOCKER_TIMEOUT  # timeouts.docker
    # timeouts.runtime (--runtime-timeout wins): the runtime probe's child
    runtime_timeout: float = RUNTIME_TIMEOUT
    runtime: bool = False  # set by `check --runtime` only: run the runtime probe
    acknowledged: dict[str, str] = field(default_factory=dict)  # finding id -> reason
    coco_mirrors: tuple[str, ...] = ()
    # coco.manifest: a manifest YAML for private mirrors (relative to the config file)
    coco_manifest: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)


def find_config(explicit: str | None, environ: dict[str, str] | None = None, cwd: str = ".") -> str | None:
    """--config, then $MLU_DOCTOR_CONFIG, then ./.mlu-doctor.yaml (each must be a regular file)."""
    env = os.environ if environ is None else environ
    if explicit:
        _must_be_a_file(explicit, "")
        return explicit
    if env.get(ENV_VAR):
        _must_be_a_file(env[ENV_VAR], f" (from ${ENV_VAR})")
        return env[ENV_VAR]
    local = os.path.join(cwd, CONFIG_NAME)
    if os.path.lexists(local):
        _must_be_a_file(local, "")
        return local
    return None


def _must_be_a_file(path: str, source: str) -> None:
    """ConfigError unless `path` is (a link to) a regular file: missing, a FIFO, a directory... each said."""
    import stat

    from mlu_doctor.system.files import file_kind

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise ConfigError(_("config file {path}{source} does not exist", path=path, source=source)) from None
    except (OSError, ValueError) as exc:  # a symlink loop, a file where a folder should be, a NUL in the name
        raise ConfigError(_("cannot read config file {path}{source}: {error}", path=path, source=source,
                            error=getattr(exc, "strerror", None) or exc)) from None
    if not stat.S_ISREG(mode):
        raise ConfigError(_("config file {path}{source} is {kind}, not a file", path=path, source=source,
                            kind=file_kind(mode)))


def load_config(path: str | None) -> Config:
    """Load and validate a config file; None gives the defaults. Bounded: see mlu_doctor.untrusted."""
    if path is None:
        return Config()
    # the bounded readers: only with a config file
    from mlu_doctor.untrusted import read_input, refusal

    try:
        text = read_input(path, CONFIG_FILE_LIMIT).decode("utf-8")
    except (OSError, ValueError) as exc:  # NotRegularFile, too large, not UTF-8
        raise ConfigError(refusal(path, exc, _("config file"))) from None
    return parse_config(text, path)


def parse_config(text: str, path: str = CONFIG_NAME) -> Config:
    """Parse config text; every problem is a ConfigError naming `path:line`."""
    from mlu_doctor.untrusted import InputProblem, compose_yaml

    try:
        node = compose_yaml(text, path, max_nodes=CONFIG_NODES)
    except InputProblem as exc:
        raise ConfigError(str(exc)) from None
    if node is None:
        return Config(path=path)
    return _validate(_Node(_scalar_keys(node, path), path))


def _scalar_keys(node: Any, path: str) -> Any:
    """Refuse mapping keys that are lists or mappings (`? [a, b]`) anywhere in the file; returns `node`."""
    from mlu_doctor.i18n import _

    stack = [node]
    while stack:
        item = stack.pop()
        if item.tag == "tag:yaml.org,2002:map":
            for key, value in item.value:
                if not isinstance(key.value, str):
                    line = key.start_mark.line + 1
                    raise ConfigError(_("{where}: a key must be a plain name, not a list or mapping",
                                        where=f"{path}:{line}"))
                stack.append(value)
        elif item.tag == "tag:yaml.org,2002:seq":
            stack.extend(item.value)
    return node


class _Node:
    """A YAML node with the file name, for errors that point at a line."""

    def __init__(self, node: Any, path: str) -> None:
        self.node, self.path = node, path

    def error(self, message: str) -> ConfigError:
        return ConfigError(f"{self.path}:{self.node.start_mark.line + 1}: {message}")

    def mapping(self, what: str) -> dict[str, _Node]:
        if self.node.tag != "tag:yaml.org,2002:map":
            raise self.error(_("{what} must be a mapping", what=what))
        return {k.value: _Node(v, self.path) for k, v in self.node.value}

    def seq(self, what: str) -> list[_Node]:
        if self.node.tag != "tag:yaml.org,2002:seq":
            raise self.error(_("{what} must be a list", what=what))
        return [_Node(v, self.path) for v in self.node.value]

    def string(self, what: str) -> str:
        if self.node.tag not in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
            raise self.error(_("{what} must be a string", what=what))
        return str(self.node.value)

    def seconds(self, what: str) -> float:
        try:
            value = float(self.node.value)
        except (TypeError, ValueError):
            raise self.error(_("{what} must be a number", what=what)) from None
        if not timeout_allowed(value):
            raise self.error(_("{what} must be greater than 0 and at most {max:g} seconds", what=what,
                               max=TIMEOUT_MAX))
        return value

    def strings(self, what: str) -> tuple[str, ...]:
        if self.node.tag == "tag:yaml.org,2002:str":
            return (self.node.value,)
        return tuple(n.string(_("each entry of {what}", what=what)) for n in self.seq(what))

    def plain(self) -> Any:
        from mlu_doctor.untrusted import InputProblem, construct_yaml

        try:
            return construct_yaml(self.node, self.path)
        except InputProblem as exc:
            raise ConfigError(str(exc)) from None


KNOWN_KEYS = ("datasets", "timeouts", "acknowledge", "coco", "checks", "fix", "inject")


def _validate(root: _Node) -> Config:
    top = root.mapping(_("the config file"))
    for key, value in top.items():
        if key not in KNOWN_KEYS:
            raise value.error(_("unknown key {key} (known: {known})", key=repr(key),
                                known=", ".join(KNOWN_KEYS)))
    kw: dict[str, Any] = {"path": root.path, "raw": {k: v.plain() for k, v in top.items()}}
    if "datasets" in top:
        ds = top["datasets"].mapping("datasets")
        if "coco" in ds:
            kw["coco_roots"] = ds["coco"].strings("datasets.coco")
    _check_sections(top)
    if "timeouts" in top:
        t = top["timeouts"].mapping("timeouts")
        if "probe" in t:
            kw["timeout"] = t["probe"].seconds("timeouts.probe")
        if "docker" in t:
            kw["docker_timeout"] = t["docker"].seconds("timeouts.docker")
        if "runtime" in t:
            kw["runtime_timeout"] = t["runtime"].seconds("timeouts.runtime")
    if "coco" in top:
        coco = top["coco"].mapping("coco")
        if "mirrors" in coco:
            kw["coco_mirrors"] = coco["mirrors"].strings("coco.mirrors")
        if "manifest" in coco:
            manifest = os.path.expanduser(coco["manifest"].string("coco.manifest"))
            kw["coco_manifest"] = os.path.join(os.path.dirname(os.path.abspath(root.path)), manifest)
    if "acknowledge" in top:
        kw["acknowledged"] = _acknowledged(top["acknowledge"])
    return Config(**kw)


def unknown_acknowledged(config: Config, known: Iterable[str]) -> str | None:
    """A warning naming the acknowledged ids no check has (a typo acknowledges nothing), or None."""
    unknown = sorted(set(config.acknowledged) - set(known))
    if not unknown:
        return None
    return _("{path}: acknowledge names unknown check id(s): {ids}; they acknowledge nothing (see "
             "`mlu-doctor list`)",
             path=config.path or CONFIG_NAME, ids=", ".join(unknown))


def _acknowledged(node: _Node) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in node.seq("acknowledge"):
        entry = item.mapping(_("each acknowledge entry"))
        if "id" not in entry or "reason" not in entry:
            raise item.error(_("each acknowledge entry needs 'id' and 'reason'"))
        reason = entry["reason"].string("acknowledge.reason").strip()
        if not reason:
            raise entry["reason"].error(_("acknowledge.reason must not be empty"))
        out[entry["id"].string("acknowledge.id")] = reason
    return out


# Keys each section accepts; an unknown one (a typo such as `datasets: {cocoo: ...}`) is an error, like at the
# top.
SECTION_KEYS = {
    "datasets": ("coco",),
    "timeouts": ("probe", "docker", "runtime"),
    "coco": ("mirrors", "manifest"),
    "fix": ("torch_home",),
    "inject": ("container", "src", "dest"),
}
STRING_KEYS = ("fix.torch_home", "inject.container", "inject.src", "inject.dest")


def _check_sections(top: dict[str, _Node]) -> None:
    """Unknown keys inside the known sections, and values that must be strings."""
    from mlu_doctor.i18n import _

    for section, known in SECTION_KEYS.items():
        if section not in top:
            continue
        for key, value in top[section].mapping(section).items():
            if key not in known:
                raise value.error(_("unknown key {key} in {section} (known: {known})",
                                    key=repr(key), section=section, known=", ".join(known)))
            if f"{section}.{key}" in STRING_KEYS:
                value.string(f"{section}.{key}")
    if "acknowledge" in top and top["acknowledge"].node.tag == "tag:yaml.org,2002:seq":
        for item in top["acknowledge"].seq("acknowledge"):
            if item.node.tag != "tag:yaml.org,2002:map":
                continue
            for key, value in item.mapping("acknowledge").items():
                if key not in ("id", "reason"):
                    raise value.error(_("unknown key {key} in an acknowledge entry (known: id, reason)",
                                        key=repr(key)))
