"""Why a value in a filled workbook was not used, or was changed, in the målform of whatever shows it.

The reader of filled workbooks gives every reason as a message (a bokmål message id with its values), read
where it is shown: the memo and the follow-up note, a regenerated workbook's Regenerering sheet and the notes
beside the inputs on Inndata and Oppfølging, and the regional overview's notes. So a nynorsk workbook with an
invalid value gets nynorsk reasons everywhere, a bokmål one the bokmål texts it always had, and a note a
regeneration left (in either målform, or in bokmål by an older kj-budget) is found again by the next one.
"""

from __future__ import annotations

import datetime as dt
import pickle
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import scenarios
from conftest import TODAY
from filling import filled_in_each_malform
from malform_words import forms_found, untranslated_sources
from test_generic_estimates import workbook_texts

from workbook_builder.cli.main import main
from workbook_builder.core.estimates import parse_estimates
from workbook_builder.core.model import Inputs, choice_label
from workbook_builder.services.collect import overview_rows, read_one
from workbook_builder.services.memo import render_memo_html
from workbook_builder.services.regenerate import regenerate
from workbook_builder.services.source import filled_budget
from workbook_builder.sheets import inndata, oppfolging
from workbook_builder.workbook import build_workbook
from workbook_builder.xlsx.filled_reader import WorkbookFile, read_workbook


def typed(est, malform: str) -> dict[str, Any]:
    """What a user types: two step rows whose counts are no numbers («tolv», and «1.000», which may be a
    thousand or one), a municipality number of two digits, and a step row whose group is given by its id."""
    return {"kj_municipality": "Voss", "kj_municipality_number": "12",
            "kj_step_group#1": choice_label(est, "group", "a", malform), "kj_step_staff#1": "tolv",
            "kj_step_group#2": choice_label(est, "group", "b", malform), "kj_step_staff#2": "1.000",
            "kj_step_group#3": "a", "kj_step_staff#3": 5}


@pytest.fixture(scope="module")
def filled(est, tmp_path_factory) -> dict[str, Path]:
    """The same values typed into a bokmål and a nynorsk workbook."""
    return filled_in_each_malform(est, tmp_path_factory.mktemp("reasons"), typed, TODAY)


@pytest.fixture(scope="module")
def regenerated(est, filled, tmp_path_factory) -> dict[str, Path]:
    """Each filled workbook regenerated (`build --from`), in its own målform."""
    root = tmp_path_factory.mktemp("regenerated")
    out = {}
    for malform, path in filled.items():
        reg = regenerate(path, est, today=TODAY)
        assert reg.built.budget.params.malform == malform
        out[malform] = root / f"voss-{malform}.xlsx"
        out[malform].write_bytes(reg.built.data)
    return out


def memo_items(html: str) -> list[str]:
    """The memo's list of invalid values (section 6), one item per value."""
    return re.findall(r"<li>([^<]*«[^<]*)</li>", html)


def memo_of(est, path: Path, malform: str | None = None) -> str:
    filled_, b = filled_budget(path, est, malform)
    return render_memo_html(est, filled_.inputs, b, findings=filled_.findings, today=TODAY)


def input_notes(path: Path, key: str) -> str:
    """The note beside an input on Inndata (column J), by the input's defined name."""
    name, _, row = key.partition("#")
    with WorkbookFile(path) as wb:
        ref = wb.names[name]
        return wb.cell(ref.sheet, ref.first[0] + (int(row) - 1 if row else 0), inndata.C_NOTE).value


def regenerering(path: Path) -> list[str]:
    return [c.value for row in openpyxl.load_workbook(path)["Regenerering"].iter_rows() for c in row
            if isinstance(c.value, str)]


def regenerering_row(path: Path, key: str) -> list[Any]:
    """The Regenerering sheet's row for an input: label, name, value before, value now, …, note."""
    rows = openpyxl.load_workbook(path)["Regenerering"].iter_rows(values_only=True)
    return list(next(row for row in rows if row[1] == key))


# ------------------------------------------------------------------------------------------- the memo


NN_ITEMS = [
    "Kommunenummer: «12» – må vere fire siffer, t.d. 3405 eller 0301, fekk «12»",
    "Trinn 1: Tal på helsepersonell: «tolv» – tekst, ikkje eit heilt tal",
    "Trinn 2: Tal på helsepersonell: «1.000» – tekst, ikkje eit heilt tal: «1.000» er tvitydig",
    "Trinn 3: Gruppe: «a» – vel frå lista",
]
NB_ITEMS = [  # as kj-budget has always written them
    "Kommunenummer: «12» – må være fire sifre, f.eks. 3405 eller 0301, fikk «12»",
    "Trinn 1: Antall helsepersonell: «tolv» – tekst, ikke et helt tall",
    "Trinn 2: Antall helsepersonell: «1.000» – tekst, ikke et helt tall: «1.000» er tvetydig",
    "Trinn 3: Gruppe: «a» – velg fra listen",
]


