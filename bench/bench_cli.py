"""Benchmark: how fast the command line answers (wall time of a fresh process, median of runs).

Run by hand: `python3 bench/bench_cli.py [--runs N]`. Target: `kj-budget cost` and `kj-budget --version`
well under half a second. Printed with the reference the issue names (Python plus XlsxWriter alone) and
as ratios to it, since absolute times depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = [
    ("python -c pass", [sys.executable, "-c", "pass"]),
    ("python + import xlsxwriter", [sys.executable, "-c", "import xlsxwriter"]),
    ("kj-budget --version", [sys.executable, "-m", "workbook_builder.cli", "--version"]),
    ("kj-budget cost --json", [sys.executable, "-m", "workbook_builder.cli", "cost", "--staff", "65", "--eid", "pki",
                               "--json"]),
    ("kj-budget cost (table)", [sys.executable, "-m", "workbook_builder.cli", "cost", "--staff", "65", "--eid",
                                "pki"]),
]


def wall(argv: list[str], runs: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, check=True)  # warm the file cache and .pyc
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    results = {name: wall(argv, args.runs) for name, argv in CASES}
    ref = results["python + import xlsxwriter"]
    print(f"median wall time of {args.runs} fresh processes ({os.cpu_count()} cores):")
    for name, seconds in results.items():
        target = "" if not name.startswith("kj-budget") else (
            "   target < 0.5 s: " + ("met" if seconds < 0.5 else "NOT met"))
        print(f"  {name:28s} {seconds:6.3f} s   {seconds / ref:4.1f}× python + XlsxWriter{target}")


if __name__ == "__main__":
    main()
