"""The batch CSV: the sample file of the six pilot municipalities reads as documented; each kind of
bad row is reported with its line number and reason and skipped; a file that cannot be used at all
is refused whole; the command builds the good rows and its exit code says whether any row was bad."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TODAY
from filling import fill

from workbook_builder.cli.main import main
from workbook_builder.services.batch import CsvError, columns, filename_for, read_rows
from workbook_builder.xlsx.filled_reader import read_workbook

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "examples" / "pilotkommuner.csv"
HEADER = "kommune;kommunenummer;epj_leverandor;eid;forste_budsjettar;a_helsepersonell;a_startar;" \
         "b_helsepersonell;b_startar;c_helsepersonell;c_startar;mottak_korttid;mottak_hjemmetjeneste;timekostnad;" \
         "modulpris;merknad"
GOOD = "Gausdal;3441;Profil;BankID;2027;3;2027;12;2027;25;2028;210;340;;;"


def write(tmp_path: Path, *lines: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / "kommuner.csv"
    p.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return p


def test_the_sample_names_the_six_pilot_municipalities_with_their_numbers(est):
    rows, bad = read_rows(SAMPLE, est, TODAY)
    assert bad == []
    assert {r.inputs.municipality: r.inputs.municipality_number for r in rows} == {
        "Arendal": "4203", "Gausdal": "3441", "Halden": "3101", "Lillehammer": "3405", "Ringebu": "3439",
        "Øyer": "3440"}
    text = SAMPLE.read_text(encoding="utf-8")
    assert text.startswith("# EKSEMPEL") and "OPPDIKTET" in text
    assert all(line.endswith("EKSEMPEL: oppdiktede tall") for line in text.splitlines()[3:])
    assert [r.filename for r in rows][-1] == "3440-oyer.xlsx"


def test_a_row_becomes_the_inputs_it_names(est):
    rows, _ = read_rows(SAMPLE, est, TODAY)
    halden = next(r for r in rows if r.inputs.municipality == "Halden")
    i = halden.inputs
    assert (i.vendor, i.eid, i.first_year) == ("cosdoc", "pki", 2027)
    assert [(s.group, s.staff, s.year) for s in i.steps] == [("a", 10, 2027), ("b", 45, 2027), ("c", 120, 2029)]
    assert (i.admissions_short_term, i.admissions_home_care, i.vendor_module_kr) == (1050, 1600, 120_000)
    assert i.hourly_rate is None


@pytest.mark.parametrize("row, message", [
    (";3405;Gerica;;;10;;;;;;;;;;", "kommune: is missing"),
    ("Oslo;301;;;;10;;;;;;;;;;", "kommunenummer: must be four digits, got '301' (Excel drops a leading zero: "
                                 "write 0301)"),
    ("Lillehammer;34O5;;;;10;;;;;;;;;;", "kommunenummer: must be four digits, got '34O5'"),
    ("Gausdal 2;3441;;;;10;;;;;;;;;;", "kommunenummer: 3441 is already on line 2"),
    ("Lillehammer;3405;Cerner;;;10;;;;;;;;;;", "epj_leverandor: unknown EPJ vendor 'Cerner'"),
    ("Lillehammer;3405;;Buypass-kort;;10;;;;;;;;;;", "eid: unknown e-ID 'Buypass-kort'"),
    ("Lillehammer;3405;;;;12,5;;;;;;;;;;", "a_helsepersonell: must be a whole number, got '12,5'"),
    ("Lillehammer;3405;;;;;;-4;;;;;;;;", "b_helsepersonell: must be 0 to 100000, got -4"),
    ("Lillehammer;3405;;;;;;;;mange;;;;;;", "c_helsepersonell: must be a whole number, got 'mange'"),
    ("Lillehammer;3405;;;2027;;;40;2033;;;;;;;", "b_startar: 2033 is outside the four budget years 2027–2030"),
    ("Lillehammer;3405;;;;;2028;;;;;;;;;", "a_startar: is 2028 but a_helsepersonell is empty or 0"),
    ("Lillehammer;3405;;;1999;10;;;;;;;;;;", "forste_budsjettar: must be 2000 to 2100, got 1999"),
    ("Lillehammer;3405;;;;10;;;;;;1.234;;;;", "mottak_korttid: '1.234' is ambiguous"),
    ("Lillehammer;3405;;;;10;;;;;;;;20000;;", "timekostnad: must be 0 to 10000, got 20000"),
    ("Lillehammer;3405;;;;10;;;;;;;;;;;ekstra", "has 17 fields, the header has 16"),
], ids=["no-name", "leading-zero-lost", "letter-in-number", "duplicate-number", "unknown-vendor", "unknown-eid",
        "fraction-of-a-person", "negative-personnel", "text-for-personnel", "start-after-plan",
        "start-year-without-personnel", "first-year-out-of-range", "ambiguous-point", "rate-out-of-bounds",
        "too-many-fields"])
def test_a_bad_row_is_reported_with_its_line_and_skipped(est, tmp_path, row, message):
    path = write(tmp_path, HEADER, GOOD, row, "Ringebu;3439;;;;2;;;;;;;;;;")
    rows, bad = read_rows(path, est, TODAY)
    assert [r.inputs.municipality for r in rows] == ["Gausdal", "Ringebu"]
    assert len(bad) == 1 and bad[0].line == 3, bad
    assert str(bad[0]).startswith(f"line 3: {message}"), str(bad[0])


def test_line_numbers_count_comments_blank_lines_and_quoted_line_breaks(est, tmp_path):
    path = write(tmp_path, "# a comment", HEADER, "", 'Gausdal;3441;;;;3;;;;;;;;;;"two\nlines"', ";;;;;;;;;;;;;;;",
                 "Øyer;344;;;;2;;;;;;;;;;")
    rows, bad = read_rows(path, est, TODAY)
    assert [r.line for r in rows] == [4]
    assert [b.line for b in bad] == [7]


def test_excel_formats_are_read(est, tmp_path):
    """Windows-1252 and a comma separator; grouped thousands and a decimal comma; headers with æøå."""
    header = HEADER.replace("forste_budsjettar", "Første budsjettår").replace("a_startar", "A startår")
    path = write(tmp_path, header.replace(";", ","), 'Øyer,3440,Visma (Profil),BankID på mobil,2027,2,2027,,,,,'
                 '"1 300","190","455,5",,', encoding="cp1252")
    rows, bad = read_rows(path, est, TODAY)
    assert bad == []
    i = rows[0].inputs
    assert (i.municipality, i.vendor, i.eid, i.admissions_short_term, i.hourly_rate) == \
        ("Øyer", "profil", "bankid_mobil", 1300, 455.5)


@pytest.mark.parametrize("lines, message", [
    ((), "is empty"),
    ((HEADER,), "has a header but no municipality rows"),
    ((HEADER.replace("merknad", "kommentar"), GOOD), "unknown column(s) 'kommentar'"),
    ((HEADER.replace("kommunenummer;", ""), "Gausdal;;"), "required column(s) kommunenummer missing"),
    ((HEADER + ";eid", GOOD), "column(s) eid appear more than once"),
], ids=["empty", "header-only", "unknown-column", "missing-required", "duplicate-column"])
def test_a_file_that_cannot_be_used_is_refused_whole(est, tmp_path, lines, message):
    path = write(tmp_path, *lines)
    with pytest.raises(CsvError) as exc:
        read_rows(path, est, TODAY)
    assert message in str(exc.value)


def test_file_names_are_safe():
    assert filename_for("5430", "Guovdageaidnu – Kautokeino") == "5430-guovdageaidnu-kautokeino.xlsx"
    assert filename_for("3240", "Aurskog-Høland/../x") == "3240-aurskog-holand-x.xlsx"
    assert filename_for("3440", "Øyer") == "3440-oyer.xlsx"


def test_every_column_is_documented_in_the_cli_reference(est):
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for c in columns(est):
        assert f"| `{c.name}` |" in reference, c.name


def test_batch_command_builds_good_rows_and_reports_bad_ones(est, tmp_path, capsys):
    path = write(tmp_path, HEADER, GOOD, "Oslo;301;;;;10;;;;;;;;;;", "Øyer;3440;;;2027;2;;9;2028;;;;;;;")
    out = tmp_path / "kommuner"
    assert main(["batch", str(path), "--out-dir", str(out)]) == 1
    captured = capsys.readouterr()
    assert f"{path}: line 3: kommunenummer: must be four digits, got '301'" in captured.err
    assert "(row skipped)" in captured.err and "Traceback" not in captured.err
    assert sorted(p.name for p in out.iterdir()) == ["3440-oyer.xlsx", "3441-gausdal.xlsx"]
    oyer = read_workbook(out / "3440-oyer.xlsx", est)
    assert oyer.problems == [] and oyer.inputs.municipality == "Øyer" and oyer.inputs.first_year == 2027
    assert [(s.group, s.staff, s.year) for s in oyer.inputs.steps] == [("a", 2, None), ("b", 9, 2028)]
    # Run again: the workbooks are our own, untouched, so they are simply replaced.
    assert main(["batch", str(path), "--out-dir", str(out)]) == 1
    capsys.readouterr()
    # Once a municipality typed into one, nothing is written without --force (output rule).
    fill(out / "3440-oyer.xlsx", {"kj_hourly_rate": 500}, out / "3440-oyer.xlsx")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert main(["batch", str(path), "--out-dir", str(out)]) == 3
    err = capsys.readouterr().err
    assert "3440-oyer.xlsx: holds 1 filled-in input value(s) this build would not keep" in err
    assert "nothing written to" in err and "pass --force" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing written, no temporary file
    assert main(["batch", str(path), "--out-dir", str(out), "--force"]) == 1


def test_batch_command_refuses_a_bad_file_and_writes_nothing(tmp_path, capsys):
    path = write(tmp_path, "navn;nummer", "Oslo;0301")
    out = tmp_path / "kommuner"
    assert main(["batch", str(path), "--out-dir", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown column(s) 'navn', 'nummer'" in err
    assert not out.exists()


def test_a_refused_list_value_is_named_in_the_rows_malform(est, tmp_path):
    """A row for a nynorsk workbook is told the choices as its workbook names them («Annan leverandør»)."""
    names = [c.name for c in columns(est)]

    def row(**values: str) -> str:
        return ";".join(values.get(n, "") for n in names)

    path = write(tmp_path, ";".join(names),
                 row(kommune="Ål", kommunenummer="3619", epj_leverandor="Cerner", a_helsepersonell="10", malform="nn"),
                 row(kommune="Gol", kommunenummer="3324", epj_leverandor="Cerner", a_helsepersonell="10"))
    _, bad = read_rows(path, est, TODAY)
    assert [b.line for b in bad] == [2, 3]
    assert "Annan leverandør)" in str(bad[0]) and "Annen" not in str(bad[0])
    assert "Annen leverandør)" in str(bad[1])  # bokmål, as before
