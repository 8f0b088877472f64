"""Benchmark: batch and collect for all 356 Norwegian municipalities (synthetic rows), on 2 cores.

Run by hand: `python3 bench/bench_batch_collect.py [--keep DIR]`. Targets: batch under 60 s, collect
under 2 s, and the reader collect and check use (workbook_builder.xlsx.filled_reader: its safety checks, then
python-calamine) within 3× of python-calamine alone reading the same sheets' values. Prints the
wall times, per-workbook times, and the ratios of the reader to calamine alone and to openpyxl.
The rows are synthetic (numbers 9001–9356, seeded random personnel), not real municipalities.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbook_builder.cli.main import main  # noqa: E402
from workbook_builder.core.estimates import load_estimates  # noqa: E402
from workbook_builder.core.model import Inputs, Step  # noqa: E402
from workbook_builder.services.batch import columns  # noqa: E402
from workbook_builder.services.collect import COMPARED_OUTPUTS, Entry, collect  # noqa: E402
from workbook_builder.workbook import build_workbook  # noqa: E402
from workbook_builder.xlsx.filled_reader import WorkbookFile, read_workbook  # noqa: E402

MUNICIPALITIES = 356  # Norway, 2024 (ehelse.no, e-helsemonitor)
SAMPLE = 60  # files read by both readers for the comparison
CHANGED = 10  # workbooks rebuilt between two collects: a few new versions come in


def synthetic_csv(path: Path, n: int = MUNICIPALITIES, seed: int = 356) -> None:
    rng = random.Random(seed)
    vendors = ["Gerica", "Profil", "CosDoc", ""]
    eids = ["PKI-kort", "BankID", "BankID på mobil", ""]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=";")
        names = [c.name for c in columns(load_estimates())]
        w.writerow(names)
        for k in range(n):  # by column name: a column added to the CSV format (e.g. malform) shifts nothing
            size = rng.choice([5, 20, 60, 150, 400, 1200])
            staff = [max(1, int(size * f)) for f in (0.05, 0.3, 0.65)]
            row = {"kommune": f"Testkommune {k + 1:03d}", "kommunenummer": f"{9001 + k}",
                   "epj_leverandor": rng.choice(vendors), "eid": rng.choice(eids), "forste_budsjettar": 2027,
                   "a_helsepersonell": staff[0], "a_startar": 2027, "b_helsepersonell": staff[1],
                   "b_startar": rng.choice(["", 2027, 2028]), "c_helsepersonell": staff[2],
                   "c_startar": rng.choice([2028, 2029]), "mottak_korttid": size * 6, "mottak_hjemmetjeneste": size * 9,
                   "timekostnad": rng.choice(["", "455,5", "520"]), "modulpris": rng.choice(["", "85 000", "120000"]),
                   "merknad": "syntetisk"}
            w.writerow([row.get(name, "") for name in names])


def overview_when_all_reported(est, files: list[Path]) -> None:
    """The overview's follow-up table at its largest: every municipality has reported an actual for every line
    and budget year (its budget × a seeded factor from 0.6 to 1.6). The workbooks are read once; only the
    writing of the overview (and its CSVs, in memory) is timed, against the same overview with no actuals."""
    from dataclasses import replace

    from workbook_builder.core.followup import follow_up
    from workbook_builder.core.model import Actual
    from workbook_builder.services.collect import make_overview

    rng = random.Random(14)
    entries = [r for r in collect(files, est, workers=2) if isinstance(r, Entry)]
    reported = []
    for e in entries:
        actuals = tuple(Actual(d.line.id, d.year, round(d.budget * rng.uniform(0.6, 1.6)))
                        for d in follow_up(est, e.budget, ()) if d.budget)
        reported.append(replace(e, inputs=replace(e.inputs, actuals=actuals)))
    times = {}
    for label, group in (("no actuals", entries), ("all reported", reported)):
        t = time.perf_counter()
        ov = make_overview(Path("oversikt.xlsx"), group, [], est)
        times[label] = (time.perf_counter() - t, len(ov.followup))
    print("overview written (in memory): " + ", ".join(f"{label} {sec:.2f} s ({rows} follow-up rows)"
                                                      for label, (sec, rows) in times.items()))


def per_file(seconds: float, n: int) -> str:
    return f"{seconds / n * 1000:.1f} ms per workbook"


def main_bench() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--keep", type=Path, help="folder to keep the workbooks and the overview in")
    ap.add_argument("--reuse", action="store_true",
                    help="time collect on the workbooks an earlier run left in --keep DIR (batch is not run)")
    args = ap.parse_args()
    if args.reuse and not args.keep:
        ap.error("--reuse needs --keep DIR")
    with tempfile.TemporaryDirectory(prefix="kj-bench-") as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        src = root / "kommuner.csv"
        synthetic_csv(src)
        out = root / "kommuner"
        if not args.reuse:
            t = time.perf_counter()
            code = main(["batch", str(src), "--out-dir", str(out), "--workers", "2", "--force"])
            t_batch = time.perf_counter() - t
            assert code == 0, code
            print(f"batch:   {MUNICIPALITIES} workbooks in {t_batch:5.1f} s on 2 processes "
                  f"({per_file(t_batch, MUNICIPALITIES)} of wall time)   target < 60 s: "
                  f"{'met' if t_batch < 60 else 'NOT met'}")
        files = sorted(out.glob("*.xlsx"))
        assert len(files) == MUNICIPALITIES, len(files)

        os.environ["KJ_BUDGET_CACHE_DIR"] = str(Path(tmp) / "cache")  # an empty cache: the first collect is cold
        collect_args = ["collect", str(out), "--out", str(root / "oversikt.xlsx"), "--workers", "2", "--force"]
        t = time.perf_counter()
        code = main([*collect_args, "--no-cache"])
        t_collect = time.perf_counter() - t
        assert code == 0, code
        print(f"collect: {MUNICIPALITIES} workbooks in {t_collect:5.2f} s on 2 processes "
              f"({per_file(t_collect, MUNICIPALITIES)} of wall time, overview written)   target < 2 s: "
              f"{'met' if t_collect < 2 else 'NOT met'}")
        runs = {}
        for label in ("first run, cache empty", "again, nothing changed"):
            t = time.perf_counter()
            assert main(collect_args) == 0
            runs[label] = time.perf_counter() - t
        changed = files[:CHANGED]
        originals = {path: path.read_bytes() for path in changed}
        for k, path in enumerate(changed):  # as when a few municipalities send a new version
            with WorkbookFile(path) as wb:
                municipality = wb.value("kj_municipality")
            build_workbook(path, load_estimates(), Inputs(municipality=str(municipality),
                                                          municipality_number=path.name[:4],
                                                          steps=(Step(10 + k, "a", "", 2027),)))
        t = time.perf_counter()
        assert main(collect_args) == 0
        runs[f"again, {CHANGED} changed"] = time.perf_counter() - t
        for path, data in originals.items():  # as they were (--reuse times the same workbooks next time)
            path.write_bytes(data)
        print("collect with its cache: " + ", ".join(f"{label} {sec:.2f} s" for label, sec in runs.items())
              + f"   ({runs['again, nothing changed'] / t_collect:.2f}× the run without the cache)")

        est = load_estimates()
        overview_when_all_reported(est, files)
        sample = files[:SAMPLE]
        results = collect(sample, est, workers=1)
        inner = [r.seconds for r in results if isinstance(r, Entry)]
        print(f"collect, one process: read + model per workbook: median {statistics.median(inner) * 1000:.1f} ms, "
              f"max {max(inner) * 1000:.1f} ms ({len(inner)} files)")

        def timed(fn) -> list[float]:
            out_ = []
            for p in sample:
                t0 = time.perf_counter()
                fn(p)
                out_.append(time.perf_counter() - t0)
            return out_

        def with_openpyxl(p: Path) -> None:
            """The same job with openpyxl: open with saved values, read every input name's cells."""
            wb = openpyxl.load_workbook(p, data_only=True)
            for name, dn in wb.defined_names.items():
                if name.startswith("kj_"):
                    for sheet, ref in dn.destinations:
                        cells = wb[sheet][ref.replace("$", "")]
                        _ = [c.value for row in (cells if isinstance(cells, tuple) else ((cells,),))
                             for c in (row if isinstance(row, tuple) else (row,))]
            wb.close()

        from python_calamine import CalamineWorkbook

        from workbook_builder.cells import INPUT_BY_NAME, OUTPUTS

        def planned(outputs) -> list[str]:
            """The sheets the reader takes values from: inputs, the actuals (Oppfølging), the outputs read,
            Byggeinfo (as filled_reader._read plans them)."""
            with WorkbookFile(sample[0]) as probe:
                meta = [n for n in probe.names if n.startswith(("kj_meta_", "kj_actual_"))]
                probe.plan([*INPUT_BY_NAME, "kj_input_note", *outputs, *meta])
                return list(probe._planned)

        sheets, collect_sheets = planned(OUTPUTS), planned(COMPARED_OUTPUTS)

        def with_calamine(p: Path, names: list[str] = sheets) -> None:
            """calamine alone: the same sheets whose values the reader takes, nothing checked."""
            wb = CalamineWorkbook.from_path(str(p))
            for name in names:
                wb.get_sheet_by_name(name).to_python(skip_empty_area=False)

        def as_collect(p: Path) -> None:
            read_workbook(p, est, strict=True, full=False, outputs=COMPARED_OUTPUTS)

        for _ in range(2):  # warm the file cache and the imports for every reader alike
            timed(lambda p: read_workbook(p, est, strict=True, full=False))
            timed(with_calamine)
        t_reader = timed(lambda p: read_workbook(p, est, strict=True, full=False))
        t_cal = timed(with_calamine)
        t_collect = timed(as_collect)
        t_cal_collect = timed(lambda p: with_calamine(p, collect_sheets))
        t_openpyxl = timed(with_openpyxl)
        m_reader, m_cal, m_openpyxl = (statistics.median(t) for t in (t_reader, t_cal, t_openpyxl))
        m_collect, m_cal_collect = statistics.median(t_collect), statistics.median(t_cal_collect)
        print(f"reader (checks, then calamine):  median {m_reader * 1000:6.2f} ms per workbook")
        print(f"python-calamine alone:           median {m_cal * 1000:6.2f} ms per workbook ({', '.join(sheets)})")
        print(f"the reader as collect uses it:   median {m_collect * 1000:6.2f} ms per workbook, "
              f"{m_collect / m_cal_collect:.1f}× calamine alone on its sheets ({', '.join(collect_sheets)}: "
              f"{m_cal_collect * 1000:.2f} ms)")
        print(f"openpyxl (data_only=True):       median {m_openpyxl * 1000:6.2f} ms per workbook")
        print(f"the reader takes {m_reader / m_cal:.1f}× calamine alone (target ≤ 3×: "
              f"{'met' if m_reader <= 3 * m_cal else 'NOT met'}) and is {m_openpyxl / m_reader:.0f}× faster than "
              f"openpyxl on the same {len(sample)} files")


if __name__ == "__main__":
    main_bench()
