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
from tests.kit.chinese import spacing_problems
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
    assert "用法: mlu-doctor check" in zh.stderr and "错误：没有 --bogus 这个选项" in zh.stderr
    assert "Usage:" not in zh.stderr and "Error:" not in zh.stderr
    helped = _run(["--lang", "zh", "check", "--help"]).stdout
    assert "选项:" in helped and "显示此帮助信息并退出" in helped and "输出格式：human, json" in helped
    en = _run(["check", "--bogus"])
    assert "Usage: mlu-doctor check" in en.stderr and "Error: No such option: --bogus" in en.stderr


# (argv, click's English line, our Chinese line): each usage error is one sentence in one language
USAGE_ERRORS = [
    (["chek"], "No such command 'chek'. Did you mean 'check'?", "没有 'chek' 这个命令，你是不是想用 'check'？"),
    (["xyz"], "No such command 'xyz'.", "没有 'xyz' 这个命令。"),
    (["check", "--verbos"], "No such option: --verbos (Possible options: --verbose)",
     "没有 --verbos 这个选项，你是不是想用 --verbose？"),
    (["--bogus"], "No such option: --bogus", "没有 --bogus 这个选项。"),
    (["check", "--timeout", "abc"], "Invalid value for '--timeout': 'abc' is not a valid float.",
     "'--timeout' 的值无效：'abc' 不是有效的数字。"),
    (["npd", "--max-length", "3"], "Invalid value for '--max-length': 3 is not in the range x>=8.",
     "'--max-length' 的值无效：3 不在 x>=8 范围内。"),
    (["npd", "--max-length", "x"], "Invalid value for '--max-length': 'x' is not a valid int range.",
     "'--max-length' 的值无效：'x' 不是有效的整数。"),
    (["inject", "a"], "Missing argument 'DEST'.", "缺少参数 'DEST'。"),
    (["inject", "a", "b"], "Missing option '--container' / '-c'.", "缺少选项 '--container' / '-c'。"),
    (["check", "a", "b"], "Got unexpected extra argument(s) (a b)", "多余的参数：a b。"),
    (["check", "--only"], "Option '--only' requires an argument.", "选项 '--only' 需要一个值。"),
    (["fix", "--yes=3"], "Option '--yes' does not take a value.", "选项 '--yes' 不接受值。"),
]


