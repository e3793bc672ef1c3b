"""Board names: every public MLU5xx / MLU370 spelling known, masked names unknown, never guessed."""

from __future__ import annotations

import pytest

from mlu_doctor.facts.device import parse_information
from mlu_doctor.facts.families import BOARDS, generation, is_known_board, normalise_name, uses_ipcm


@pytest.mark.parametrize("name, family, model", [
    ("MLU590-M9", "MLU590", "MLU590-M9"),
    ("MLU590-M9D", "MLU590", "MLU590-M9D"),
    ("MLU590-M9DK", "MLU590", "MLU590-M9DK"),
    ("MLU590-M9DG", "MLU590", "MLU590-M9DG"),
    ("MLU590-M9DE", "MLU590", "MLU590-M9DE"),
    ("MLU590-M9U", "MLU590", "MLU590-M9U"),
    ("MLU580", "MLU580", "MLU580"),
    ("MLU560", "MLU560", "MLU560"),
    ("MLU370-X4K", "MLU370", "MLU370-X4K"),
    ("MLU370-S4", "MLU370", "MLU370-S4"),
    ("MLU370-M8", "MLU370", "MLU370-M8"),
    ("MLU370-X8-VF", "MLU370", "MLU370-X8"),
    ("mlu-220 M2", "MLU220", "MLU220-M2"),
    ("mlu-270 F4", "MLU270", "MLU270-F4"),
    ("MLU370 X8", "MLU370", "MLU370-X8"),
])
def test_public_board_names_are_known(name, family, model):
    assert normalise_name(name) == (family, model) and is_known_board(model)


@pytest.mark.parametrize("name", ["MLUXXX-XX", "MLU********", "MLU***", "MLU5XX-M9", "mlu-cambricon", "", None,
                                  "GPU-A100", "MLU"])
def test_masked_or_foreign_names_are_unknown(name):
    assert normalise_name(name) == (None, None)


def test_a_masked_suffix_keeps_the_real_family_only():
    assert normalise_name("MLU370-XX") == ("MLU370", None)


def test_an_unlisted_model_keeps_family_and_spelling_but_is_not_known():
    family, model = normalise_name("MLU370-Z9")
    assert (family, model) == ("MLU370", "MLU370-Z9") and not is_known_board(model)


def test_generations_and_ipcm():
    assert [generation(f) for f in ("MLU100", "MLU220", "MLU370", "MLU590", "MLU560", None)] == [1, 2, 3, 5, 5, None]
    assert [uses_ipcm(f) for f in ("MLU270", "MLU365", "MLU370", "MLU580", "MLU590", None)] == [
        False, False, True, True, True, False]
    assert all(normalise_name(b)[1] == b for b in BOARDS)


def test_proc_information_with_a_masked_device_name_is_unknown_not_guessed():
    card = parse_information("Device name: MLUXXX-XX\nDriver Version: v5.10.31\n", "0000:4f:00.0")
    assert (card.family, card.model, card.driver_version) == (None, None, "5.10.31")
