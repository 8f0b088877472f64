"""The English reasons of the command line quote the labels and list values of the text that shows them.

The terminal's sentences are English (the project's rule for the command line), but what they quote, an input's
label or a list's values, is the workbook's: a reason is an `English` sentence whose labels are the same messages
its Norwegian reason reads, so one rule picks the label for both. `en` reads them in bokmål (what every
command line showed before, byte for byte); `en_in(malform)` in the målform of the report: a regeneration's new
workbook, the workbook `check` reads.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY
from filling import fill, filled_in_each_malform
from test_regeneration_terminal_malform import bokmaal_labels

from workbook_builder.cells import INPUT_BY_NAME, TEXT_MAX
from workbook_builder.cli.main import main
from workbook_builder.core.errors import InputError
from workbook_builder.core.i18n import N_, English, Message
from workbook_builder.core.model import Inputs, choice_label, parse_group, parse_level
from workbook_builder.core.municipality import parse_municipality_number
from workbook_builder.workbook import build_workbook
from workbook_builder.xlsx.filled_reader import read_workbook

VENDOR_OTHER = INPUT_BY_NAME["kj_vendor_other"].label


def typed(est, malform: str) -> dict[str, Any]:
    """A list value typed in lower case, one by its id, a group not on the list and a vendor name too long."""
    return {"kj_municipality": "Voss", "kj_municipality_number": "4621", "kj_vendor": "other",
            "kj_vendor_other": "x" * 120, "kj_uncertainty": choice_label(est, "level", "hoy", malform).lower(),
            "kj_step_group#1": "x", "kj_step_staff#1": 4}


@pytest.fixture(scope="module")
def filled_in(est, tmp_path_factory) -> dict[str, Path]:
    return filled_in_each_malform(est, tmp_path_factory.mktemp("english"), typed, TODAY)


def group_labels(est, malform: str) -> str:
    return "; ".join(choice_label(est, "group", g.id, malform) for g in est.groups)


def old_group_refusal(est, text: str) -> str:
    """The refusal of a group as the command line has always written it (bokmål labels)."""
    ids = ", ".join(g.id.replace("_", "-") for g in est.groups)
    return f"unknown rollout group {text!r} (use one of: {ids}, or {'; '.join(g.label for g in est.groups)})"


# ----------------------------------------------------------------------------- the sentence


def test_an_english_sentence_reads_the_messages_it_quotes_in_the_malform_asked_for():
    label = Message(N_("Navn på annen leverandør"))
    sentence = English("{label}: must be at most {limit} characters, got {raw!r}", label=label, limit=100,
                       raw="{x}")
    assert sentence.text() == str(sentence) == "Navn på annen leverandør: must be at most 100 characters, got '{x}'"
    assert sentence.text("nn") == "Namn på annan leverandør: must be at most 100 characters, got '{x}'"
    nested = English("text, not a number: {why}", why=sentence)
    assert nested.text("nn") == "text, not a number: " + sentence.text("nn")
    assert English("a {brace} as it stands").text("nn") == "a {brace} as it stands"  # no values: not a template
    known = Message.known("Høy", "Høg")
    assert English("{v!r} is the list value {label!r}", v="høg", label=known).text("nn") == \
        "'høg' is the list value 'Høg'"
    assert pickle.loads(pickle.dumps(sentence)) == sentence
    assert sentence != Message(sentence.msgid, **sentence.values)  # not a Norwegian message: never looked up
    with pytest.raises(ValueError, match="unknown målform"):
        sentence.text("en")


def test_a_list_refusal_quotes_the_lists_labels_in_either_malform_and_in_bokmaal_as_before(est):
    with pytest.raises(InputError) as caught:
        parse_group(est, "x")
    exc = caught.value
    assert exc.en == str(exc) == exc.en_in("nb") == old_group_refusal(est, "x")
    assert exc.en_in("nn") == old_group_refusal(est, "x").replace(group_labels(est, "nb"), group_labels(est, "nn"))
    assert group_labels(est, "nn") != group_labels(est, "nb")
    back = pickle.loads(pickle.dumps(exc))  # worker processes (batch, collect)
    assert (back.en, back.en_in("nn"), back.text("nn")) == (exc.en, exc.en_in("nn"), exc.text("nn"))
    with pytest.raises(InputError) as missing:
        parse_level(est, "")
    levels_nn = "; ".join(choice_label(est, "level", lv.id, "nn") for lv in est.uncertainty.levels)
    assert missing.value.en.startswith("uncertainty level is missing (use one of: ")
    assert missing.value.en_in("nn").endswith(f", or {levels_nn})")


def test_a_plain_english_refusal_reads_the_same_in_every_malform():
    exc = InputError("x", "x must be a {thing}", N_("Antall helsepersonell"))
    assert exc.en == exc.en_in("nn") == "x must be a {thing}"
    with pytest.raises(InputError) as caught:
        parse_municipality_number("12", "--municipality-number")
    assert caught.value.en == caught.value.en_in("nn") == "--municipality-number must be four digits, got '12'"


# ----------------------------------------------------------------------------- the reader


def test_the_readers_reasons_quote_the_labels_in_the_malform_asked_for_and_in_bokmaal_by_en(est, filled_in):
    for malform in ("nb", "nn"):
        fw = read_workbook(filled_in[malform], est)
        carried = {c.key: c for c in fw.carried}
        problems = {p.key: p for p in fw.problems}
        typed_level = choice_label(est, "level", "hoy", malform).lower()
        uncertainty = carried["kj_uncertainty"]
        assert uncertainty.en == f"{typed_level!r} is the list value 'Høy'"  # bokmål, as it always was
        assert uncertainty.en_in("nn") == f"{typed_level!r} is the list value 'Høg'"
        assert carried["kj_vendor"].en_in("nn") == "'other' is the list value 'Annan leverandør'"
        too_long = problems["kj_vendor_other"]
        assert too_long.en == f"{VENDOR_OTHER}: must be at most {TEXT_MAX} characters, has 120"
        assert too_long.en_in("nn") == f"Namn på annan leverandør: must be at most {TEXT_MAX} characters, has 120"
        assert problems["kj_step_group#1"].en == old_group_refusal(est, "x")
        assert group_labels(est, "nn") in problems["kj_step_group#1"].en_in("nn")
        assert problems["kj_step_group#1"].en_in("nb") == problems["kj_step_group#1"].en


def test_a_municipality_number_refused_in_a_workbook_is_named_by_its_label_in_either_malform(est, tmp_path):
    blank = tmp_path / "blank.xlsx"
    build_workbook(blank, est, Inputs(malform="nn"), today=TODAY)
    fw = read_workbook(fill(blank, {"kj_municipality_number": "12"}, tmp_path / "nn.xlsx"), est)
    (problem,) = [p for p in fw.problems if p.key == "kj_municipality_number"]
    assert problem.en == problem.en_in("nn") == "Kommunenummer: must be four digits, got '12'"
    assert isinstance(problem.english, English)  # the label is a message: read where it is shown


# ----------------------------------------------------------------------------- check


def checked(path: Path, capsys, *more: str) -> tuple[list[str], dict[str, Any]]:
    """`kj-budget check PATH` (its lines) and `check --json` (its reasons by input)."""
    assert main(["check", str(path), *more]) == 1  # the values are invalid: Kontroll fails
    lines = capsys.readouterr().out.splitlines()
    assert main(["check", str(path), "--json", *more]) == 1
    reasons = {p["name"]: p["reason"] for p in json.loads(capsys.readouterr().out)["problems"]}
    return [line for line in lines if line.startswith("  INVALID ")], reasons


def test_check_quotes_a_nynorsk_workbooks_labels_as_the_workbook_shows_them(est, filled_in, capsys):
    """`check` has no new workbook: its reasons quote the labels of the workbook it reads."""
    lines, reasons = checked(filled_in["nn"], capsys)
    assert f"  INVALID kj_vendor_other = {'x' * 120!r}: Namn på annan leverandør: must be at most {TEXT_MAX} " \
           "characters, has 120" in lines
    assert reasons["kj_step_group#1"] == old_group_refusal(est, "x").replace(group_labels(est, "nb"),
                                                                             group_labels(est, "nn"))
    shown = [*lines, *reasons.values()]
    assert {nb: where for nb in bokmaal_labels(est) if (where := [r for r in shown if nb in r])} == {}


def test_check_quotes_a_bokmaal_workbooks_labels_as_it_always_did(est, filled_in, capsys):
    lines, reasons = checked(filled_in["nb"], capsys)
    assert f"  INVALID kj_vendor_other = {'x' * 120!r}: {VENDOR_OTHER}: must be at most {TEXT_MAX} characters, " \
           "has 120" in lines
    assert f"  INVALID kj_step_group#1 = 'x': {old_group_refusal(est, 'x')}" in lines
    assert reasons["kj_step_group#1"] == old_group_refusal(est, "x")
