"""The vendor notice: to the EPJ vendor chosen in the workbook, copy to the national project's
address from the estimates, with the decision; refused clearly when there is no vendor."""

from __future__ import annotations

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
        "no-vendor": fill(template, base, root / "uten-leverandor.xlsx"),
    }


def test_notice_goes_to_the_chosen_vendor_with_a_copy_to_the_project(est):
    text = notice_text(est, HALDEN, budget(est, HALDEN, TODAY), today=TODAY)
    lines = text.splitlines()
    assert lines[0] == "Til: DIPS Front (CosDoc), kundekontakt for CosDoc"
    assert lines[1] == f"Kopi: {est.contact_email}" == "Kopi: kjernejournal-sht@nhn.no"
    assert lines[2].startswith("Emne: ") and "Halden (3101)" in lines[2]
    assert "Halden kommune har besluttet å innføre kjernejournal" in text
    for part in ("Helsepersonell som skal ta i bruk kjernejournal: 175",
                 "a: Sykehjemsleger: 10 helsepersonell fra 2027",
                 "b: Legemiddelansvarlige, korttidsavdelinger, KAD: 45 helsepersonell fra 2027",
                 "c: Hjemmesykepleie og tjenestekontor: 120 helsepersonell fra 2029",
                 "e-ID på sikkerhetsnivå høyt: BankID på mobil", "Oppstart: 2027 (økonomiplanperioden 2027–2030)",
                 "Pris for modulen for HelseID og kjernejournal i CosDoc", "Prisen mangler i budsjettet vårt"):
        assert part in text, part
    assert "\u00a0" not in text and text.endswith("28.11.2026\n")


def test_notice_asks_to_confirm_a_price_already_budgeted(est):
    inputs = Inputs(**{**HALDEN.__dict__, "vendor_module_kr": 120_000.0})
    text = notice_text(est, inputs, budget(est, inputs, TODAY), today=TODAY, signature="Kari Nordmann, prosjektleder")
    assert "Bekreftet pris for modulen" in text and "Vi har satt av 120 000 kr i budsjettet" in text
    assert "medregnet modulen" in text and text.rstrip().splitlines()[-2] == "Kari Nordmann, prosjektleder"


@pytest.mark.parametrize("inputs, reason", [
    (Inputs(municipality="Halden", steps=(Step(10, "a"),)), "no EPJ vendor is chosen"),
    (Inputs(municipality="Halden", vendor="gerica"), "no health personnel"),
    (Inputs(vendor="gerica", steps=(Step(10, "a"),)), "no municipality name"),
], ids=["no-vendor", "no-personnel", "no-name"])
def test_notice_is_refused_without_what_it_needs(est, inputs, reason):
    with pytest.raises(NoticeRefused, match=reason):
        notice_text(est, inputs, budget(est, inputs, TODAY), today=TODAY)


def test_notice_command_prints_the_message_from_a_filled_workbook(workbooks, capsys):
    assert main(["notice", str(workbooks["profil"])]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Til: Visma (Profil), kundekontakt for Profil\nKopi: kjernejournal-sht@nhn.no\n")
    assert "Ringebu kommune har besluttet" in out and "Helsepersonell som skal ta i bruk kjernejournal: 20" in out


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