def test_a_nynorsk_memo_says_in_nynorsk_why_a_value_was_not_used(est, filled):
    html = memo_of(est, filled["nn"])
    assert '<html lang="nn">' in html
    assert sorted(memo_items(html)) == sorted(NN_ITEMS)
    assert "<li lang=" not in html  # nothing in the list is marked as bokmål any more
    assert forms_found(memo_items(html), "bokmaal_only") == {}


def test_a_bokmaal_memo_says_why_as_it_always_did(est, filled):
    html = memo_of(est, filled["nb"])
    assert sorted(memo_items(html)) == sorted(NB_ITEMS)


def test_the_reasons_follow_the_memos_malform_not_the_workbooks(est, filled, tmp_path, capsys):
    """The reasons are read where the memo is written: `memo --malform nb` of a nynorsk workbook is all bokmål."""
    assert sorted(memo_items(memo_of(est, filled["nn"], "nb"))) == sorted(NB_ITEMS)
    assert main(["memo", str(filled["nb"]), "--malform", "nn", "--out", str(tmp_path / "nn.html")]) == 0
    capsys.readouterr()
    assert sorted(memo_items((tmp_path / "nn.html").read_text(encoding="utf-8"))) == sorted(NN_ITEMS)


# ------------------------------------------------------------------------------------------- the regenerated workbook


def test_a_regenerated_nynorsk_workbook_notes_the_value_and_why_in_nynorsk(regenerated):
    new = regenerated["nn"]
    assert input_notes(new, "kj_step_staff#1") == ("Tal på helsepersonell: ikkje overført frå den førre arbeidsboka: "
                                                   "«tolv» – tekst, ikkje eit heilt tal. Skriv inn ein gyldig verdi.")
    assert input_notes(new, "kj_step_staff#2") == (
        "Tal på helsepersonell: ikkje overført frå den førre arbeidsboka: «1.000» – tekst, ikkje eit heilt tal: "
        "«1.000» er tvitydig. Skriv inn ein gyldig verdi.")
    assert input_notes(new, "kj_municipality_number") == (
        "Kommunenummer: ikkje overført frå den førre arbeidsboka: «12» – må vere fire siffer, t.d. 3405 eller 0301, "
        "fekk «12». Skriv inn ein gyldig verdi.")
    report = regenerering(new)
    assert "Ikkje ført over: tekst, ikkje eit heilt tal; står som merknad ved feltet på Inndata (kolonne J)." in report
    assert "Trinn 1: Tal på helsepersonell" in report and "Trinn 3: Gruppe" in report
    assert "Endra: «a» er «a: Sjukeheimslegar»" in report
    # the value now, as the workbook's list shows it (a value typed as the list's id, or its nynorsk label)
    assert regenerering_row(new, "kj_step_group#3")[:4] == ["Trinn 3: Gruppe", "kj_step_group#3", "a",
                                                           "a: Sjukeheimslegar"]
    assert regenerering_row(new, "kj_step_group#1")[2:4] == ["a: Sjukeheimslegar", "a: Sjukeheimslegar"]


def test_a_regenerated_nynorsk_workbook_has_no_bokmaal_word_form(est, regenerated):
    assert forms_found(workbook_texts(regenerated["nn"]), "bokmaal_only", untranslated_sources(Path(est.file))) == {}


def test_a_regenerated_bokmaal_workbook_has_the_bokmaal_texts_it_always_had(regenerated):
    new = regenerated["nb"]
    assert input_notes(new, "kj_step_staff#1") == ("Antall helsepersonell: ikke overført fra forrige arbeidsbok: "
                                                   "«tolv» – tekst, ikke et helt tall. Skriv inn en gyldig verdi.")
    report = regenerering(new)
    assert "Ikke ført over: tekst, ikke et helt tall; står som merknad ved feltet på Inndata (kolonne J)." in report
    assert "Trinn 1: Antall helsepersonell" in report
    assert "Endret: «a» er «a: Sykehjemsleger»" in report
    assert regenerering_row(new, "kj_step_group#3")[2:4] == ["a", "a: Sykehjemsleger"]
    assert forms_found(report, "nynorsk_only") == {}


WAITING = {"kj_municipality_number", "kj_step_staff#1", "kj_step_staff#2"}


@pytest.mark.parametrize("malform", ["nn", "nb"])
def test_a_second_regeneration_finds_the_note_and_the_value_still_waits(est, regenerated, malform, tmp_path):
    again = regenerate(regenerated[malform], est, today=TODAY)
    waiting = {p.key: p for p in again.report.not_carried}
    assert set(waiting) == WAITING
    assert waiting["kj_step_staff#1"].raw == "tolv" and waiting["kj_step_staff#1"].text == input_notes(
        regenerated[malform], "kj_step_staff#1")
    assert {"kj_municipality_number", "kj_step_staff"} <= set(again.old.inputs.invalid)  # Kontroll still fails
    newer = tmp_path / "igjen.xlsx"
    newer.write_bytes(again.built.data)
    for key in WAITING:  # the same note, word for word
        assert input_notes(newer, key) == input_notes(regenerated[malform], key), key
    why = {"nn": "framleis tomt etter ei tidlegare regenerering",
           "nb": "fortsatt tomt etter en tidligere regenerering"}[malform]
    assert (f"Ikkje ført over: {why}; står som merknad ved feltet på Inndata (kolonne J)." if malform == "nn" else
            f"Ikke ført over: {why}; står som merknad ved feltet på Inndata (kolonne J).") in regenerering(newer)
    label = {"nn": "Trinn 1: Tal på helsepersonell", "nb": "Trinn 1: Antall helsepersonell"}[malform]
    assert f"{label}: «tolv» – {why}" in memo_items(memo_of(est, newer))


