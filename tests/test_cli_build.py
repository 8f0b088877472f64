"""`kj-budget build` as a user runs it."""

from __future__ import annotations

import zipfile

import lo
import openpyxl

from workbook_builder.cli.main import main


def test_build_writes_the_default_workbook_with_the_models_numbers(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--municipality", "Øyer", "--municipality-number", "3440"]) == 0
    out = tmp_path / "build" / "kjernejournal-budsjett.xlsx"
    assert out.exists()
    said = capsys.readouterr().out
    assert "Wrote build/kjernejournal-budsjett.xlsx" in said and "Master check: Ikke utfylt" in said
    book = lo.read_book(out)  # cached values, no recalculation
    assert book.value("kj_municipality") == "Øyer" and book.value("kj_municipality_number") == "3440"
    assert book.sheets["Budsjett"][0][0] == "Budsjett for innføring av kjernejournal – Øyer"
    assert book.value("kj_master_check") == "Ikke utfylt"  # an untouched template is not an error
    assert not list(tmp_path.joinpath("build").glob(".*.tmp"))


def test_with_lite_embeds_the_functions_and_udf_config_adds_the_sheet(tmp_path, capsys):
    out = tmp_path / "lite.xlsx"
    assert main(["build", "--out", str(out), "--with-lite", "--udf-config"]) == 0
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        assert "xl/webextensions/webextension1.xml" in names
        assert "wa200008175" in z.read("xl/webextensions/webextension1.xml").decode()
    wb = openpyxl.load_workbook(out)
    assert wb["xlwings.conf"]["A1"].value == "UDF Modules" and wb["xlwings.conf"]["B1"].value == "udfs.kj"
    assert wb["xlwings.conf"].protection.sheet
    assert "with the xlwings Lite functions, with an xlwings.conf sheet" in capsys.readouterr().out


def test_bad_municipality_number_is_refused(tmp_path, capsys):
    assert main(["build", "--out", str(tmp_path / "x.xlsx"), "--municipality-number", "34"]) == 2
    assert "--municipality-number must be four digits, got '34'" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


def test_an_unwritable_place_exits_3(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["build", "--out", str(blocker / "x.xlsx")]) == 3
    assert "cannot write" in capsys.readouterr().err
