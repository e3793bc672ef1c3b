"""Recipes plan from constructed facts and a fixture tree read through a System (LocalSystem over a tmp root:
the paths below are the tree's, e.g. /home/u); env-file and rc-block text functions."""

from __future__ import annotations

import pytest

from mlu_doctor.config import Config
from mlu_doctor.facts.container_model import ContainerFacts, ContainerMount, DatasetAccess
from mlu_doctor.facts.model import (
    CnmonFacts,
    DatasetFacts,
    DatasetRoot,
    DeviceFacts,
    DriverFacts,
    EnvFacts,
    Facts,
    FrameworkFacts,
    ModuleResolution,
    ProcCard,
    ProjectFacts,
    ToolkitFacts,
)
from mlu_doctor.recipes import all_recipes
from mlu_doctor.recipes.base import ADVICE, CALL, MKDIR, WRITE, PlanContext
from mlu_doctor.recipes.container_recipes import ContainerDevices
from mlu_doctor.recipes.dataset_recipes import InjectDataset
from mlu_doctor.recipes.env_recipes import LdPath, PythonPath, TorchHome
from mlu_doctor.recipes.shellenv import BEGIN, ensure_block, set_export, source_block
from mlu_doctor.system.local import LocalSystem

HOME = "/home/u"


@pytest.fixture
def tree(tmp_path):
    """The inspected tree: /home/u exists; ctx(files, dirs, ...) adds files and folders and plans over it."""
    (tmp_path / "home/u").mkdir(parents=True)
    return tmp_path


