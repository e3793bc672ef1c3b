"""Chinese messages: the catalog covers every template, fields match, the language is chosen right."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from mlu_doctor.explain.signatures import TEXT_FIELDS, builtin_signatures, fields_of
from mlu_doctor.i18n import _, detect_language, set_language
from mlu_doctor.locale.extract import catalog_problems, fields, package_templates, templates_in
from mlu_doctor.locale.zh import MESSAGES
from tests.kit.chinese import spacing_problems


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    set_language("en")


def test_every_template_has_a_chinese_translation_with_the_same_fields():
    templates = package_templates()
    assert len(templates) > 50
    missing, mismatched = catalog_problems(MESSAGES, templates)
    assert not missing, "run: python scripts/i18n_missing.py --stub\n" + "\n".join(missing)
    assert not mismatched, mismatched


def test_catalog_has_no_stray_spaces_in_chinese():
    problems = [f"{key!r}: {problem}" for key, value in MESSAGES.items() for problem in spacing_problems(value)]
    assert not problems, "\n".join(problems)


def test_spacing_rule_flags_what_reads_wrong_and_allows_latin_words():
    assert spacing_problems("当前环境 没有已知的驱动版本要求") and spacing_problems("生效 （请自行运行）")
    assert spacing_problems("完成。 下一步") and spacing_problems("mkdir -p /x  （或")
    assert not spacing_problems("在 MLU270 主机上用 genoff.py 重新生成（{path}）：{n} 张卡")


@pytest.mark.parametrize("sig", builtin_signatures(), ids=lambda s: s.id)
def test_signature_texts_have_no_stray_spaces_in_chinese(sig):
    assert not [p for text in sig.texts.get("zh", {}).values() for p in spacing_problems(text)]


def test_no_era_wording_in_chinese():
    """"CNML 时代" reads oddly in Chinese: the generations are named by what they are built on (基于 CNML)."""
    assert not [key for key, value in MESSAGES.items() if "时代" in value]


def test_catalog_has_no_stale_entries():
    stale = set(MESSAGES) - set(package_templates())
    assert not stale, stale


@pytest.mark.parametrize("sig", builtin_signatures(), ids=lambda s: s.id)
def test_every_signature_text_has_chinese_with_the_same_fields(sig):
    zh = sig.texts.get("zh", {})
    for name in TEXT_FIELDS:
        assert zh.get(name), f"{sig.id}: {name}_zh missing"
        assert fields_of(zh[name]) == fields_of(sig.texts["en"][name]), f"{sig.id}: {name}_zh fields differ"


def test_extraction_finds_calls_help_docstrings_and_check_titles():
    source = '''
@app.command("x")
def cmd(a: str = typer.Option(None, help="Option help.")):
    """Command help."""
    return _("hello {name}", name=a) + _(dynamic)

@check("a.b", "Check title", needs=())
def c(facts, config): ...
'''
    assert sorted(templates_in(source)) == ["Check title", "Command help.", "Option help.", "hello {name}"]
    assert fields("{a} and {{literal}} {b!r}") == {"a", "b"}


@pytest.mark.parametrize(
    "explicit, env, lang",
    [
        (None, {"LANG": "zh_CN.UTF-8"}, "zh"),
        (None, {"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        (None, {"LC_MESSAGES": "zh_TW.UTF-8"}, "zh"),
        (None, {}, "en"),
        ("zh", {"LANG": "C"}, "zh"),
        ("zh_CN", {}, "zh"),
    ],
)
def test_language_detection(explicit, env, lang):
    assert detect_language(explicit, env) == lang


def test_translation_and_fallback():
    set_language("zh")
    assert _("{n} card(s): {cards}", n=2, cards="MLU220") == "2 张卡：MLU220"
    assert _("a message nobody translated") == "a message nobody translated"
    set_language("fr")
    assert _("{n} card(s): {cards}", n=1, cards="x") == "1 card(s): x"


def _run(args, **env):
    full = {**os.environ, "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8", **env}
    return subprocess.run([sys.executable, "-m", "mlu_doctor", *args], capture_output=True, text=True, env=full, timeout=60)


def test_cli_help_in_chinese_from_the_locale_and_from_lang():
    by_locale = _run(["--help"], LANG="zh_CN.UTF-8")
    assert "诊断并修复寒武纪 MLU 主机和容器上的 PyTorch 环境" in by_locale.stdout
    by_option = _run(["explain", "--help", "--lang", "zh"])
    assert "要读取的日志" in by_option.stdout and "消息语言" in by_option.stdout
    english = _run(["explain", "--help"])
    assert "The log to read" in english.stdout


def test_english_start_up_does_not_load_the_catalog_or_the_explain_engine():
    code = (
        "import sys; from mlu_doctor.cli import app; from mlu_doctor.cli.language import choose_language;"
        "choose_language(app, ['check']);"
        "print(sorted(m for m in sys.modules if m.startswith(('mlu_doctor.locale', 'mlu_doctor.explain', 'mlu_doctor.redact', 'mlu_doctor.cli.click_words'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": ""}).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("args, value", [(["check", "--lang", "fr"], "fr"), (["--lang", "de", "list"], "de"),
                                         (["list", "--lang=jp"], "jp")])
def test_an_unknown_lang_is_a_usage_error(args, value):
    result = _run(args)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"mlu-doctor: --lang '{value}': choose one of: en, zh\n"


def test_lang_accepts_locale_names():
    assert "可以看到寒武纪 MLU 卡" in _run(["list", "--lang", "zh_CN"]).stdout
