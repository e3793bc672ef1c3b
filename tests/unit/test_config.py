"""Config files: a mistake names the file and the line."""

from __future__ import annotations

import pytest

from mlu_doctor.config import parse_config
from mlu_doctor.errors import ConfigError


@pytest.mark.parametrize(
    "text, message",
    [
        ("datasets:\n  coco: [\n", ":3: malformed YAML"),
        ("datasets: 3\n", ":1: datasets must be a mapping"),
        ("timeouts:\n  probe: fast\n", ":2: timeouts.probe must be a number"),
        ("colour: red\n", ":1: unknown key 'colour'"),
        ("acknowledge:\n  - id: env.torch-home\n", ":2: each acknowledge entry needs 'id' and 'reason'"),
    ],
)
def test_bad_config_names_file_and_line(text, message):
    with pytest.raises(ConfigError) as info:
        parse_config(text, "cfg.yaml")
    assert str(info.value).startswith("cfg.yaml") and message in str(info.value)