@pytest.fixture
def ctx(tree):
    def make(files=None, dirs=(), shell="/bin/bash", scope="host", **env):
        for path, data in (files or {}).items():
            (tree / path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
            (tree / path.lstrip("/")).write_bytes(data)
        for d in dirs:
            (tree / d.lstrip("/")).mkdir(parents=True, exist_ok=True)
        environ = {"HOME": HOME, "SHELL": shell, **env}
        return PlanContext(environ=environ, system=LocalSystem(str(tree), environ=environ), cwd="/work/proj",
                           scope=scope)

    return make


def facts(**sections):
    return Facts(env=EnvFacts(), **sections)


def kinds(plan):
    return [(s.kind, s.path) for s in plan.steps]


def test_registry_has_the_promised_recipes():
    recipes, problems = all_recipes(plugins=False)
    assert not problems
    assert {"env.torch-home", "env.pythonpath", "toolkit.ld-path", "container.devices", "dataset.coco",
            "dataset.inject"} <= set(recipes)


def test_torch_home_default_creates_cache_dir_and_persists_for_bash(ctx):
    plan = TorchHome().plan(facts(), Config(), ctx())
    assert kinds(plan) == [(MKDIR, f"{HOME}/.cache/torch"), (WRITE, f"{HOME}/.config/mlu-doctor/env.sh"),
                           (WRITE, f"{HOME}/.bashrc")]
    env_sh = plan.steps[1].after.decode()
    assert f'export TORCH_HOME="{HOME}/.cache/torch"  # mlu-doctor:TORCH_HOME' in env_sh
    assert plan.steps[2].after.decode() == source_block(f"{HOME}/.config/mlu-doctor/env.sh")
    assert dict(plan.env) == {"TORCH_HOME": f"{HOME}/.cache/torch"}


def test_torch_home_rc_file_follows_the_login_shell(ctx):
    for shell, rc in (("/usr/bin/zsh", ".zshrc"), ("/bin/sh", ".profile"), ("", ".profile")):
        plan = TorchHome().plan(facts(), Config(), ctx(shell=shell))
        assert plan.steps[-1].path == f"{HOME}/{rc}"


def test_torch_home_for_cnml_era_uses_the_model_zoo_folder(ctx):
    f = facts(framework=FrameworkFacts(era="cnml"), project=ProjectFacts(dir="/work/yolov3"))
    plan = TorchHome().plan(f, Config(), ctx())
    assert plan.steps[0].path == "/work/yolov3/models/pytorch"
    assert any("origin,int8,int16" in n for n in plan.notes)


def test_torch_home_already_set_only_creates_the_directory(ctx):
    plan = TorchHome().plan(facts(), Config(), ctx(TORCH_HOME="/models"))
    assert kinds(plan) == [(MKDIR, "/models")]


def test_torch_home_in_place_plans_nothing(ctx):
    env_sh = set_export("", "TORCH_HOME", f'"{HOME}/.cache/torch"').encode()
    rc = ("# mine\n" + source_block(f"{HOME}/.config/mlu-doctor/env.sh")).encode()
    files = {f"{HOME}/.config/mlu-doctor/env.sh": env_sh, f"{HOME}/.bashrc": rc}
    plan = TorchHome().plan(facts(), Config(), ctx(files, dirs={f"{HOME}/.cache/torch"}))
    assert plan.steps == ()


def test_torch_home_for_a_container_is_advice_only(ctx):
    plan = TorchHome().plan(facts(), Config(), ctx(scope="container:train"))
    assert plan.actions == ()
    cmds = [" ".join(s.argv) for s in plan.advice]
    assert any(c.startswith("docker exec -e TORCH_HOME=/home/u/.cache/torch train") for c in cmds)
    assert any(c.startswith("docker run -e TORCH_HOME=") for c in cmds)


def test_set_export_replaces_its_own_line_and_keeps_others():
    text = set_export("", "A", '"1"')
    text = set_export(text + "echo user line\n", "B", '"2"')
    assert set_export(text, "A", '"1"') == text
    changed = set_export(text, "A", '"3"')
    assert changed.count("mlu-doctor:A") == 1 and 'A="3"' in changed and "echo user line" in changed


def test_ensure_block_is_idempotent_and_keeps_user_text():
    block = source_block("/x/env.sh")
    once = ensure_block("alias ll='ls -l'", block)
    assert once.startswith("alias ll='ls -l'\n") and once.count(BEGIN) == 1
    assert ensure_block(once, block) == once
    moved = ensure_block(once, source_block("/y/env.sh"))
    assert moved.count(BEGIN) == 1 and "/y/env.sh" in moved and "/x/env.sh" not in moved


def yolo(cwd="/work", scripts=("/work/gen_wts.py",), cwd_status="missing", own_status="project", **kw):
    """Project facts of /work/yolov5 seen from `cwd`, with scripts there importing `utils`."""
    def res(status):
        return [ModuleResolution("from utils.google_utils import *", "utils", status,
                                 resolved_to=kw.get("resolved_to"), expected="/work/yolov5/utils")]
    return ProjectFacts(dir="/work/yolov5", cwd=cwd, kind="yolov5", imports=res(cwd_status),
                        script_imports=res(own_status), cwd_scripts=list(scripts))


VENV_SITE = "/venv/lib/python3.10/site-packages"


def test_pythonpath_writes_a_pth_file_scoped_to_the_virtual_environment(ctx):
    c = ctx({"/venv/pyvenv.cfg": b"home = /usr/bin\n"}, dirs=[VENV_SITE])
    f = facts(project=yolo(), framework=FrameworkFacts(python="/venv/bin/python", site_dirs=[VENV_SITE]))
    plan = PythonPath().plan(f, Config(), c)
    (write,) = plan.actions
    assert write.kind == WRITE and write.path.startswith(f"{VENV_SITE}/mlu-doctor-yolov5-") and write.path.endswith(".pth")
    assert write.before is None and write.after == b"/work/yolov5\n"
    assert plan.env == () and any("Scoped to /venv" in n for n in plan.notes)
    assert plan.advice[-1].argv == ("mv", "/work/gen_wts.py", "/work/yolov5/")
    # nothing is written in the user's start-up files
    assert not any((s.path or "").startswith(HOME) for s in plan.steps)


def test_pythonpath_outside_a_virtual_environment_is_advice(ctx):
    f = facts(project=yolo(), framework=FrameworkFacts(python="/usr/bin/python3",
                                                       site_dirs=["/usr/lib/python3/dist-packages"]))
    plan = PythonPath().plan(f, Config(), ctx())
    assert plan.actions == ()
    assert plan.advice[0].argv == ("env", "PYTHONPATH=/work/yolov5", "/usr/bin/python3", "/work/gen_wts.py")
    assert any("not in a virtual environment" in n for n in plan.notes)


def test_pythonpath_has_nothing_to_do_when_the_projects_scripts_run_from_anywhere(ctx):
    """`python ../yolov5/train.py` from another folder works: no script in the cwd imports the project."""
    plan = PythonPath().plan(facts(project=yolo(scripts=())), Config(), ctx())
    assert plan.steps == () and plan.refused == ()


def test_pythonpath_a_shadowing_installed_package_is_advice(ctx):
    where = "/usr/lib/python3/dist-packages/utils"
    plan = PythonPath().plan(facts(project=yolo(own_status="shadowed", resolved_to=where)), Config(), ctx())
    assert plan.actions == () and plan.advice[0].argv == ("pip", "uninstall", "utils")


def test_pythonpath_without_a_known_project_says_where_to_point(ctx):
    plan = PythonPath().plan(facts(project=ProjectFacts(dir="/x")), Config(), ctx())
    assert plan.actions == () and plan.advice[0].argv[-2:] == ("--project", "DIR")


def test_ld_path_appends_lib64_and_exports_neuware_home(ctx):
    f = facts(toolkit=ToolkitFacts(neuware_home="/usr/local/neuware"))
    plan = LdPath().plan(f, Config(), ctx(LD_LIBRARY_PATH="/opt/x", PATH="/usr/bin"))
    text = plan.steps[0].after.decode()
    assert 'export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}/usr/local/neuware/lib64"' in text
    assert 'export NEUWARE_HOME="/usr/local/neuware"' in text
    env = dict(plan.env)
    assert env["LD_LIBRARY_PATH"] == "/opt/x:/usr/local/neuware/lib64" and env["PATH"] == "/usr/bin:/usr/local/neuware/bin"


def test_ld_path_without_neuware_is_advice(ctx):
    plan = LdPath().plan(facts(toolkit=ToolkitFacts()), Config(), ctx())
    assert plan.actions == () and "NEUWARE_HOME" in " ".join(plan.advice[0].argv)


def test_container_devices_prints_flags_for_every_node_and_never_acts(ctx):
    host = DeviceFacts(nodes=["/dev/cambricon_dev1", "/dev/cambricon_ctl", "/dev/cambricon_dev0",
                              "/dev/cambricon_ipcm0", "/dev/null"], proc=[ProcCard(bus="0", family="MLU370")])
    c = ContainerFacts(name="train", image="yolo:v5", host_nodes=list(host.nodes), shm_size=8 << 30,
                       mounts=[ContainerMount("/data", "/srv/data", "bind", True)])
    plan = ContainerDevices().plan(Facts(device=host, container=c), Config(), ctx(scope="container:train"))
    assert plan.actions == ()
    run = next(s.argv for s in plan.advice if s.argv[:2] == ("docker", "run"))
    devices = [run[i + 1] for i, a in enumerate(run) if a == "--device"]
    assert devices == ["/dev/cambricon_ctl", "/dev/cambricon_dev0", "/dev/cambricon_dev1", "/dev/cambricon_ipcm0"]
    assert "/usr/bin/cnmon:/usr/bin/cnmon:ro" not in run  # the host has no cnmon: nothing to bind-mount
    assert any("no cnmon" in n for n in plan.notes)
    assert "/srv/data:/data:ro" in run and run[-1] == "yolo:v5"
    assert "--shm-size" not in run and run[3:5] == ("--name", "train-mlu")
    f = Facts(device=host, container=c, driver=DriverFacts(cnmon=CnmonFacts("ok", path="/usr/local/bin/cnmon")))
    run = ContainerDevices().plan(f, Config(), ctx(scope="container:train")).advice[-1].argv
    assert "/usr/local/bin/cnmon:/usr/bin/cnmon:ro" in run


def test_container_advice_on_a_host_without_a_card_names_no_device_or_cnmon(ctx):
    """A /dev/shm warning on a host with no card: only --shm-size; no node or cnmon that does not exist."""
    c = ContainerFacts(name="t", image="img")
    f = Facts(device=DeviceFacts(), driver=DriverFacts(cnmon=CnmonFacts("missing")), container=c)
    run = ContainerDevices().plan(f, Config(), ctx(scope="container:t")).advice[-1].argv
    assert "--device" not in run and "-v" not in run and "--shm-size" in run
    assert not any("cambricon" in a or "cnmon" in a for a in run)


def test_container_advice_names_only_the_nodes_the_host_has(ctx):
    """A card in PCI but the driver made no nodes: no invented /dev/cambricon_* flags, a note instead."""
    c = ContainerFacts(name="t", image="img", shm_size=8 << 30)
    f = Facts(device=DeviceFacts(proc=[ProcCard(bus="0", family="MLU370")]), container=c)
    plan = ContainerDevices().plan(f, Config(), ctx(scope="container:t"))
    assert not any("/dev/cambricon" in a for s in plan.advice for a in s.argv)
    assert any("no /dev/cambricon_* nodes" in n for n in plan.notes)


def test_ld_path_for_a_container_uses_its_environment_and_creates_no_folder(ctx):
    f = facts(toolkit=ToolkitFacts(neuware_home="/torch/neuware_home"))
    plan = LdPath().plan(f, Config(), ctx(scope="container:t", PATH="/usr/bin", NEUWARE_HOME="/torch/neuware_home"))
    exec_cmd = plan.advice[0].argv
    assert exec_cmd[:2] == ("docker", "exec") and "mkdir" not in " ".join(exec_cmd)
    assert "LD_LIBRARY_PATH=/torch/neuware_home/lib64" in exec_cmd and "PATH=/usr/bin:/torch/neuware_home/bin" in exec_cmd
    assert exec_cmd[-2:] == ("python", "...")


def test_container_devices_asks_only_for_what_is_missing(ctx):
    c = ContainerFacts(name="t", nodes=["/dev/cambricon_ctl", "/dev/cambricon_dev0"], cnmon="/usr/bin/cnmon")
    f = Facts(device=DeviceFacts(proc=[ProcCard(bus="0", family="MLU220")]), container=c)
    run = ContainerDevices().plan(f, Config(), ctx(scope="container:t")).advice[-1].argv
    assert "--device" not in run and "--shm-size" in run  # Docker's 64 MB default /dev/shm
    healthy = ContainerFacts(name="t", nodes=c.nodes, cnmon=c.cnmon, ipc_mode="host")
    assert ContainerDevices().plan(Facts(container=healthy), Config(), ctx()).steps == ()


def test_inject_plan_from_container_facts_targets_the_containers_coco_dir(tmp_path):
    (tmp_path / "x.jpg").write_bytes(b"1" * 10)
    access = [DatasetAccess("/mnt/ok", "config", True, "/ok", "mount"), DatasetAccess(str(tmp_path), "COCO_DIR", True)]
    c = ContainerFacts(name="train", datasets_access=access, env={"COCO_DIR": "/datasets/coco"}, running=True)
    plan = InjectDataset().plan(Facts(container=c), Config(), PlanContext(system=LocalSystem("/"), scope="container:train"))
    assert plan.steps[0].argv == ("mlu-doctor", "inject", "--container", "train", str(tmp_path), "/datasets/coco")
    assert plan.bytes_to_move == 10
    access[1].via = "copy"
    assert InjectDataset().plan(Facts(container=c), Config(), PlanContext()).steps == ()


def test_inject_plan_from_config_moves_the_tree_bytes(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a/x.jpg").write_bytes(b"1" * 1000)
    cfg = Config(raw={"inject": {"container": "train", "src": str(tmp_path), "dest": "/data/coco"}})
    c = PlanContext(environ={"HOME": HOME}, system=LocalSystem("/"))
    plan = InjectDataset().plan(Facts(datasets=DatasetFacts()), cfg, c)
    assert plan.steps[0].kind == CALL and plan.bytes_to_move == 1000
    assert plan.steps[1].kind == ADVICE and f"{tmp_path}:/data/coco:ro" in plan.steps[1].argv


def test_inject_plan_without_a_container_is_advice():
    f = Facts(datasets=DatasetFacts(roots=[DatasetRoot(path="/data/coco", source="config", exists=True)]))
    plan = InjectDataset().plan(f, Config(), PlanContext())
    assert plan.actions == () and plan.advice[0].argv[:4] == ("mlu-doctor", "inject", "--container", "NAME")


def test_inject_plan_for_a_stopped_container_is_advice(tmp_path):
    access = [DatasetAccess(str(tmp_path), "config", True)]
    c = ContainerFacts(name="train", datasets_access=access, state="exited", running=False)
    plan = InjectDataset().plan(Facts(container=c), Config(), PlanContext(system=LocalSystem("/")))
    assert plan.actions == () and plan.advice[0].argv == ("docker", "start", "train")


def test_coco_manifest_in_the_config_is_relative_to_the_config_file():
    from mlu_doctor.config import parse_config

    assert parse_config("coco:\n  manifest: m.yaml\n", "/etc/x/.mlu-doctor.yaml").coco_manifest == "/etc/x/m.yaml"
    assert parse_config("coco:\n  manifest: /srv/m.yaml\n", "/etc/x/c.yaml").coco_manifest == "/srv/m.yaml"
