"""collect and batch at their edges: a municipality in two files is counted once (the copy listed), what
a folder holds that is not a workbook file is listed, a CSV in UTF-16 is read (or refused precisely), an
unclosed quote names its line, a batch has a stated maximum of rows, and no worker outlives the command."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import lo
import pandas as pd
import pytest
from conftest import TODAY

from workbook_builder.cli.main import main
from workbook_builder.core.model import Inputs, Step, budget
from workbook_builder.services.batch import MAX_ROWS, CsvError, read_rows
from workbook_builder.workbook import build_workbook

ROOT = Path(__file__).parent.parent
HEADER = "kommune;kommunenummer;epj_leverandor;a_helsepersonell"


def table(book: lo.Book, sheet: str, head_row: int) -> list[dict]:
    rows = book.sheets[sheet]
    return [dict(zip(rows[head_row], r)) for r in rows[head_row + 1:]]


# ----------------------------------------------------------------------------- duplicates counted once


@pytest.fixture
def region_with_a_copy(est, tmp_path):
    folder = tmp_path / "kommuner"
    folder.mkdir()
    old = Inputs(municipality="Gausdal", municipality_number="3441", steps=(Step(20, "a"),))
    new = Inputs(municipality="Gausdal", municipality_number="3441", steps=(Step(30, "a"),))
    oyer = Inputs(municipality="Øyer", municipality_number="3440", steps=(Step(10, "a"),))
    for name, inputs, mtime in (("3441-gausdal.xlsx", old, 1_700_000_000), ("3441-gausdal (kopi).xlsx", new,
                                                                              1_800_000_000),
                                ("3440-oyer.xlsx", oyer, 1_700_000_000)):
        build_workbook(folder / name, est, inputs, today=TODAY)
        os.utime(folder / name, (mtime, mtime))
    return folder, {k: budget(est, v, TODAY) for k, v in (("new", new), ("oyer", oyer), ("old", old))}


def test_two_copies_of_a_municipality_are_counted_once_and_the_copy_listed(region_with_a_copy, tmp_path, capsys):
    folder, b = region_with_a_copy
    out = tmp_path / "oversikt.xlsx"
    assert main(["collect", str(folder), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "3441-gausdal.xlsx: same municipality number as 3441-gausdal (kopi).xlsx; counted once" in err
    book = lo.read_book(out)
    rows = table(book, "Oversikt", 4)
    total = next(r for r in rows if r["Kommune"] == "Sum regionen")
    assert total["Helsepersonell totalt"] == 40  # 30 (the newer copy) + 10, not 20 + 30 + 10
    assert total["Engangskostnad totalt"] == pytest.approx(b["new"].one_off.total_kr + b["oyer"].one_off.total_kr)
    listed = [r for r in rows[rows.index(total) + 1:] if r.get("Fil")]
    assert [r["Fil"] for r in listed] == ["3441-gausdal.xlsx"]
    assert "duplikat: samme kommunenummer som 3441-gausdal (kopi).xlsx" in listed[0]["Merknad"]
    assert sum(1 for r in table(book, "Per år", 3) if r.get("Kommunenr") == "3441") == 4  # one copy's years
    csv = pd.read_csv(out.with_suffix(".csv"), sep=";", decimal=",", dtype={"Kommunenr": str}, encoding="utf-8-sig")
    dup = csv[csv["Kontroll"] == "Duplikat"]
    assert list(dup["Fil"]) == ["3441-gausdal.xlsx"] and dup["Engangskostnad totalt"].isna().all()
    assert csv["Helsepersonell totalt"].sum() == 40
    assert "har samme kommunenummer som en annen og er ikke med i summene" in book.sheets["Regionen"][3][0]


@pytest.mark.libreoffice
def test_the_overview_with_a_copy_survives_a_recalculation(region_with_a_copy, tmp_path):
    folder, _ = region_with_a_copy
    out = tmp_path / "oversikt.xlsx"
    main(["collect", str(folder), "--out", str(out)])
    recalculated = lo.read_book(lo.recalc([out], tmp_path / "lo")[0])
    total = next(r for r in table(recalculated, "Oversikt", 4) if r["Kommune"] == "Sum regionen")
    assert total["Helsepersonell totalt"] == 40 and recalculated.errors == []


def test_collect_lists_dangling_links_loops_and_pipes_in_a_folder(est, tmp_path, capsys):
    folder = tmp_path / "kommuner"
    folder.mkdir()
    build_workbook(folder / "3440-oyer.xlsx", est, Inputs(municipality="Øyer", municipality_number="3440",
                                                          steps=(Step(5, "a"),)), today=TODAY)
    (folder / "borte.xlsx").symlink_to(tmp_path / "finnes-ikke.xlsx")
    (folder / "sloyfe.xlsx").symlink_to(folder / "sloyfe.xlsx")
    os.mkfifo(folder / "ror.xlsx")
    (folder / "mappe.xlsx").mkdir()
    out = tmp_path / "oversikt.xlsx"
    assert main(["collect", str(folder), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "borte.xlsx: is a symbolic link to a file that does not exist" in err
    assert "sloyfe.xlsx: is a loop of symbolic links" in err
    assert "ror.xlsx: is a named pipe (FIFO), not a workbook file" in err
    assert "mappe.xlsx: is a folder, not a workbook" in err
    failed = {r["Fil"] for r in table(lo.read_book(out), "Ikke lest", 3) if r.get("Fil")}
    assert failed == {"borte.xlsx", "sloyfe.xlsx", "ror.xlsx", "mappe.xlsx"}


# ----------------------------------------------------------------------------- the batch CSV


def test_a_utf16_csv_as_excel_saves_unicode_text_is_read(est, tmp_path):
    path = tmp_path / "k.txt"
    path.write_bytes("kommune\tkommunenummer\ta_helsepersonell\r\nØyer\t3440\t5\r\n".encode("utf-16"))
    rows, bad = read_rows(path, est)
    assert bad == [] and rows[0].inputs.municipality == "Øyer"


def test_a_utf16_csv_without_a_byte_order_mark_is_read(est, tmp_path):
    path = tmp_path / "k.csv"
    path.write_bytes(f"{HEADER}\nØyer;3440;;5\n".encode("utf-16-le"))
    rows, _ = read_rows(path, est)
    assert rows[0].inputs.municipality == "Øyer"


def test_a_workbook_given_as_the_csv_says_save_as_csv(est, tmp_path):
    path = tmp_path / "k.csv"
    build_workbook(path, est, Inputs(), today=TODAY)
    with pytest.raises(CsvError, match=r"is an Excel workbook \(\.xlsx\), not a CSV file: in Excel, .* «CSV UTF-8"):
        read_rows(path, est)


def test_a_file_that_is_no_known_text_says_save_as_utf8(est, tmp_path):
    path = tmp_path / "k.csv"
    path.write_bytes(b"kommune;kommunenummer\n\x81\x8d\x8f\x90\x9d;3440\n")
    with pytest.raises(CsvError, match="neither UTF-8 nor Windows-1252"):
        read_rows(path, est)


def test_an_unclosed_quote_names_its_line(est, tmp_path, capsys):
    path = tmp_path / "k.csv"
    path.write_text(f"{HEADER}\nØyer;3440;;5\n\"Gausdal;3441;;5\nRingebu;3439;;5\n", encoding="utf-8")
    assert main(["batch", str(path), "--out-dir", str(tmp_path / "ut")]) == 2
    err = capsys.readouterr().err
    assert f"{path}: line 3: a quote (\") opened on this line is never closed" in err
    assert not (tmp_path / "ut").exists()


def test_a_quote_that_swallows_rows_is_pointed_out(est, tmp_path):
    path = tmp_path / "k.csv"
    path.write_text(f"{HEADER}\n\"Gausdal;3441;;5\nRingebu;3439;;5\n\";3440;;5\n", encoding="utf-8")
    _, bad = read_rows(path, est)
    assert "(this row runs from line 2 to line 4: is a quote left open?)" in str(bad[0])


def test_a_batch_has_a_stated_maximum_of_rows_and_max_rows_raises_it(est, tmp_path, capsys):
    path = tmp_path / "k.csv"
    lines = "\n".join(f"K{k};{k:04d};;1" for k in range(1, MAX_ROWS + 2))
    path.write_text(f"{HEADER}\n{lines}\n", encoding="utf-8")
    assert main(["batch", str(path), "--out-dir", str(tmp_path / "ut")]) == 2
    err = capsys.readouterr().err
    assert "has more than 2 000 municipality rows" in err and "--max-rows" in err
    rows, _ = read_rows(path, est, max_rows=MAX_ROWS + 1)
    assert len(rows) == MAX_ROWS + 1


def test_a_named_pipe_as_the_csv_is_refused_not_waited_for(tmp_path):
    fifo = tmp_path / "k.csv"
    os.mkfifo(fifo)
    r = subprocess.run([sys.executable, "-m", "workbook_builder.cli", "batch", str(fifo), "--out-dir",
                        str(tmp_path / "ut")], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and "is not a regular file" in r.stderr


# ----------------------------------------------------------------------------- workers


SLOW_BATCH = """
import sys, time
from workbook_builder.services import batch
real = batch._build_one
def slow(*args, **kwargs):
    time.sleep(0.5)
    return real(*args, **kwargs)
