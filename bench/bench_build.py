"""Benchmark: building the default workbook, against XlsxWriter writing the same cells bare.

Run by hand: `python3 bench/bench_build.py`. Prints medians and the ratio; the target is a build
under 1 s. "Bare" means the same sheets, values and formula strings with no formats, names,
validation, protection, chart or model: the floor of what writing this workbook can cost.
"""

from __future__ import annotations

import io
import statistics
import time

import openpyxl
import xlsxwriter

from workbook_builder.core.estimates import load_estimates
from workbook_builder.core.model import Inputs
from workbook_builder.workbook import build_bytes

RUNS = 15


def median_seconds(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    est = load_estimates()
    built = build_bytes(est, Inputs())
    wb = openpyxl.load_workbook(io.BytesIO(built.data))
    cells = {ws.title: [(c.row - 1, c.column - 1, c.value) for row in ws.iter_rows() for c in row
                        if c.value is not None] for ws in wb.worksheets}
    n_cells = sum(map(len, cells.values()))
    n_formulas = sum(1 for v in cells.values() for *_, x in v if isinstance(x, str) and x.startswith("="))

    def bare() -> None:
        out = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
        for title, items in cells.items():
            ws = out.add_worksheet(title)
            for r, c, v in items:
                if isinstance(v, str) and v.startswith("="):
                    ws.write_formula(r, c, v)
                elif isinstance(v, str):
                    ws.write_string(r, c, v)
                else:
                    ws.write_number(r, c, v)
        out.close()

    t_build = median_seconds(lambda: build_bytes(est, Inputs()))
    t_bare = median_seconds(bare)
    print(f"cells: {n_cells} ({n_formulas} formulas), {len(built.register.names)} defined names")
    print(f"kj-budget build (model, sheets, names, validation, chart): {t_build * 1000:7.1f} ms (median of {RUNS})")
    print(f"XlsxWriter, the same cells bare:                           {t_bare * 1000:7.1f} ms")
    print(f"ratio build / bare: {t_build / t_bare:.2f}×   target build < 1 s: {'met' if t_build < 1 else 'NOT met'}")


if __name__ == "__main__":
    main()
