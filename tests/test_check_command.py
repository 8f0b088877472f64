"""`kj-budget check FILE.xlsx`: exit 0 when every check is OK and the saved totals equal the model's,
1 when a check is not OK or a total does not match (a tampered or stale file), 2 for a file it
cannot read; --json for scripts with the keys docs/cli.md documents."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import lo
import pytest
from conftest import TODAY
from filling import changed_estimates, fill
from xlsxwriter.utility import xl_rowcol_to_cell

from workbook_builder.cells import OUTPUTS
from workbook_builder.cli.main import main
from workbook_builder.core.model import Inputs, Step, budget
from workbook_builder.workbook import build_workbook
from workbook_builder.xlsx.filled_reader import WorkbookFile

# 2026: the last year with published deflator figures (a later year is noted as a forecast); a module under
# 80 000 kr excl. mva stays under KRS 4's investment threshold of 100 000 kr incl. mva.
COMPLETE = Inputs(municipality="Lillehammer", municipality_number="3405", vendor="gerica", eid="pki",
                  first_year=2026, steps=(Step(12, "a", "Sykehjemsleger"), Step(45, "b", "KAD"),
                                          Step(60, "c", "Sone nord", 2027)),
                  vendor_module_kr=75_000, maintenance_kr_per_year=12_000, admissions_short_term=900,
                  admissions_home_care=1400)
TOP_KEYS = {"file", "workbook", "estimates", "inputs", "problems", "checks", "followup", "master_check", "totals",
            "totals_match", "ok", "exit_code"}


@pytest.fixture(scope="module")
def books(est, tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("check")
    paths = {"complete": root / "complete.xlsx", "empty": root / "empty.xlsx", "notes": root / "notes.xlsx"}
    build_workbook(paths["complete"], est, COMPLETE, today=TODAY)
    build_workbook(paths["empty"], est, Inputs(), today=TODAY)
    build_workbook(paths["notes"], est, Inputs(steps=(Step(40, "b"),), eid="bankid"), today=TODAY)
    assert budget(est, COMPLETE, TODAY).master_check == "OK"
    paths["openpyxl"] = fill(paths["complete"], {"kj_municipality": "Lillehammer"}, root / "openpyxl.xlsx")
    return paths


@pytest.fixture(scope="module")
def saved_by_libreoffice(books, tmp_path_factory) -> Path:
    """The complete workbook opened, recalculated and saved by LibreOffice."""
    return lo.recalc([books["complete"]], tmp_path_factory.mktemp("check-libreoffice"))[0]


def run_json(capsys, *args: str) -> tuple[int, dict]:
    code = main(["check", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def tamper(path: Path, name: str, value: str, out: Path) -> Path:
    """The file with the saved value of one named cell changed in the sheet XML (its formula kept)."""
    with WorkbookFile(path) as wb:
        ref = wb.names[name]
        part = wb.sheets[ref.sheet]
    address = xl_rowcol_to_cell(*ref.first)
    with zipfile.ZipFile(path) as src:
        xml = src.read(part).decode()
        xml, n = re.subn(rf'(<c r="{address}"[^>]*>(?:<f>[^<]*</f>)?<v>)[^<]*(</v>)', rf"\g<1>{value}\g<2>", xml)
        assert n == 1
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                dst.writestr(info.filename, xml if info.filename == part else src.read(info))
    out.write_bytes(buf.getvalue())
    return out


def test_a_complete_workbook_exits_0_and_its_totals_match(books, capsys):
    assert main(["check", str(books["complete"])]) == 0
    out = capsys.readouterr().out
    assert f"Totals: all {len(OUTPUTS)} saved values match the model" in out and out.rstrip().endswith("Result: OK")


def test_a_workbook_recalculated_and_saved_by_libreoffice_matches_too(saved_by_libreoffice, capsys):
    code, r = run_json(capsys, str(saved_by_libreoffice))
    assert (code, r["totals_match"], r["master_check"]) == (0, True, "OK")


def test_the_json_has_the_documented_keys(books, capsys):
    code, r = run_json(capsys, str(books["complete"]))
    assert set(r) == TOP_KEYS and r["exit_code"] == code == 0 and r["ok"] is True
    assert set(r["estimates"]) == {"id", "version", "sha256", "file", "same_as_workbook"}
    assert r["estimates"]["same_as_workbook"] is True
    assert {"tool_version", "template_version", "estimates_id", "estimates_version", "estimates_sha256",
            "built"} <= set(r["workbook"])
    assert all(set(t) == {"name", "workbook", "model", "match"} for t in r["totals"])
    assert all(set(c) == {"id", "title", "status", "message"} for c in r["checks"])
    assert r["inputs"]["kj_step_staff#3"] == 60 and r["inputs"]["kj_vendor"] == "TietoEVRY (Gerica)"
    assert r["problems"] == []
    reference = (Path(__file__).parent.parent / "docs" / "cli.md").read_text(encoding="utf-8")
    for key in TOP_KEYS:
        assert f"| `{key}` |" in reference, key


def test_a_failing_check_exits_1_though_the_totals_match(books, capsys):
    code, r = run_json(capsys, str(books["empty"]))
    assert (code, r["master_check"], r["totals_match"]) == (1, "Ikke utfylt", True)  # not an error, not OK either
    assert next(c for c in r["checks"] if c["id"] == "staff")["status"] == "Ikke utfylt"


def test_notes_exit_1_unless_allowed(books, capsys):
    code, r = run_json(capsys, str(books["notes"]))
    assert (code, r["master_check"]) == (1, "Merknad")
    code, r = run_json(capsys, str(books["notes"]), "--allow-notes")
    assert (code, r["ok"]) == (0, True)


def test_a_workbook_whose_saved_total_was_tampered_with_does_not_match(books, tmp_path, capsys):
    bad = tamper(books["complete"], "kj_total_kr", "1234567", tmp_path / "tampered.xlsx")
    code, r = run_json(capsys, str(bad))
    assert (code, r["totals_match"], r["master_check"]) == (1, False, "OK")
    [wrong] = [t for t in r["totals"] if not t["match"]]
    assert wrong["name"] == "kj_total_kr" and wrong["workbook"] == 1234567 and wrong["model"] != 1234567
    assert main(["check", str(bad)]) == 1
    assert "kj_total_kr: workbook 1 234 567, model" in capsys.readouterr().out


def test_a_workbook_saved_without_calculated_values_does_not_match(books, capsys):
    """openpyxl keeps the formulas but drops their values: nothing to compare, so not OK."""
    assert main(["check", str(books["openpyxl"])]) == 1
    n = len(OUTPUTS)
    assert f"holds no calculated results for {n} of {n} outputs: it was last saved by a program that does not" \
        " calculate" in capsys.readouterr().out.replace("\n", " ")


def test_checking_against_other_estimates_says_so_and_does_not_match(books, est, tmp_path, capsys):
    other = tmp_path / "other.toml"
    other.write_text(changed_estimates(est).text, encoding="utf-8")
    code, r = run_json(capsys, str(books["complete"]), "--estimates", str(other))
    assert (code, r["estimates"]["same_as_workbook"], r["totals_match"]) == (1, False, False)
    main(["check", str(books["complete"]), "--estimates", str(other)])
    assert "built from other estimates" in capsys.readouterr().out


def test_an_unreadable_file_exits_2_with_one_line_and_no_json(tmp_path, capsys):
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    assert main(["check", str(bad), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == (
        "kj-budget check: error: cannot read x.xlsx: is damaged or truncated: its zip directory is missing "
        "(was the copy or download cut short?)\n")