batch._build_one = slow
from workbook_builder.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")


def test_no_worker_outlives_a_batch_killed_with_sigkill(tmp_path):
    path = tmp_path / "k.csv"
    path.write_text(HEADER + "\n" + "\n".join(f"K{k};{k:04d};;1" for k in range(1, 41)) + "\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", SLOW_BATCH, "batch", str(path), "--out-dir", str(tmp_path / "ut"),
                             "--workers", "2"], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while len(workers) < 2:
        assert time.monotonic() < deadline and proc.poll() is None, "the workers never started"
        workers = [p for p in _children(proc.pid) if Path(f"/proc/{p}/cmdline").read_bytes().startswith(
            sys.executable.encode())]
        time.sleep(0.1)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 20
    try:
        while any(_alive(p) for p in workers):
            assert time.monotonic() < deadline, f"workers still running after the batch was killed: {workers}"
            time.sleep(0.1)
    finally:
        for p in workers:  # this test's own processes, should it fail
            if _alive(p):
                os.kill(p, signal.SIGKILL)
    leftovers = [p.name for p in (tmp_path / "ut").iterdir() if not p.name.endswith(".tmp")] \
        if (tmp_path / "ut").exists() else []
    assert leftovers == []  # nothing renamed into place: the batch writes all or nothing


