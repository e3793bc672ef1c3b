"""What users see in Chinese: `check --lang zh` on fixture hosts and the seed, click's own words, --lang placement."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from mlu_doctor.i18n import N_, _, set_language, translate
from mlu_doctor.locale.extract import templates_in
from tests.kit import hosts
from tests.kit.seed import seed_root

pytestmark = pytest.mark.fast  # in-process CLI and one short process

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    set_language("en")


def findings(cli, args, env=None):
    result = cli(["check", "--format", "json", *args], env=env)
    return result, json.loads(result.stdout)["findings"]


def assert_chinese_report(cli, args, env=None):
    """Human and JSON output in zh: every summary shown is Chinese, ids and statuses as in English."""
    _, en = findings(cli, args, env)
    _, zh = findings(cli, [*args, "--lang", "zh"], env)
    assert [(f["id"], f["status"]) for f in zh] == [(f["id"], f["status"]) for f in en]
    assert len(zh) >= 3
    for f in zh:
        assert CJK.search(f["summary"]), f"{f['id']}: summary not translated: {f['summary']}"
        assert not f["remedy"] or CJK.search(f["remedy"]), f"{f['id']}: remedy not translated: {f['remedy']}"
    human = cli(["check", *args, "--lang", "zh"], env=env).stdout
    for f_en, f_zh in zip(en, zh):
        assert f_zh["summary"] in human
        assert f_en["summary"] not in human, f"English summary left in the human output: {f_en['summary']}"


@pytest.mark.parametrize("build", [hosts.mlu220_m2_host, hosts.mlu370_host, hosts.no_dev_nodes_host],
                         ids=lambda b: b.__name__)
def test_check_in_chinese_on_fixture_hosts(cli, tmp_path, build):
    host = build(tmp_path)
    assert_chinese_report(cli, ["--root", host.root], env=host.env)


def test_check_in_chinese_on_a_host_without_driver(cli, tmp_path):
    host = hosts.no_driver_host(tmp_path)
    assert_chinese_report(cli, ["--root", host.root, "--only", "device.,driver."], env=host.env)


def test_check_in_chinese_on_the_seed_scenario(cli, tmp_path):
    root = seed_root(tmp_path)
    assert_chinese_report(cli, ["--root", root, "--only", "framework.,device."])
    human = cli(["check", "--root", root, "--only", "framework.arch-match", "--lang", "zh"]).stdout
    assert "genoff.py -mcore MLU220 -core_number 4" in human and "离线模型" in human


def test_lang_before_the_command_and_no_leak_into_the_next_run(cli, tmp_path):
    before = cli(["--lang", "zh", "check", "--root", tmp_path / "absent"])
    assert before.exit_code == 2 and "没有这个目录" in before.stderr
    after = cli(["check", "--root", tmp_path / "absent"])
    assert after.exit_code == 2 and "no such directory" in after.stderr


def test_usage_errors_are_translated(cli, tmp_path):
    result = cli(["check", "--format", "xml", "--lang", "zh"])
    assert result.exit_code == 2 and "未知格式 'xml'" in result.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("datasets: [1\n")
    result = cli(["check", "--config", bad, "--lang", "zh"])
    assert result.exit_code == 2 and "YAML 格式错误" in result.stderr


def _run(args, **env):
    full = {**os.environ, "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8", **env}
    return subprocess.run([sys.executable, "-m", "mlu_doctor", *args], capture_output=True, text=True, env=full,
                          timeout=60)


def test_click_words_in_chinese_and_english():
    zh = _run(["check", "--bogus", "--lang", "zh"])
    assert zh.returncode == 2
    assert "用法: mlu-doctor check" in zh.stderr and "错误：没有这个选项：--bogus" in zh.stderr
    assert "Usage:" not in zh.stderr and "Error:" not in zh.stderr
    helped = _run(["--lang", "zh", "check", "--help"]).stdout
    assert "选项:" in helped and "显示此帮助信息并退出" in helped and "输出格式：human, json" in helped
    en = _run(["check", "--bogus"])
    assert "Usage: mlu-doctor check" in en.stderr and "Error: No such option: --bogus" in en.stderr


def test_an_aborted_command_says_aborted(capsys):
    import typer

    from mlu_doctor.cli.click_words import install

    app = typer.Typer()

    @app.command()
    def ask() -> None:
        raise typer.Abort()  # what click raises on Ctrl-C or end of input at a prompt

    install(app)
    with pytest.raises(SystemExit) as done:
        app([], prog_name="mlu-doctor")
    assert done.value.code == 1
    assert capsys.readouterr().err == "Aborted!\n"


def test_deferred_help_templates_translate_with_their_fields():
    text = N_("Output: {formats}.", formats="human, json")
    assert text == "Output: human, json."
    set_language("zh")
    assert translate(text) == "输出格式：human, json。"
    assert translate("Print the version.") == _("Print the version.") == "打印版本号。"


def test_extractor_finds_deferred_templates():
    source = 'TABLE = {"a": N_("a {x} thing")}\nHELP = typer.Option(None, help=N_("Only {s}", s=S))\n'
    assert sorted(templates_in(source)) == ["Only {s}", "a {x} thing"]