@pytest.mark.parametrize("argv, english, chinese", USAGE_ERRORS, ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_usage_errors_are_one_sentence_in_one_language(argv, english, chinese):
    en = _run(argv)
    assert en.returncode == 2 and en.stderr.splitlines()[-1] == "Error: " + english
    assert not CJK.search(en.stderr)
    zh = _run(argv, LANG="zh_CN.UTF-8")
    assert zh.returncode == 2
    line = zh.stderr.splitlines()[-1]
    assert line == "错误：" + chinese
    assert "Error" not in zh.stderr and "Usage" not in zh.stderr and "Try " not in zh.stderr
    words = re.sub(r"'[^']*'|--?[\w-]+|x>=\d+", "", line)  # names and values the user typed stay as typed
    assert not re.search(r"[A-Za-z]{2,}", words), line
    assert not re.search(r"[。．.，,；;：:？?！!]{2}", line), line
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


@pytest.mark.slow  # five whole hosts, one with a hung cnmon (about 3 s)
@pytest.mark.parametrize("build", [hosts.mlu220_m2_host, hosts.mlu370_host, hosts.no_driver_host,
                                   hosts.no_dev_nodes_host, hosts.blind_host], ids=lambda b: b.__name__)
def test_chinese_output_has_no_stray_spaces(cli, tmp_path, monkeypatch, build):
    """What users read in zh: findings with evidence, the fix plan, the summary line; no space between Chinese
    characters or around full-width punctuation, also where messages are put together."""
    host = build(tmp_path / "host")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    args = ["--root", host.root, "--timeout", "0.5", "--lang", "zh"]
    env = {**host.env, "COLUMNS": "400"}
    texts = [cli(["check", *args, "-v"], env=env).stdout, cli(["fix", *args, "--dry-run"], env=env).stdout,
             cli(["check", *args, "--format", "markdown"], env=env).stdout]
    problems = [p for text in texts for line in text.splitlines() for p in spacing_problems(line)]
    assert not problems, "\n".join(problems)


def test_chinese_on_the_seed_scenario_names_the_generation_naturally(cli, tmp_path):
    root = seed_root(tmp_path)
    human = cli(["check", "--root", root, "--only", "framework.,toolkit.", "--lang", "zh", "-v"]).stdout
    assert "时代" not in human and "基于 CNML" in human
    assert not [p for line in human.splitlines() for p in spacing_problems(line)]


def test_summary_line_in_chinese_and_english(cli, tmp_path):
    host = hosts.no_driver_host(tmp_path)
    args = ["check", "--root", host.root, "--only", "device.,driver."]
    en = next(line for line in cli(args, env=host.env).stdout.splitlines() if "not judged" in line)
    zh = next(line for line in cli([*args, "--lang", "zh"], env=host.env).stdout.splitlines() if "无法判断" in line)
    assert en == "2 fail, 1 skip, 1 ok; not judged: driver.version"
    assert zh == "2 项失败，1 项跳过，1 项通过；无法判断：driver.version"
    markdown = cli([*args, "--lang", "zh", "--format", "markdown"], env=host.env).stdout
    assert zh in markdown


def test_advice_steps_and_joined_sentences_read_as_chinese():
    from mlu_doctor.i18n import join_sentences
    from mlu_doctor.recipes.base import ADVICE, Step
    from mlu_doctor.recipes.render import step_lines

    set_language("zh")
    lines = [text for _style, text in step_lines(Step(ADVICE, _("create the directory"), argv=("mkdir", "-p", "/d")))]
    assert lines[0] == "  ! 创建该目录（请自行运行）"
    assert join_sentences(_("Next: deal with the cause above and run the fix again."),
                          _("`mlu-doctor undo` reverts what was applied.")) == \
        "下一步：处理上面的原因后重新运行修复。`mlu-doctor undo` 可撤销已应用的更改。"
    set_language("en")
    assert step_lines(Step(ADVICE, "create the directory", argv=("mkdir",)))[0][1] == \
        "  ! create the directory (run it yourself)"
    assert join_sentences("One.", "Two.") == "One. Two." and join_sentences("", "Two.") == "Two."


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_summary_line_wraps_between_its_pieces_on_a_narrow_terminal(tmp_path, lang):
    host = hosts.blind_host(tmp_path)
    code = ("import sys; from mlu_doctor.cli import main; sys.argv = ['mlu-doctor', 'check', '--root', sys.argv[1], "
            "'--timeout', '0.5']; main()")
    env = {**os.environ, **host.env, "LANG": "zh_CN.UTF-8" if lang == "zh" else "C.UTF-8", "LC_ALL": "",
           "NO_COLOR": "1", "COLUMNS": "44"}
    # a terminal for stdout (script(1)), so the plain renderer wraps to COLUMNS
    out = subprocess.run(["script", "-qec", f"{sys.executable} -c \"{code}\" {host.root}", "/dev/null"],
                         capture_output=True, text=True, env=env, timeout=60).stdout.replace("\r", "")
    from mlu_doctor.report.human import display_width

    lines = out.rstrip("\n").splitlines()
    first = next(i for i, line in enumerate(lines) if re.match(r"^\d+ (skip|warn|fail|ok|项)", line))
    end = next((i for i in range(first, len(lines)) if lines[i].startswith(("exit ", "退出码"))), len(lines))
    tail = lines[first:end]  # the summary, before the closing lines
    assert len(tail) >= 2  # it did wrap
    joined = "".join(tail)
    assert ("not judged:" in joined) if lang == "en" else ("无法判断：" in joined)
    assert all(display_width(line) <= 44 for line in tail), tail
    for line in tail:
        assert not re.search(r"\d$", line) and not line.startswith("项")  # "1 项" / "1 skip" stay together
        assert not re.search(r"[a-z]\.$|^\.", line)  # ids are not cut