def _as_at_a_terminal() -> None:
    """Ctrl+C as at a terminal: a test run started in the background (`cmd &` in a script, nohup) passes SIGINT
    on as ignored, and Python keeps an ignored SIGINT ignored (twice in CI-like runs: the batch built all 40)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_a_batch_and_leaves_nothing(tmp_path):
    path = tmp_path / "k.csv"
    path.write_text(HEADER + "\n" + "\n".join(f"K{k};{k:04d};;1" for k in range(1, 41)) + "\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", SLOW_BATCH, "batch", str(path), "--out-dir", str(tmp_path / "ut"),
                             "--workers", "2"], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_as_at_a_terminal)
    deadline = time.monotonic() + 60
    while len(_children(proc.pid)) < 2:
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.1)
    workers = _children(proc.pid)
    out_dir = tmp_path / "ut"
    while not (out_dir.exists() and any(out_dir.iterdir())):  # a workbook is being written: the batch is under way
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err, err
    assert not any(_alive(p) for p in workers)
    assert not (tmp_path / "ut").exists() or list((tmp_path / "ut").iterdir()) == []


def test_an_interrupted_batch_removes_the_temporary_files_of_results_it_never_received(est, tmp_path):
    """Ctrl+C can land while a worker is writing a workbook, or after it wrote one whose result is still on its
    way: that temporary file is named by no result the batch holds. build_all removes the temporary files it
    made beside its targets once the workers are gone, and leaves another writer's alone."""
    from workbook_builder.services.batch import build_all

    path = tmp_path / "k.csv"
    path.write_text(HEADER + "\n" + "\n".join(f"K{k};{k:04d};;1" for k in range(1, 4)) + "\n", encoding="utf-8")
    rows, bad = read_rows(path, est, TODAY)
    assert bad == [] and len(rows) == 3
    out = tmp_path / "ut"
    out.mkdir()
    foreign = out / f".{rows[0].filename}.someone-else.tmp"  # another program's, from before the batch
    foreign.write_bytes(b"x")
    stray = out / f".{rows[2].filename}.in-flight.tmp"

    def interrupted(outcome):  # a worker's file appears that no result names, then Ctrl+C
        stray.write_bytes(b"half a workbook")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_all(rows, out, est, TODAY, workers=1, progress=interrupted)
    assert sorted(p.name for p in out.iterdir()) == [foreign.name]


def test_csv_text_is_read_back_by_pandas_the_norwegian_way(est, tmp_path):
    """The overview CSV's quoting keeps numbers numeric for a reader that opens it the Norwegian way."""
    from workbook_builder.services.collect import overview_columns, overview_csv

    heads = [c.head for c in overview_columns(est, [2027])]
    row: list = [1.0 if c.fmt else "" for c in overview_columns(est, [2027])]
    row[heads.index("Kommunenr")], row[heads.index("Kommune")] = "3440", "=Øyer"
    row[heads.index("Engangskostnad totalt")] = 1234.5
    text = overview_csv(est, [2027], [row], [])
    frame = pd.read_csv(io.StringIO(text.lstrip("\ufeff")), sep=";", decimal=",", dtype={"Kommunenr": str})
    assert frame.loc[0, "Kommune"] == "'=Øyer" and frame.loc[0, "Engangskostnad totalt"] == 1234.5
    assert frame.loc[0, "Kommunenr"] == "3440"
