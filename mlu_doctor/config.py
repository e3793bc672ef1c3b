"""`.mlu-doctor.yaml`: dataset roots, timeouts, mirrors, acknowledged findings. Errors name file and line."""

from __future__ import annotations

import os
from dataclasses import field
from typing import Any

from mlu_doctor.errors import ConfigError
from mlu_doctor.records import record as dataclass  # shared eq/repr: faster import

CONFIG_NAME = ".mlu-doctor.yaml"
ENV_VAR = "MLU_DOCTOR_CONFIG"


@dataclass(frozen=True)
class Config:
    """Validated configuration. `raw` keeps sections owned by later features."""

    path: str | None = None
    coco_roots: tuple[str, ...] = ()
    timeout: float = 3.0
    acknowledged: dict[str, str] = field(default_factory=dict)  # finding id -> reason
    coco_mirrors: tuple[str, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict)


def find_config(explicit: str | None, environ: dict[str, str] | None = None, cwd: str = ".") -> str | None:
    """--config, then $MLU_DOCTOR_CONFIG, then ./.mlu-doctor.yaml."""
    env = os.environ if environ is None else environ
    if explicit:
        if not os.path.isfile(explicit):
            raise ConfigError(f"config file {explicit} does not exist")
        return explicit
    if env.get(ENV_VAR):
        if not os.path.isfile(env[ENV_VAR]):
            raise ConfigError(f"config file {env[ENV_VAR]} (from ${ENV_VAR}) does not exist")
        return env[ENV_VAR]
    local = os.path.join(cwd, CONFIG_NAME)
    return local if os.path.isfile(local) else None


def load_config(path: str | None) -> Config:
    """Load and validate a config file; None gives the defaults."""
    if path is None:
        return Config()
    try:
        with open(path, "rb") as fh:
            text = fh.read().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    return parse_config(text, path)


def parse_config(text: str, path: str = CONFIG_NAME) -> Config:
    """Parse config text; every problem is a ConfigError naming `path:line`."""
    import yaml

    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{path}{line}: malformed YAML: {problem}") from None
    if node is None:
        return Config(path=path)
    return _validate(_Node(node, path))


class _Node:
    """A YAML node with the file name, for errors that point at a line."""

    def __init__(self, node: Any, path: str) -> None:
        self.node, self.path = node, path

    def error(self, message: str) -> ConfigError:
        return ConfigError(f"{self.path}:{self.node.start_mark.line + 1}: {message}")

    def mapping(self, what: str) -> dict[str, _Node]:
        if self.node.tag != "tag:yaml.org,2002:map":
            raise self.error(f"{what} must be a mapping")
        return {k.value: _Node(v, self.path) for k, v in self.node.value}

    def seq(self, what: str) -> list[_Node]:
        if self.node.tag != "tag:yaml.org,2002:seq":
            raise self.error(f"{what} must be a list")
        return [_Node(v, self.path) for v in self.node.value]

    def string(self, what: str) -> str:
        if self.node.tag not in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
            raise self.error(f"{what} must be a string")
        return str(self.node.value)

    def number(self, what: str) -> float:
        try:
            value = float(self.node.value)
        except (TypeError, ValueError):
            raise self.error(f"{what} must be a number") from None
        if not 0 < value <= 3600:
            raise self.error(f"{what} must be between 0 and 3600 seconds")
        return value

    def strings(self, what: str) -> tuple[str, ...]:
        if self.node.tag == "tag:yaml.org,2002:str":
            return (self.node.value,)
        return tuple(n.string(f"each entry of {what}") for n in self.seq(what))

    def plain(self) -> Any:
        import yaml

        return yaml.safe_load(yaml.serialize(self.node))


KNOWN_KEYS = ("datasets", "timeouts", "acknowledge", "coco", "checks", "fix", "inject")


def _validate(root: _Node) -> Config:
    top = root.mapping("the config file")
    for key, value in top.items():
        if key not in KNOWN_KEYS:
            raise value.error(f"unknown key {key!r} (known: {', '.join(KNOWN_KEYS)})")
    kw: dict[str, Any] = {"path": root.path, "raw": {k: v.plain() for k, v in top.items()}}
    if "datasets" in top:
        ds = top["datasets"].mapping("datasets")
        if "coco" in ds:
            kw["coco_roots"] = ds["coco"].strings("datasets.coco")
    if "timeouts" in top:
        t = top["timeouts"].mapping("timeouts")
        if "probe" in t:
            kw["timeout"] = t["probe"].number("timeouts.probe")
    if "coco" in top:
        coco = top["coco"].mapping("coco")
        if "mirrors" in coco:
            kw["coco_mirrors"] = coco["mirrors"].strings("coco.mirrors")
    if "acknowledge" in top:
        kw["acknowledged"] = _acknowledged(top["acknowledge"])
    return Config(**kw)


def _acknowledged(node: _Node) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in node.seq("acknowledge"):
        entry = item.mapping("each acknowledge entry")
        if "id" not in entry or "reason" not in entry:
            raise item.error("each acknowledge entry needs 'id' and 'reason'")
        reason = entry["reason"].string("acknowledge.reason").strip()
        if not reason:
            raise entry["reason"].error("acknowledge.reason must not be empty")
        out[entry["id"].string("acknowledge.id")] = reason
    return out
