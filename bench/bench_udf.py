"""How much a KJ_COST call costs through xlwings' Office.js code path (what xlwings Lite runs).

Run by hand from the repository root:  python3 bench/bench_udf.py
Prints the cost of one single-cell call, of one call over a 10 000-row column (per value), and
their ratio; the range call must be at least 50× cheaper per value on both columns timed: a
realistic one (ward sizes 0-500, so counts repeat and each distinct count is computed once) and
the worst case (10 000 distinct counts, all computed by the model's batched path in one go).
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("XLWINGS_ON_SERVER", "true")
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

from udfs import kj  # noqa: E402
from udfs.officejs import payload, server_mode  # noqa: E402

ROWS = 10_000
REQUIRED_RATIO = 50


def timed(loop: asyncio.AbstractEventLoop, data: dict, repeat: int) -> float:
    """Median seconds of one call (the payload is rebuilt as fresh JSON-like lists each time)."""
    server = server_mode()
    times = []
    for _ in range(repeat):
        fresh = {**data, "args": [[list(row) for row in a] for a in data["args"]]}
        t0 = time.perf_counter()
        loop.run_until_complete(server.custom_functions_call(fresh, kj))
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    loop = asyncio.new_event_loop()
    rng = random.Random(2020)
    single = timed(loop, payload("kj_cost", 137, "PKI-kort"), repeat=2000)
    columns = {
        "realistic (counts 0-500, repeating)": [[rng.randint(0, 500)] for _ in range(ROWS)],
        "worst case (10 000 distinct counts)": [[n] for n in range(1, ROWS + 1)],
    }
    import xlwings

    print(f"KJ_COST through xlwings {xlwings.__version__}: xlwings.server.custom_functions_call (the Office.js path)")
    print(f"  one single-cell call:            {single * 1e6:9.1f} µs")
    ok = True
    for name, column in columns.items():
        per_value = timed(loop, payload("kj_cost", column, "PKI-kort"), repeat=5) / ROWS
        ratio = single / per_value
        distinct = len({row[0] for row in column})
        print(f"  {ROWS} rows, {name}, {distinct} distinct:")
        print(f"      {per_value * 1e6:6.2f} µs per value, {ratio:5.0f}× cheaper per value than a single call")
        ok = ok and ratio >= REQUIRED_RATIO
    print(f"  required: ≥ {REQUIRED_RATIO}× on both columns: {'met' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
