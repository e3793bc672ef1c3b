"""The toolkit probe: pure parsers, resolution order and loader paths, no toolkit anywhere."""

from __future__ import annotations

from mlu_doctor.facts.toolkit import lib_versions, parse_dpkg_status, parse_version_txt
from tests.kit import hosts
from tests.kit.files import write
from tests.kit.hosts import facts_of


def test_toolkit_pure_parsers():
    assert parse_version_txt("Neuware Version 3.9.0\n") == "3.9.0"
    assert parse_version_txt("garbage") is None
    names = ["libcnrt.so", "libcnrt.so.6", "libcnrt.so.6.7.0", "libcnnl.so.1.21.1", "libcncl.so", "libfoo.so.1"]
    assert lib_versions(names) == {"cnrt": "6.7.0", "cnnl": "1.21.1", "cncl": ""}
    status = "Package: cntoolkit\nStatus: deinstall ok config-files\nVersion: 1.6.0-1\n\n"
    assert parse_dpkg_status(status) is None
    assert parse_dpkg_status(status + "Package: cntoolkit\nStatus: install ok installed\nVersion: 1.7.14-1.ubuntu18.04\n") \
        == ("cntoolkit", "1.7.14")


def test_toolkit_resolution_order_and_loader_paths(tmp_path):
    host = hosts.mlu370_host(tmp_path)
    hosts.add_neuware(host.root, home="/torch/neuware_home", version="3.9.0")
    host.env.update(NEUWARE_HOME="/nowhere", LD_LIBRARY_PATH="/usr/lib")
    write(host.root / "etc/ld.so.conf.d/neuware.conf", "/usr/local/neuware/lib64/\n")
    tk = facts_of(host, ("toolkit",)).toolkit
    assert tk.looked_at == ["/nowhere", "/usr/local/neuware"], "stops at the first hit"
    assert (tk.neuware_home, tk.source, tk.neuware_home_env) == ("/usr/local/neuware", "/usr/local/neuware", "/nowhere")
    assert tk.lib64_on_ld_path is False and tk.lib64_in_ld_conf is True


def test_no_toolkit_anywhere(tmp_path):
    host = hosts.no_driver_host(tmp_path)
    import shutil

    shutil.rmtree(host.root / "usr/local/neuware")
    host.env["NEUWARE_HOME"] = ""
    tk = facts_of(host, ("toolkit",)).toolkit
    assert tk.neuware_home is None and tk.version is None
    assert tk.looked_at == ["/usr/local/neuware", "/torch/neuware_home", "/var/lib/dpkg/status"]
