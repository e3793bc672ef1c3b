"""PendingFiles: a plan made after another sees the files the earlier plan writes and the folders it makes."""

from __future__ import annotations

from mlu_doctor.recipes.base import MKDIR, WRITE, Step
from mlu_doctor.recipes.pending import PendingFiles
from mlu_doctor.recipes.runner import check_ids_for
from mlu_doctor.system.local import LocalSystem


def test_earlier_writes_and_folders_are_seen_over_the_real_files(tmp_path):
    (tmp_path / "home").mkdir()
    (tmp_path / "home/.profile").write_bytes(b"old\n")
    view = PendingFiles(LocalSystem("/"))
    home = str(tmp_path / "home")
    env_sh = f"{home}/.config/mlu-doctor/env.sh"
    view.add([Step(WRITE, "w", path=env_sh, before=None, after=b"export A=1\n"),
              Step(MKDIR, "d", path=f"{home}/.cache/torch"),
              Step("advice", "a", argv=("echo",))])
    assert view.read_bytes(env_sh) == b"export A=1\n" and view.read_text(env_sh) == "export A=1\n"
    assert view.read_bytes(env_sh, 6) == b"export"  # the limit holds for pending bytes too
    assert view.is_file(env_sh) and view.exists(env_sh) and view.readlink(env_sh) is None
    assert view.is_dir(f"{home}/.config") and view.is_dir(f"{home}/.config/mlu-doctor")
    assert view.is_dir(f"{home}/.cache/torch") and not view.is_file(f"{home}/.cache/torch")
    assert view.listdir(home) == [".cache", ".config", ".profile"]
    assert view.listdir(f"{home}/.config/mlu-doctor") == ["env.sh"]
    assert view.read_bytes(f"{home}/.profile") == b"old\n"  # untouched files read as they are
    assert not view.exists(f"{home}/nothing") and view.listdir(f"{home}/nothing") is None
    assert view.glob(f"{home}/.config/*/env.sh") == [env_sh]
    assert not (tmp_path / "home/.config").exists()  # a view: nothing is written


def test_check_ids_keep_a_named_check_whose_recipe_comes_from_its_finding():
    class R:
        fixes = ("env.torch-home",)

    recipes = {"env.torch-home": R()}
    checks = {"env.torch-home", "toolkit.neuware"}
    assert check_ids_for(["toolkit.neuware", "env.torch-home"], recipes, checks) == checks
    assert check_ids_for(["env.torch-home"], {"env.torch-home": type("S", (), {"fixes": ("gone",)})()},
                         checks) == set()  # a recipe claiming a check that does not exist runs none
