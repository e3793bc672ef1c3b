"""Public logs (tests/data/captures/SOURCES.md) are recognised as what they are; healthy runs give no finding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.kit.files import DATA

CAPTURES = DATA / "captures"

FAILURES = [
    ("cndrv_invoke_address_space_mlu370.log", ["log.cndrv-invoke-error"]),
    ("mluops_create_internal_error_mlu270.log", ["log.mluops-create-failed"]),
    ("cnml_op_ptr_nullptr_pasted.log", ["log.cnml-op-nullptr"]),
    ("libmluops_missing_paddle_mlu.log", ["log.neuware-lib-missing"]),
    ("libtorch_mlu_then_undefined_symbol_mmcv.log", ["log.torch-mlu-lib-missing", "log.extension-undefined-symbol"]),
    ("yolov5_models_torch_load_outside_repo.log", ["log.yolo-checkpoint-models"]),
    ("yolov5_utils_not_a_package_hub.log", ["log.yolo-utils-shadowed"]),
    ("yolov5_utils_downloads_notebook.log", ["log.yolo-utils-notebook"]),
    ("coco_labels_curl_60_self_signed.log", ["log.download-tls-intercepted"]),
    ("coco_labels_unzip_eocd.log", ["log.archive-truncated"]),
    ("get_coco_wget_not_found.log", ["log.download-tool-missing"]),
    ("docker_image_sh_wget_not_found.log", ["log.download-tool-missing"]),
    ("docker_cp_no_space_left.log", ["log.docker-no-space"]),
    ("pip21_fstring_python35.log", ["log.pip-too-new-for-python"]),
]

HEALTHY = [
    ("healthy_easydk_stream_app_mlu270.log", {"cnrt": "4.6.0", "cncodec": "1.7.0", "core": "MLU270"}),
    ("healthy_cnml_sample_mlu270.log", {"cnml": "7.10.3", "cnrt": "4.10.4"}),
    ("healthy_bang_test_cnrt_banner_midline.log", {"cnrt": "3.12.0"}),
    ("healthy_magicmind_mm_run_banner.log", {"cnrt": "5.8.1", "cnapi": "1.8.3"}),
    ("healthy_torch_mlu_chatglm_cli.log", {}),
    ("cncl_rings_no_year.log", {}),
]


def explain_json(cli, path: Path, *extra: str) -> tuple[int, dict]:
    result = cli(["explain", "-f", "json", *extra, path])
    assert not result.stderr, result.stderr
    return result.exit_code, json.loads(result.stdout)


def test_every_capture_is_listed_with_its_source():
    listed = (CAPTURES / "SOURCES.md").read_text(encoding="utf-8")
    for path in CAPTURES.iterdir():
        if path.name != "SOURCES.md":
            assert f"| {path.name} |" in listed, path.name


@pytest.mark.parametrize("name, ids", FAILURES)
def test_public_failure_logs_are_recognised(cli, name, ids):
    code, data = explain_json(cli, CAPTURES / name)
    assert [f["id"] for f in data["findings"]] == ids
    assert code == 1 and all(f["next"] and f["remedy"] and f["details"] for f in data["findings"])


@pytest.mark.parametrize("name, context", HEALTHY)
def test_healthy_runs_give_no_finding_but_show_the_stack(cli, name, context):
    code, data = explain_json(cli, CAPTURES / name)
    assert (code, data["findings"], data["context"]) == (0, [], context)


def test_kernel_fault_is_an_application_fault_with_its_captures(cli):
    _, data = explain_json(cli, CAPTURES / "cndrv_invoke_address_space_mlu370.log")
    [f] = data["findings"]  # the CNDrv call line and the cnrtQueueSync line are consequences, not separate problems
    assert f["captures"] == {"code": "100124", "name": "CN_INVOKE_ERROR_ADDRESS_SPACE"}
    assert "application fault, not the driver" in f["summary"] and "reinstall the driver" in f["remedy"]


def test_mluops_create_failure_absorbs_the_null_notifier_error(cli):
    _, data = explain_json(cli, CAPTURES / "mluops_create_internal_error_mlu270.log")
    [f] = data["findings"]
    assert f["lines"] == [6, 19] and "mtp_270" in f["remedy"]


def test_pasted_cnml_error_keeps_markdown_artifacts_and_banners(cli):
    _, data = explain_json(cli, CAPTURES / "cnml_op_ptr_nullptr_pasted.log")
    [f] = data["findings"]
    assert f["count"] == 2 and f["captures"]["object"] == "cnml_ _op_ptr"
    assert data["context"] == {"cnml": "7.10.2", "cnrt": "4.10.1"}


def test_missing_library_is_named(cli):
    _, data = explain_json(cli, CAPTURES / "libmluops_missing_paddle_mlu.log")
    assert data["findings"][0]["captures"]["lib"] == "libmluops.so.1"
    assert "mlu-doctor check --only framework.libraries" in data["findings"][0]["next"]


def test_pip_syntax_error_names_the_python_and_the_bootstrap(cli):
    _, data = explain_json(cli, CAPTURES / "pip21_fstring_python35.log")
    f = data["findings"][0]
    assert f["captures"]["python"] == "3.5" and "https://bootstrap.pypa.io/pip/3.5/get-pip.py" in f["remedy"]


def test_wget_missing_explains_the_unzip_errors_after_it(cli):
    _, data = explain_json(cli, CAPTURES / "get_coco_wget_not_found.log")
    assert [(f["id"], f["captures"]) for f in data["findings"]] == [("log.download-tool-missing", {"tool": "wget"})]


def test_truncated_zip_names_the_archive_from_the_following_line(cli):
    _, data = explain_json(cli, CAPTURES / "coco_labels_unzip_eocd.log")
    assert data["findings"][0]["summary"].startswith("coco2017labels.zip is not a complete zip")


@pytest.mark.parametrize("log", [
    b"[W] Unknown library version string :1.2.0-torch1.6\n",
    b"Unknown library version string :1.2.0-torch1.6\nepoch 1 loss 0.3\n",
])
def test_torch_mlu_version_string_warning_is_never_a_finding(cli, log):
    result = cli(["explain", "-f", "json", "-"], input=log)
    data = json.loads(result.stdout)
    assert result.exit_code == 0 and data["findings"] == []
    assert data["context"] == {"torch_mlu": "1.2.0-torch1.6"}


def test_cncl_warnings_are_warnings_and_exit_0(cli):
    log = (b"[1-12 10:33:5] [LOG_CNCL] [Warning]: MLU-Link on port 0 of device 3 is establishing, please wait, "
           b"or check it by command cnmon mlulink -c 3 -s\n[LOG_CNCL] [Warning]: MLU Direct RDMA is disabled, Host IB will be used.\n")
    result = cli(["explain", "-f", "json", "-"], input=log)
    data = json.loads(result.stdout)
    assert result.exit_code == 0
    assert [(f["id"], f["status"]) for f in data["findings"]] == [
        ("log.cncl-mlulink-establishing", "warn"), ("log.cncl-rdma-disabled", "warn")]
    assert data["findings"][0]["next"] == ["cnmon mlulink -c 3 -s"]


def test_no_space_remedy_points_at_the_data_root(cli):
    result = cli(["explain", CAPTURES / "docker_cp_no_space_left.log"])
    assert "docker info | grep 'Docker Root Dir'" in result.stdout and "df -i" in result.stdout


def test_chinese_output_for_a_new_signature(cli):
    result = cli(["explain", "--lang", "zh", CAPTURES / "cndrv_invoke_address_space_mlu370.log"])
    assert "属于应用程序错误，不是驱动问题" in result.stdout and "CN_INVOKE_ERROR_ADDRESS_SPACE" in result.stdout
