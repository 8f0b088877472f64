"""The vendor notice: to the EPJ vendor chosen in the workbook (or the name typed for «Annen leverandør»),
copy to the national project's address from the estimates; by default an inquiry before a decision, with
--decided the decision; no budgeted amount unless --with-budget; refused clearly when there is no vendor."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import TODAY
from filling import fill

from workbook_builder.cli.main import main
from workbook_builder.core.model import Inputs, Step, budget
from workbook_builder.services.notice import NoticeRefused, notice_text
from workbook_builder.workbook import build_workbook

HALDEN = Inputs(municipality="Halden", municipality_number="3101", vendor="cosdoc", eid="bankid_mobil",
                first_year=2027, steps=(Step(10, "a", "", 2027), Step(45, "b", "KAD", 2027), Step(120, "c", "", 2029)))


@pytest.fixture(scope="module")
def workbooks(est, tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("notice")
    template = root / "mal.xlsx"
    build_workbook(template, est, Inputs(), today=TODAY)
    base = {"kj_municipality": "Ringebu", "kj_municipality_number": "3439", "kj_step_group#1": "a: Sykehjemsleger",
            "kj_step_staff#1": 2, "kj_step_group#2": "c: Hjemmesykepleie og tjenestekontor", "kj_step_staff#2": 18,
            "kj_step_year#2": 2028, "kj_first_year": 2027}
    return {
        "profil": fill(template, {**base, "kj_vendor": "Visma (Profil)"}, root / "ringebu.xlsx"),
        "priced": fill(template, {**base, "kj_vendor": "Visma (Profil)", "kj_vendor_module_kr": 85_000},
                       root / "ringebu-pris.xlsx"),
        "no-vendor": fill(template, base, root / "uten-leverandor.xlsx"),
        "other": fill(template, {**base, "kj_vendor": "Annen leverandør", "kj_vendor_other": "Helseplattformen (Epic)"},
                      root / "ringebu-annen.xlsx"),
        "other-no-name": fill(template, {**base, "kj_vendor": "Annen leverandør"}, root / "annen-uten-navn.xlsx"),
    }


AMOUNT = re.compile(r"\d kr\b")  # any amount in kroner («120 000 kr»)


def decided_words(text: str) -> list[str]:
    return [w for w in ("besluttet", "vedtatt", "vedtak") if w in text.casefold()]


def test_notice_is_by_default_an_inquiry_with_no_amount_and_nothing_decided(est):
    priced = Inputs(**{**HALDEN.__dict__, "vendor_module_kr": 120_000.0})
    text = notice_text(est, priced, budget(est, priced, TODAY), today=TODAY)
    lines = text.splitlines()
    assert lines[0] == "Til: DIPS Front (CosDoc), kundekontakt for CosDoc"
    assert lines[1] == f"Kopi: {est.contact_email}" == "Kopi: kjernejournal-sht@nhn.no"
    assert lines[2].startswith("Emne: ") and "Halden (3101)" in lines[2] and "forespørsel" in lines[2]
    assert decided_words(text) == [] and not AMOUNT.search(text) and "budsjett" not in text
    assert "Halden kommune vurderer å innføre kjernejournal" in text
    for part in ("Omfanget vi planlegger:", "Helsepersonell som skal ta i bruk kjernejournal: 175",
                 "a: Sykehjemsleger: 10 helsepersonell fra 2027",
                 "b: Legemiddelansvarlige, korttidsavdelinger – KAD: 45 helsepersonell fra 2027",
                 "c: Hjemmesykepleie og tjenestekontor: 120 helsepersonell fra 2029",
                 "e-ID på sikkerhetsnivå høyt: BankID på mobil",
                 "Planlagt oppstart: 2027 (økonomiplanperioden 2027–2030)",
                 "1. Bekreftet pris for modulen for HelseID og kjernejournal i CosDoc (engangspris, uten mva).",
                 "2. Årlige kostnader for modulen (lisens, vedlikehold).", "3. Når modulen kan tas i bruk hos oss.",
                 "4. Hva dere trenger fra kommunen"):
        assert part in text, part
    assert "\u00a0" not in text and text.endswith("28.11.2026\n")


def test_notice_with_decided_reports_the_decision_and_its_scope_without_an_amount(est):
    text = notice_text(est, HALDEN, budget(est, HALDEN, TODAY), today=TODAY, decided=True)
    assert "vedtak" in text.splitlines()[2]
    assert "Halden kommune har vedtatt å innføre kjernejournal" in text
    assert "Vi melder med dette fra om vedtaket" in text
    for part in ("Helsepersonell som skal ta i bruk kjernejournal: 175",
                 "- Oppstart: 2027 (økonomiplanperioden 2027–2030)",
                 "1. Pris for modulen for HelseID og kjernejournal i CosDoc", "2. Årlige kostnader for modulen"):
        assert part in text, part
    assert "vurderer" not in text and not AMOUNT.search(text) and "budsjett" not in text


@pytest.mark.parametrize("decided", [False, True], ids=["inquiry", "decided"])
def test_notice_with_budget_states_the_module_amount_when_priced_else_the_one_off_total(est, decided):
    priced = Inputs(**{**HALDEN.__dict__, "vendor_module_kr": 120_000.0})
    text = notice_text(est, priced, budget(est, priced, TODAY), today=TODAY, decided=decided, with_budget=True,
                       signature="Kari Nordmann, prosjektleder")
    where = "budsjettet" if decided else "budsjettforslaget"
    assert f"Til orientering er det satt av 120 000 kr (uten mva) til modulen i {where}." in text
    assert len(AMOUNT.findall(text)) == 1 and text.rstrip().splitlines()[-2] == "Kari Nordmann, prosjektleder"
    b = budget(est, HALDEN, TODAY)
    text = notice_text(est, HALDEN, b, today=TODAY, decided=decided, with_budget=True)
    total = f"{b.one_off.total_kr:,.0f}".replace(",", " ")
    assert f"Til orientering er kommunens engangskostnad for 175 helsepersonell anslått til {total} kr (" in text
    assert "uten modulen" in text and len(AMOUNT.findall(text)) == 1


def test_notice_to_another_vendor_is_addressed_to_the_name_typed(est):
    inputs = Inputs(**{**HALDEN.__dict__, "vendor": "Annen leverandør", "vendor_other": "Helseplattformen (Epic)"})
    text = notice_text(est, inputs, budget(est, inputs, TODAY), today=TODAY)
    assert text.splitlines()[0] == "Til: Helseplattformen (Epic), kundekontakt for Epic"
    assert "Annen leverandør" not in text and "modulen for HelseID og kjernejournal i Epic" in text


@pytest.mark.parametrize("inputs, reason", [
    (Inputs(municipality="Halden", steps=(Step(10, "a"),)), "no EPJ vendor is chosen"),
    (Inputs(municipality="Halden", vendor="gerica"), "no health personnel"),
    (Inputs(vendor="gerica", steps=(Step(10, "a"),)), "no municipality name"),
    (Inputs(municipality="Halden", vendor="Annen leverandør", vendor_other="  ", steps=(Step(10, "a"),)),
     "the EPJ vendor is «Annen leverandør» but the workbook has no vendor name"),
], ids=["no-vendor", "no-personnel", "no-name", "other-vendor-without-its-name"])
def test_notice_is_refused_without_what_it_needs(est, inputs, reason):
    with pytest.raises(NoticeRefused, match=reason):
        notice_text(est, inputs, budget(est, inputs, TODAY), today=TODAY)


def test_notice_command_prints_the_message_from_a_filled_workbook(workbooks, capsys):
    assert main(["notice", str(workbooks["profil"])]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Til: Visma (Profil), kundekontakt for Profil\nKopi: kjernejournal-sht@nhn.no\n")
    assert "Ringebu kommune vurderer å innføre" in out and "Helsepersonell som skal ta i bruk kjernejournal: 20" in out
    assert decided_words(out) == [] and not AMOUNT.search(out)


def test_notice_command_writes_the_file(workbooks, tmp_path, capsys):
    out = tmp_path / "melding.txt"
    assert main(["notice", str(workbooks["profil"]), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("Til: Visma (Profil)")
    assert "copy to kjernejournal-sht@nhn.no" in capsys.readouterr().out


def test_notice_command_refuses_a_workbook_with_no_vendor(workbooks, tmp_path, capsys):
    out = tmp_path / "melding.txt"
    assert main(["notice", str(workbooks["no-vendor"]), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kj-budget notice: error: uten-leverandor.xlsx: no EPJ vendor is chosen in the workbook")
    assert err.count("\n") == 1 and "TietoEVRY (Gerica), Visma (Profil), DIPS Front (CosDoc)" in err
    assert not out.exists()


def test_notice_command_takes_decided_and_with_budget(workbooks, capsys):
    assert main(["notice", str(workbooks["priced"])]) == 0
    out = capsys.readouterr().out
    assert decided_words(out) == [] and not AMOUNT.search(out) and "Bekreftet pris" in out
    assert main(["notice", str(workbooks["priced"]), "--decided", "--with-budget"]) == 0
    out = capsys.readouterr().out
    assert "Ringebu kommune har vedtatt" in out and "satt av 85 000 kr (uten mva) til modulen i budsjettet." in out


def test_notice_command_writes_to_another_vendor_by_its_name(workbooks, tmp_path, capsys):
    out = tmp_path / "melding.txt"
    assert main(["notice", str(workbooks["other"]), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("Til: Helseplattformen (Epic), kundekontakt for Epic\n")
    assert "to Helseplattformen (Epic) with a copy to kjernejournal-sht@nhn.no" in capsys.readouterr().out


def test_notice_command_refuses_another_vendor_without_its_name(workbooks, tmp_path, capsys):
    out = tmp_path / "melding.txt"
    assert main(["notice", str(workbooks["other-no-name"]), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == ("kj-budget notice: error: annen-uten-navn.xlsx: the EPJ vendor is «Annen leverandør» but the "
                   "workbook has no vendor name (Inndata, Navn på annen leverandør): type the vendor's name, save the "
                   "workbook and run notice again\n")
    assert not out.exists()


@pytest.mark.parametrize("malform", ["nb", "nn"])
def test_a_step_line_sets_the_unit_apart_from_its_group(est, malform):
    """«b: Legemiddelansvarlige, korttidsavdelinger, Korttidsavdeling Follebu: 58» ran the group (which has a comma
    of its own) and the unit together: the unit comes after a dash; a step without a unit shows the group alone."""
    inputs = Inputs(municipality="Gausdal", vendor="Visma (Profil)", first_year=2027, malform=malform,
                    steps=(Step(58, "b", "Korttidsavdeling Follebu", 2027), Step(6, "a", "", 2027)))
    text = notice_text(est, inputs, budget(est, inputs, TODAY), today=TODAY)
    group_b = {"nb": "b: Legemiddelansvarlige, korttidsavdelinger", "nn": "b: Legemiddelansvarlege, korttidsavdelingar"}
    line = next(ln for ln in text.splitlines() if "Follebu" in ln)
    assert line.strip().startswith(f"- {group_b[malform]} – Korttidsavdeling Follebu: 58 "), line
    assert re.search(r"^\s+- a: [^–,]*: 6 ", text, re.M), text
