"""Cambricon PCI ids, board SKUs and device names, normalised to families (pure data + lookups)."""

from __future__ import annotations

import re
from typing import Optional

VENDOR = "0xcabc"
PCI_CLASS_ACCEL = 0x12

# device id -> (family, is_vf)
DEVICE_IDS: dict[int, tuple[str, bool]] = {
    0x0100: ("MLU100", False),
    0x0220: ("MLU220", False),
    0x0228: ("MLU220", False),  # edge
    0x0270: ("MLU270", False),
    0x0201: ("MLU270", True),
    0x0271: ("MLU270", True),
    0x0290: ("MLU290", False),
    0x0291: ("MLU290", True),
    0x0365: ("MLU365", False),
    0x0366: ("MLU365", True),
    0x0370: ("MLU370", False),
    0x0371: ("MLU370", True),
    0x0379: ("MLU370", False),
    0x0560: ("MLU560", False),
    0x0561: ("MLU560", True),
    0x0570: ("MLU570", False),
    0x0571: ("MLU570", True),
    0x0580: ("MLU580", False),
    0x0581: ("MLU580", True),
    0x0585: ("MLU585", False),
    0x0586: ("MLU585", True),
    0x0590: ("MLU590", False),
    0x0591: ("MLU590", True),
}

# (device id, subsystem device id) -> board
SKUS: dict[tuple[int, int], str] = {
    (0x0220, 0x0033): "MLU220-M2",
    (0x0270, 0x0012): "MLU270-S4",
    (0x0270, 0x0016): "MLU270-X5K",
    (0x0270, 0x0024): "MLU270-V4K",
    (0x0370, 0x0052): "MLU370-X4L",
    (0x0370, 0x0053): "MLU370-S4",
    (0x0370, 0x0054): "MLU370-X8",
    (0x0370, 0x0057): "MLU370-X4",
}

# Board models seen in public material (cnmon tables, /proc, device plugins, vendor test scripts). A model
# outside this table keeps its family (the digits are real) and is reported as printed.
BOARDS: frozenset[str] = frozenset({
    "MLU100-C", "MLU100-D",
    "MLU220-M2", "MLU220-EDGE",
    "MLU270-S4", "MLU270-F4", "MLU270-X5K", "MLU270-V4K",
    "MLU290-M5",
    "MLU365-D2",
    "MLU370-S4", "MLU370-S8", "MLU370-X4", "MLU370-X4K", "MLU370-X4L", "MLU370-X8", "MLU370-X9", "MLU370-X9L",
    "MLU370-M8", "MLU370-EVBS",
    "MLU560", "MLU570", "MLU580", "MLU585",
    "MLU590-H8", "MLU590-M9", "MLU590-M9D", "MLU590-M9DK", "MLU590-M9DG", "MLU590-M9DE", "MLU590-M9U",
})

# The driver prints "<board>-VF" for a virtual function (its proc code: sprintf("%s-VF", model)).
_NAME = re.compile(r"^\s*mlu[-_ ]?(\d{3})(?:[-_ ]?(?!vf\s*$)([a-z0-9]+))?(?:[-_ ]vf)?\s*$", re.IGNORECASE)
# shared outputs hide the board: MLUXXX-XX, MLU********, MLU370-XX
_MASKED = re.compile(r"^[x*]+$", re.IGNORECASE)


def family_of_device_id(device_id: int) -> tuple[Optional[str], bool]:
    """Family and VF flag for a PCI device id; (None, False) when unknown."""
    return DEVICE_IDS.get(device_id, (None, False))


def normalise_name(name: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """`mlu-220 M2` / `MLU220-M2` / `MLU590-M9DK` / `MLU370-X8-VF` -> (family, model); unknown or masked
    (`MLUXXX-XX`, `MLU********`) -> (None, None); a masked suffix (`MLU370-XX`) -> (family, None)."""
    if not name:
        return None, None
    m = _NAME.match(name)
    if not m:
        return None, None
    family = f"MLU{m.group(1)}"
    if m.group(2) and _MASKED.match(m.group(2)):
        return family, None
    model = f"{family}-{m.group(2).upper()}" if m.group(2) else family
    return family, model


def is_known_board(model: Optional[str]) -> bool:
    """Whether `model` (normalised) is a board seen in public material."""
    return model in BOARDS


def uses_ipcm(family: Optional[str]) -> bool:
    """MLU370 and later cards expose /dev/cambricon_ipcmN for inter-card communication."""
    if not family or (generation(family) or 0) < 3:
        return False
    return family[3:].isdigit() and int(family[3:]) >= 370


def generation(family: Optional[str]) -> Optional[int]:
    """2 for MLU2xx, 3 for MLU3xx, 5 for MLU5xx, 1 for MLU100; None when unknown."""
    if not family or not family.startswith("MLU") or not family[3:].isdigit():
        return None
    return int(family[3])
