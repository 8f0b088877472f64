"""`kj-budget batch`: one pre-filled workbook per municipality, from a CSV file."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..errors import EXIT_CHECK_FAILED, EXIT_WRITE, CliError
from ..reports.batch import CsvError, build_all, columns_table, existing_targets, read_rows
from .common import add_estimates_option, estimates_from
from .progress import progress_bar


def register(sub: argparse._SubParsersAction) -> None:
    cols = "; ".join(f"{name}{' (required)' if req else ''}" for name, req, _ in columns_table())
    p = sub.add_parser(
        "batch", help="build one pre-filled workbook per municipality from a CSV file",
        description="Read a CSV file with one municipality per row and write one budget workbook per valid row, "
        "pre-filled with its inputs, named NNNN-name.xlsx. Every row is checked with the model's rules; a bad row "
        "is reported with its line number and the reason, and skipped. The workbooks are built in parallel and "
        "each is written atomically. Separator ';' or ',' (detected), UTF-8 or Windows-1252; lines starting with "
        f"'#' are comments. Columns: {cols}.",
        epilog="Exit codes: 0 every row built; 1 some rows were bad and skipped (the rest were built); 2 the file "
        "cannot be used, nothing written; 3 a workbook could not be written. "
        "Example: kj-budget batch examples/pilotkommuner.csv --out-dir build/kommuner",
    )
    p.add_argument("csv", type=Path, metavar="MUNICIPALITIES.csv", help="the municipalities, one per row")
    p.add_argument("--out-dir", type=Path, required=True, metavar="DIR", help="folder for the workbooks")
    p.add_argument("--workers", type=int, default=2, metavar="N", help="processes to build with (default 2)")
    p.add_argument("--force", action="store_true",
                   help="replace workbooks that already exist in DIR (they may hold what a municipality typed)")
    add_estimates_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    est = estimates_from(args)
    if args.workers < 1:
        raise CliError(f"--workers must be 1 or more, got {args.workers}")
    if args.out_dir.exists() and not args.out_dir.is_dir():
        raise CliError(f"--out-dir {args.out_dir} is a file, not a folder")
    try:
        rows, bad = read_rows(args.csv, est)
    except CsvError as exc:
        raise CliError(str(exc)) from None
    for b in bad:
        print(f"kj-budget batch: {args.csv}: {b} (row skipped)", file=sys.stderr)
    exists = existing_targets(rows, args.out_dir)
    if exists and not args.force:
        names = ", ".join(p.name for p in exists[:5]) + (f" and {len(exists) - 5} more" if len(exists) > 5 else "")
        raise CliError(f"{len(exists)} workbook(s) already exist in {args.out_dir} ({names}); they may hold what a "
                       "municipality typed: pass --force to replace them, or choose another --out-dir")
    t = time.perf_counter()
    results = []
    if rows:
        with progress_bar() as bar:
            task = bar.add_task("Building workbooks", total=len(rows))
            results = build_all(rows, args.out_dir, est, workers=args.workers,
                                progress=lambda _b: bar.advance(task))
    seconds = time.perf_counter() - t
    failed = [r for r in results if r.error]
    for r in failed:
        print(f"kj-budget batch: line {r.line}: {r.error}", file=sys.stderr)
    written = len(results) - len(failed)
    print(f"Wrote {written} workbook(s) to {args.out_dir} in {seconds:.1f} s"
          + (f"; {len(bad)} bad row(s) skipped (see above)" if bad else "") + ".")
    if failed:
        return EXIT_WRITE
    return EXIT_CHECK_FAILED if bad else 0
