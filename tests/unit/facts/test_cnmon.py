"""cnmon parsers on real captures (1.x, v4.x, v5.x incl. a masked 8-card table) and labelled synthesised variants (v4.x, v6 header): layouts, pasted tables, info blocks, bad output."""

from __future__ import annotations

import pytest

from mlu_doctor.facts.cnmon import parse_cnmon_info, parse_cnmon_table
from tests.kit.files import DATA

MLU220 = (DATA / "cnmon_mlu220-m2_cnmon1.16_driver4.6.9.txt").read_text()
MLU370 = (DATA / "cnmon_mlu370-x4_cnmon5.10.10_2cards.txt").read_text()
NO_DRIVER = (DATA / "cnmon_no_driver.txt").read_text()

# SYNTHESISED, not captured: a CNMON v4.x table written by analogy with the 1.x capture (same per-card
# `Inited  Driver` column, `v` before the version), as cambricon.md describes the v4 layout.
CNMON_V4 = """\
Tue Mar 14 09:12:44 2023
+-----------------------------------------------------------------------------+
| CNMON v4.20.11                                                              |
+------------------------------+----------------------+-----------------------+
| Card  VF  Name      Firmware | Inited        Driver | Util        Ecc-Error |
| Fan   Temp     Pwr:Usage/Cap |         Memory-Usage |         vMemory-Usage |
|==============================+======================+=======================|
| 0     /   MLU370-X8   v1.1.4 | On          v4.20.11 | 0%          0         |
|  0%   35C      60 W/ 250 W   |     0 MiB/ 24576 MiB | 0 MiB/1048576 MiB     |
+------------------------------+----------------------+-----------------------+
| 1     /   MLU370-X8   v1.1.4 | On          v4.20.11 | 0%          0         |
|  0%   36C      61 W/ 250 W   |     0 MiB/ 24576 MiB | 0 MiB/1048576 MiB     |
+------------------------------+----------------------+-----------------------+
"""

# SYNTHESISED: `cnmon info` blocks (`Card N`, then `Key : value` lines) as cambricon.md describes them.
CNMON_INFO = """\
Card 0
Product Name                   : MLU370-X8
Product Type                   : MLU370
Firmware                       : v1.1.6
Driver                         : v5.10.26
Compute Mode                   : Default
Health State                   : In Service
Device ID                      : 0x0370
Sub-System ID                  : 0x0054
  Bus ID                       : 0000:1B:00.0
Card 1
Product Name                   : MLU370-X8
Firmware                       : v1.1.6
Driver                         : v5.10.26
"""


def test_cnmon_1x_mlu220_capture():
    facts = parse_cnmon_table(MLU220)
    assert (facts.status, facts.layout, facts.version, facts.driver_version) == ("ok", "1.x", "1.16.0", "4.6.9")
    [card] = facts.cards
    assert (card.index, card.name, card.family, card.firmware, card.is_vf) == (0, "MLU220-M2", "MLU220", "1.1.1", False)


def test_cnmon_v5_two_cards_with_driver_in_header_and_bus_ids():
    facts = parse_cnmon_table(MLU370)
    assert (facts.status, facts.layout, facts.version, facts.driver_version) == ("ok", "5.x", "5.10.10", "5.10.10")
    assert [(c.index, c.name, c.bus_id, c.driver_version) for c in facts.cards] == [
        (0, "MLU370-X4", "0000:1B:00.0", "5.10.10"),
        (1, "MLU370-X4", "0000:36:00.0", "5.10.10"),
    ]


def test_cnmon_v4_real_capture_three_cards():
    """CNMON v4.20.11 on a 3-card MLU370-X4 machine, as printed in PaddlePaddle's MLU install guide (2022)."""
    facts = parse_cnmon_table((DATA / "cnmon_mlu370-x4_cnmon4.20.11_3cards.txt").read_text())
    assert (facts.status, facts.layout, facts.version, facts.driver_version) == ("ok", "4.x", "4.20.11", "4.20.11")
    assert [(c.index, c.name, c.family, c.firmware, c.driver_version, c.is_vf) for c in facts.cards] == [
        (i, "MLU370-X4", "MLU370", "1.1.6", "4.20.11", False) for i in range(3)]


def test_cnmon_v4_synthesised_layout():
    facts = parse_cnmon_table(CNMON_V4)
    assert (facts.status, facts.layout, facts.version, facts.driver_version) == ("ok", "4.x", "4.20.11", "4.20.11")
    assert [c.family for c in facts.cards] == ["MLU370", "MLU370"]


@pytest.mark.parametrize("text", [NO_DRIVER, "Some banner\n" + NO_DRIVER, b"\xff\xfe" + NO_DRIVER.encode()])
def test_no_driver_whatever_surrounds_it(text):
    facts = parse_cnmon_table(text)
    assert facts.status == "no-driver" and "CNDEV_ERROR_NO_DRIVER" in facts.excerpt
    assert parse_cnmon_info(text).status == "no-driver"