@pytest.mark.parametrize(("written", "now"), [("nb", "nn"), ("nn", "nb")])
def test_a_note_in_the_other_malform_is_found_and_carried_as_it_was_written(est, regenerated, written, now, tmp_path):
    """`build --from --malform`: a note written in one målform (or in bokmål by an older kj-budget) is found in
    a workbook rebuilt in the other, and carried as it stands (its reason is not known any more)."""
    again = regenerate(regenerated[written], est, today=TODAY, malform=now)
    assert {p.key for p in again.report.not_carried} == WAITING
    newer = tmp_path / "byta.xlsx"
    newer.write_bytes(again.built.data)
    assert read_workbook(newer, est).inputs.malform == now
    assert input_notes(newer, "kj_step_staff#1") == input_notes(regenerated[written], "kj_step_staff#1")


@pytest.mark.parametrize(("malform", "sizes", "first_year"), [
    ("nn", "Referansestorleikar (tal på helsepersonell)", "Første budsjettår når feltet er tomt"),
    ("nb", "Referansestørrelser (antall helsepersonell)", "Første budsjettår når feltet er tomt")])
def test_the_estimates_that_changed_are_named_in_the_workbooks_malform(est, tmp_path, malform, sizes, first_year):
    """The changed figures the reader names itself (the reference sizes, the default first budget year)."""
    text = est.text.replace("values = [30, 100, 400]", "values = [30, 120, 400]", 1)
    assert text != est.text
    old = tmp_path / "gammal.xlsx"
    build_workbook(old, est, Inputs(malform=malform), today=dt.date(2025, 6, 1))
    reg = regenerate(old, parse_estimates(text, file="nye.toml"), today=TODAY)  # a blank first year moves on
    new = tmp_path / "ny.xlsx"
    new.write_bytes(reg.built.data)
    assert regenerering_row(new, "kj_est_sizes")[0] == sizes
    assert regenerering_row(new, "kj_meta_default_first_year")[0] == first_year


# ------------------------------------------------------------------------------------------- Oppfølging


def test_an_invalid_actual_is_noted_on_oppfolging_in_nynorsk_and_found_again(est, tmp_path):
    today = dt.date(2026, 11, 2)  # as test_followup_reader: the first budget year is 2027
    path = tmp_path / "fulgt-opp.xlsx"
    build_workbook(path, est, replace(scenarios.scenarios()["followup"], malform="nn"), today=today)
    wb = openpyxl.load_workbook(path)
    (sheet, ref), = wb.defined_names[oppfolging.actual_name("eid")].destinations
    wb[sheet][ref.split(":")[0].replace("$", "")] = "mange"
    wb.save(path)
    reg = regenerate(path, est, today=today)
    new = tmp_path / "ny.xlsx"
    new.write_bytes(reg.built.data)
    name = reg.built.register.names[oppfolging.actual_name("eid")]
    year = reg.built.budget.params.first_year
    label = f"Faktisk tal: Anskaffing av e-ID nivå høgt {year}"
    with WorkbookFile(new) as book:
        note = book.cell(name.sheet, name.first[0], oppfolging.C_NOTE).value
    assert note == (f"{label}: ikkje overført frå den førre arbeidsboka: «mange» – tekst, ikkje eit tal. "
                    "Skriv inn ein gyldig verdi.")
    assert label in regenerering(new)
    assert "Ikkje ført over: tekst, ikkje eit tal; står som merknad ved feltet på Oppfølging." in regenerering(new)
    twice = regenerate(new, est, today=today)
    pending = next(p for p in twice.report.problems if p.key == f"{oppfolging.actual_name('eid')}#1")
    assert pending.text == note and pending.raw == "mange" and pending.label_in("nn") == label


# ------------------------------------------------------------------------------------------- the regional overview


@pytest.mark.parametrize(("malform", "named"), [("nn", "Trinn 1: Tal på helsepersonell «tolv»"),
                                                ("nb", "Trinn 1: Antall helsepersonell «tolv»")])
def test_the_overview_names_the_invalid_values_in_its_malform(est, filled, malform, named):
    entry = read_one(filled["nn"], est, TODAY)
    entry = pickle.loads(pickle.dumps(entry))  # as a worker process sends it back
    _, rows = overview_rows([entry], est, malform=malform)
    note = rows[0][-2]
    assert named in note, note
    assert note.startswith({"nn": "4 ugyldige verdiar er ikkje brukte: ", "nb": "4 ugyldige verdier er ikke brukt: "}
                           [malform])
