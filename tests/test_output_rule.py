"""The one output rule (workbook_builder/output.py), for every command that writes: never an input of the
same run (path, symbolic link or hard link), never a file kj-budget did not write without --force (our
own earlier output of the same kind may be replaced), every file a command writes checked before any
is written, all or nothing, and an error that names the target with exit code 3."""

from __future__ import annotations

import csv
import hashlib
import os
from pathlib import Path

import pytest
from conftest import TODAY
from filling import fill

from workbook_builder.cli.main import main
from workbook_builder.core.model import Inputs, Step
from workbook_builder.workbook import build_workbook
from workbook_builder.xlsx import files, output

SAMPLE = Path(__file__).parent.parent / "examples" / "pilotkommuner.csv"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> dict[str, str]:
    return {p.name: sha(p) for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def filled(est, tmp_path) -> Path:
    path = tmp_path / "gausdal.xlsx"
    build_workbook(path, est, Inputs(municipality="Gausdal", municipality_number="3441", vendor="Profil",
                                     steps=(Step(25, "a"),)), today=TODAY)
    return path


def refused(capsys, argv: list[str], folder: Path, *expected: str, one_line: bool = True) -> str:
    """Run the command; it must exit 3 with one line naming the target (batch: one per workbook, and
    a summary), and leave `folder` as it was."""
    before = listing(folder)
    assert main(argv) == 3
    err = "".join(ln for ln in capsys.readouterr().err.splitlines(keepends=True) if "━" not in ln)  # progress bars
    assert "Traceback" not in err and (err.count("\n") == 1 or not one_line), err
    for text in expected:
        assert text in err, err
    assert listing(folder) == before  # nothing written, no temporary file left
    return err


# ----------------------------------------------------------------------------- never an input of the run


def test_memo_refuses_to_overwrite_its_input_workbook(filled, capsys):
    refused(capsys, ["memo", str(filled), "--out", str(filled)], filled.parent,
            f"--out {filled}: is a file this run reads", "not even with --force")
    refused(capsys, ["memo", str(filled), "--out", str(filled), "--force"], filled.parent, "is a file this run reads")


def test_notice_refuses_to_overwrite_its_input_workbook(filled, capsys):
    refused(capsys, ["notice", str(filled), "--out", str(filled), "--force"], filled.parent,
            "is a file this run reads")


def test_a_symbolic_or_hard_link_to_the_input_is_the_input(filled, capsys):
    (filled.parent / "lenke.html").symlink_to(filled)
    os.link(filled, filled.parent / "hard.html")
    for name in ("lenke.html", "hard.html"):
        refused(capsys, ["memo", str(filled), "--out", str(filled.parent / name), "--force"], filled.parent,
                "is a file this run reads")


def test_estimates_export_never_replaces_the_estimates_file_it_reads(est, tmp_path, capsys):
    mine = tmp_path / "mine.toml"
    mine.write_text(est.text, encoding="utf-8")
    refused(capsys, ["estimates", "--estimates", str(mine), "--export", str(mine), "--force"], tmp_path,
            "is a file this run reads")


def test_batch_never_writes_over_its_own_csv(tmp_path, capsys):
    """A CSV named like the workbook a row would write (3441-gausdal.xlsx) is the run's input."""
    rows = SAMPLE.read_text(encoding="utf-8")
    folder = tmp_path / "kommuner"
    folder.mkdir()
    csv_path = folder / "3441-gausdal.xlsx"
    csv_path.write_text(rows, encoding="utf-8")
    refused(capsys, ["batch", str(csv_path), "--out-dir", str(folder), "--force"], folder, "is a file this run reads")


def test_collect_never_overwrites_a_workbook_it_reads(est, tmp_path, capsys):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    build_workbook(a, est, Inputs(municipality="A", municipality_number="3441", steps=(Step(5, "a"),)), today=TODAY)
    build_workbook(b, est, Inputs(municipality="B", municipality_number="3440", steps=(Step(5, "a"),)), today=TODAY)
    refused(capsys, ["collect", str(a), str(b), "--out", str(a), "--force"], tmp_path, f"--out {a}: is a file this "
            "run reads")
    refused(capsys, ["collect", str(tmp_path), "--out", str(b), "--force"], tmp_path, "is a file this run reads")


# ----------------------------------------------------------------------------- never a file we did not write


def test_memo_does_not_replace_a_file_it_did_not_write_without_force(filled, capsys):
    other = filled.parent / "kommuner.csv"
    other.write_text("kommune;kommunenummer\nGausdal;3441\n", encoding="utf-8")
    refused(capsys, ["memo", str(filled), "--out", str(other)], filled.parent,
            f"--out {other}: exists and is not a budget memo (HTML) written by kj-budget; pass --force")
    assert main(["memo", str(filled), "--out", str(other), "--force"]) == 0
    assert other.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_memo_replaces_its_own_earlier_memo_recognised_by_its_generator(filled, capsys):
    assert main(["memo", str(filled)]) == 0
    out = filled.with_name("gausdal-budsjettnotat.html")
    assert output.MEMO_HTML.recognise(out)
    assert main(["memo", str(filled)]) == 0
    assert "Wrote" in capsys.readouterr().out


def test_the_pdf_beside_the_memo_is_checked_before_anything_is_written(filled, capsys):
    pdf = filled.with_name("gausdal-budsjettnotat.pdf")
    pdf.write_bytes(b"%PDF-1.4 someone else's document")
    refused(capsys, ["memo", str(filled), "--pdf"], filled.parent,
            f"{pdf} (the PDF beside it): exists and is not a budget memo (PDF) written by kj-budget")
    assert not filled.with_name("gausdal-budsjettnotat.html").exists()  # the HTML was not written either


def test_memo_replaces_its_own_pdf(filled, capsys):
    assert main(["memo", str(filled), "--pdf"]) == 0
    assert output.MEMO_PDF.recognise(filled.with_name("gausdal-budsjettnotat.pdf"))
    assert main(["memo", str(filled), "--pdf"]) == 0


def test_notice_replaces_its_own_earlier_notice_but_not_other_text(filled, capsys):
    out = filled.with_name("melding.txt")
    assert main(["notice", str(filled), "--out", str(out)]) == 0
    assert output.NOTICE.recognise(out)
    assert main(["notice", str(filled), "--out", str(out)]) == 0
    letter = filled.with_name("brev.txt")
    letter.write_text("Til: styret\nHei, dette er mitt eget brev.\n", encoding="utf-8")
    refused(capsys, ["notice", str(filled), "--out", str(letter)], filled.parent,
            "exists and is not a vendor notice written by kj-budget")


def test_collect_does_not_replace_the_batch_csv_beside_its_overview(tmp_path, capsys):
    folder = tmp_path / "kommuner"
    assert main(["batch", str(SAMPLE), "--out-dir", str(folder)]) == 0
    batch_csv = tmp_path / "kommuner.csv"
    batch_csv.write_bytes(SAMPLE.read_bytes())
    capsys.readouterr()
    refused(capsys, ["collect", str(folder), "--out", str(tmp_path / "kommuner.xlsx")], tmp_path,
            f"{batch_csv} (the CSV beside it): exists and is not a regional overview (CSV) written by kj-budget")
    assert not (tmp_path / "kommuner.xlsx").exists()


def test_collect_does_not_replace_a_filled_workbook_named_as_its_overview(filled, tmp_path, capsys):
    folder = tmp_path / "kommuner"
    assert main(["batch", str(SAMPLE), "--out-dir", str(folder)]) == 0
    capsys.readouterr()
    refused(capsys, ["collect", str(folder), "--out", str(filled)], filled.parent,
            f"--out {filled}: exists and is not a regional overview workbook written by kj-budget")


def test_collect_replaces_its_own_overview_also_inside_the_folder_it_reads(tmp_path, capsys):
    folder = tmp_path / "kommuner"
    assert main(["batch", str(SAMPLE), "--out-dir", str(folder)]) == 0
    out = folder / "oversikt.xlsx"
    assert main(["collect", str(folder), "--out", str(out)]) == 0
    assert output.OVERVIEW_WORKBOOK.recognise(out) and output.overview_csv_kind(
        ["Kommunenr", "Kommune", "EPJ-leverandør", "e-ID"]).recognise(out.with_suffix(".csv"))
    assert main(["collect", str(folder), "--out", str(out)]) == 0  # not read as a municipality, and replaced
    assert "Read 6 of 6 workbook(s)" in capsys.readouterr().out


def test_batch_replaces_its_own_untouched_workbooks_but_not_typed_in_ones(tmp_path, capsys):
    folder = tmp_path / "kommuner"
    assert main(["batch", str(SAMPLE), "--out-dir", str(folder)]) == 0
    assert main(["batch", str(SAMPLE), "--out-dir", str(folder)]) == 0
    fill(folder / "3405-lillehammer.xlsx", {"kj_hourly_rate": 512}, folder / "3405-lillehammer.xlsx")
    capsys.readouterr()
    before = listing(folder)
    err = refused(capsys, ["batch", str(SAMPLE), "--out-dir", str(folder)], folder,
                  "3405-lillehammer.xlsx: holds 1 filled-in input value(s)", "nothing written to", one_line=False)
    assert listing(folder) == before and "Traceback" not in err


def test_batch_does_not_replace_a_file_that_is_not_a_kj_workbook(tmp_path, capsys):
    folder = tmp_path / "kommuner"
    folder.mkdir()
    (folder / "3441-gausdal.xlsx").write_text("min egen fil")
    refused(capsys, ["batch", str(SAMPLE), "--out-dir", str(folder)], folder,
            "3441-gausdal.xlsx: exists and is not a budget workbook written by kj-budget; pass --force")


# ----------------------------------------------------------------------------- errors name the target, exit 3


def test_an_unwritable_folder_is_refused_before_anything_is_built(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "kommuner"
    folder.mkdir()
    monkeypatch.setattr(output.os, "access", lambda path, mode: Path(path) != folder)
    refused(capsys, ["batch", str(SAMPLE), "--out-dir", str(folder)], folder,
            f"cannot write {folder / '4203-arendal.xlsx'}: the folder {folder} is not writable")


def _deny_temp_files(monkeypatch) -> None:
    """mkstemp fails as in a read-only folder (the tests run as root, where chmod does not stop writes)."""

    def deny(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.tempfile, "mkstemp", deny)


def test_batch_into_a_read_only_folder_exits_3_and_writes_nothing(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "kommuner"
    folder.mkdir()
    _deny_temp_files(monkeypatch)
    err = refused(capsys, ["batch", str(SAMPLE), "--out-dir", str(folder), "--workers", "1"], folder,
                  f"cannot write {folder / '4203-arendal.xlsx'}: Permission denied", "nothing written to",
                  one_line=False)
    assert "… and 1 more like these" in err and ".tmp" not in err


def test_estimates_export_into_a_read_only_folder_exits_3_naming_the_file(tmp_path, capsys, monkeypatch):
    _deny_temp_files(monkeypatch)
    target = tmp_path / "mine.toml"
    refused(capsys, ["estimates", "--export", str(target)], tmp_path, f"cannot write {target}: Permission denied")


def test_memo_names_its_target_not_the_temporary_file(filled, capsys, monkeypatch):
    _deny_temp_files(monkeypatch)
    out = filled.with_name("notat.html")
    err = refused(capsys, ["memo", str(filled), "--out", str(out)], filled.parent, f"cannot write {out}: ")
    assert ".tmp" not in err


def test_collect_writes_both_files_or_neither(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "kommuner"
    assert main(["batch", str(SAMPLE), "--out-dir", str(folder)]) == 0
    out = tmp_path / "oversikt.xlsx"
    real = os.replace

    def fail_on_csv(src, dst):
        if str(dst).endswith(".csv"):
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(files.os, "replace", fail_on_csv)
    capsys.readouterr()
    err = refused(capsys, ["collect", str(folder), "--out", str(out)], tmp_path,
                  f"cannot write {out.with_suffix('.csv')}: No space left on device")
    assert ".tmp" not in err
    assert not out.exists()  # the workbook renamed first was taken back when the CSV could not be renamed


def test_collect_keeps_the_old_overview_whole_when_the_csv_cannot_be_replaced(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "kommuner"
    assert main(["batch", str(SAMPLE), "--out-dir", str(folder)]) == 0
    out = tmp_path / "oversikt.xlsx"
    assert main(["collect", str(folder), "--out", str(out)]) == 0
    real = os.replace
    monkeypatch.setattr(files.os, "replace", lambda src, dst: (_ for _ in ()).throw(OSError(28, "No space left"))
                        if str(dst).endswith(".csv") else real(src, dst))
    capsys.readouterr()
    refused(capsys, ["collect", str(folder), "--out", str(out)], tmp_path, "No space left")


def test_our_overview_csv_is_recognised_by_its_header(tmp_path):
    """Our CSV's own header is what the output rule recognises it by."""
    header = ["Kommunenr", "Kommune", "EPJ-leverandør", "e-ID", "Helsepersonell a"]
    path = tmp_path / "oversikt.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, delimiter=";").writerow(header)
    assert output.overview_csv_kind(header[:4]).recognise(path)


def test_a_budget_lines_csv_is_recognised_by_its_header(tmp_path):
    """For `kj-budget lines`: its own earlier CSV may be replaced, another CSV only with --force."""
    ours, other = tmp_path / "linjer.csv", tmp_path / "kommuner.csv"
    ours.write_text("\ufeffÅr;Ansvar;Funksjon;Funksjonsnavn;Art\r\n2027;;253;Institusjon;1090\r\n", encoding="utf-8")
    other.write_text("kommune;kommunenummer\nØyer;3440\n", encoding="utf-8")
    assert output.BUDGET_LINES_CSV.recognise(ours) and not output.BUDGET_LINES_CSV.recognise(other)