@pytest.mark.parametrize(
    "text",
    [
        MLU220[: len(MLU220) // 2],  # cut inside the table
        MLU370[: MLU370.index("| 1     /")] + "| 1     /   MLU3",  # cut inside the second card row
        "",
        "garbage\x00\x01 not a table",
        b"\xff\xfe\xfa" * 200,
        MLU220.encode().replace(b"MLU220-M2", b"\xff\xfe\xfd"),  # binary junk where the card name is
        "| CNMON 1.16.0 |\n",  # a header and nothing else
    ],
)
def test_truncated_or_garbage_output_is_unparsed_not_an_exception(text):
    facts = parse_cnmon_table(text)
    assert facts.status == "unparsed"
    assert len(facts.excerpt) <= 1200 and all(c.isprintable() or c == "\n" for c in facts.excerpt)


def test_cnmon_info_blocks():
    facts = parse_cnmon_info(CNMON_INFO)
    assert (facts.status, facts.layout, facts.driver_version) == ("ok", "info", "5.10.26")
    assert [(c.index, c.name, c.family, c.firmware, c.bus_id) for c in facts.cards] == [
        (0, "MLU370-X8", "MLU370", "1.1.6", "0000:1B:00.0"),
        (1, "MLU370-X8", "MLU370", "1.1.6", None),
    ]


@pytest.mark.parametrize("text", ["", "Card 0\nnothing useful\n", "Driver : v5.10.26\n", b"\x80\x81"])
def test_cnmon_info_without_cards_or_names_is_unparsed(text):
    assert parse_cnmon_info(text).status == "unparsed"


# `cnmon info` shapes seen in public material: a v5 banner with nested sections (a nested
# "Driver : Running" under Health State must not replace the driver version), and an excerpt of
# `cnmon info -c 0` that starts at Product Name without a Card line (a BANG sample's README, 2023).
CNMON_INFO_NESTED = """\
================CNMON v5.10.22================
Card 0
    Product Name                   : MLU370-X4
    Driver                         : v5.10.22
    Health State                   :
        Device                     : Good
        Driver                     : Running
"""
CNMON_INFO_NO_CARD_LINE = """\
    Product Name                   : MLU370-X8
    Firmware                       : v1.1.6
    Driver                         : v5.10.26
    Compute Mode                   : Default
"""


def test_cnmon_info_banner_and_nested_keys():
    facts = parse_cnmon_info(CNMON_INFO_NESTED)
    assert (facts.status, facts.version, facts.driver_version) == ("ok", "5.10.22", "5.10.22")
    assert [(c.index, c.name) for c in facts.cards] == [(0, "MLU370-X4")]


def test_cnmon_info_without_a_card_line_is_card_0():
    facts = parse_cnmon_info(CNMON_INFO_NO_CARD_LINE)
    assert (facts.status, facts.driver_version) == ("ok", "5.10.26")
    assert [(c.index, c.name, c.firmware) for c in facts.cards] == [(0, "MLU370-X8", "1.1.6")]


CAPTURES = DATA / "captures"
MASKED = (CAPTURES / "cnmon_v5.10.31_masked_8cards.txt").read_text()


def test_masked_board_names_parse_with_unknown_family():
    """PaddleNLP's MLU guide: CNMON v5.10.31, 8 cards, names masked as MLUXXX-XX by the authors."""
    facts = parse_cnmon_table(MASKED)
    assert (facts.status, facts.layout, facts.version, facts.driver_version) == ("ok", "5.x", "5.10.31", "5.10.31")
    assert len(facts.cards) == 8 and {c.family for c in facts.cards} == {None}
    assert [c.bus_id for c in facts.cards][:2] == ["0000:4F:00.0", "0000:53:00.0"]


@pytest.mark.parametrize("paste", [
    lambda t: t.replace("\n", "\n\n"),                               # an issue body: blank line after every line
    lambda t: "\n".join("    " + ln for ln in t.splitlines()),       # indented as a markdown code block
    lambda t: "\n".join(" ".join(ln.split()) for ln in t.splitlines()),  # collapsed spacing
    lambda t: t.replace("\n", "\r\n"),
])
@pytest.mark.parametrize("capture", [MLU370, MASKED, MLU220], ids=["v5", "v5-masked", "1.x"])
def test_pasted_tables_still_parse(paste, capture):
    expected = parse_cnmon_table(capture)
    facts = parse_cnmon_table(paste(capture))
    assert facts.status == "ok"
    assert [(c.index, c.name, c.bus_id, c.driver_version) for c in facts.cards] == [
        (c.index, c.name, c.bus_id, c.driver_version) for c in expected.cards]


# SYNTHESISED, not captured (no public cnmon v6 table is known): the v5 layout of the MLU370 capture with
# the header reported in prose for MLU590-M9 hosts, "CNMON v6.5.48 / Driver v6.2.29".
CNMON_V6 = MLU370.replace("| CNMON v5.10.10                                               Driver v5.10.10 |",
                          "| CNMON v6.5.48                                                 Driver v6.2.29 |"
                          ).replace("MLU370-X4 ", "MLU590-M9 ")


def test_cnmon_v6_reads_the_driver_field_not_cnmon_version():
    facts = parse_cnmon_table(CNMON_V6)
    assert (facts.status, facts.layout, facts.version, facts.driver_version) == ("ok", "6.x", "6.5.48", "6.2.29")
    assert [(c.family, c.driver_version) for c in facts.cards] == [("MLU590", "6.2.29")] * 2


def test_versions_with_package_suffixes():
    info = parse_cnmon_info("Card 0\nProduct Name : MLU370-X4K\nDriver : v5.10.22-1\nFirmware : v1.1.6\n")
    assert (info.status, info.driver_version, info.cards[0].family) == ("ok", "5.10.22", "MLU370")


def test_processes_table_right_after_the_cards_ends_the_table():
    glued = MLU370.replace("+\n\n+", "+\n+")  # no blank line before the processes table
    facts = parse_cnmon_table(glued)
    assert facts.status == "ok" and len(facts.cards) == 2
