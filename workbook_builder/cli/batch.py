"""`kj-budget batch`: one pre-filled workbook per municipality, from a CSV file."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from workbook_builder.cli.commands import HELP
from workbook_builder.cli.common import MAX_WORKERS, add_estimates_option, estimates_from, number_option
from workbook_builder.cli.progress import progress_bar
from workbook_builder.core.errors import EXIT_CHECK_FAILED, EXIT_WRITE, CliError
from workbook_builder.core.estimates import load_estimates
from workbook_builder.services.batch import MAX_ROWS, CsvError, build_all, columns_table, read_rows, targets_for
from workbook_builder.xlsx.output import BUDGET_WORKBOOK, Target, check_targets

SHOWN = 5  # failed workbooks listed one by one


def register(sub: argparse._SubParsersAction) -> None:
    cols = "; ".join(f"{name}{' (required)' if req else ''}" for name, req, _ in columns_table(load_estimates()))
    p = sub.add_parser(
        "batch", help=HELP["batch"],
        description="Read a CSV file with one municipality per row and write one budget workbook per valid row, "
        "pre-filled with its inputs, named NNNN-name.xlsx. Every row is checked with the model's rules; a bad row "
        "is reported with its line number and the reason, and skipped. The workbooks are built in parallel and "
        "each is written atomically. Separator ';' or ',' (detected), UTF-8 or Windows-1252; lines starting with "
        f"'#' are comments. Columns (with the packaged estimates): {cols}. The rollout groups come from the "
        "estimates file in use: two columns, <group>_helsepersonell and <group>_startar, for each of its groups.",
        epilog="Exit codes: 0 every row built; 1 some rows were bad and skipped (the rest were built); 2 the file "
        "cannot be used, nothing written; 3 a workbook could not be written. "
        "Example: kj-budget batch examples/pilotkommuner.csv --out-dir build/kommuner",
    )
    p.add_argument("csv", type=Path, metavar="MUNICIPALITIES.csv", help="the municipalities, one per row")
    p.add_argument("--out-dir", type=Path, required=True, metavar="DIR", help="folder for the workbooks")
    p.add_argument("--workers", type=number_option("--workers", 1, MAX_WORKERS, whole=True), default=2, metavar="N",
                   help="processes to build with (default 2)")
    p.add_argument("--force", action="store_true",
                   help="replace workbooks in DIR even if a municipality typed something into them, or they are not "
                   "kj-budget workbooks")
    p.add_argument("--max-rows", type=number_option("--max-rows", 1, 1_000_000, whole=True), default=MAX_ROWS,
                   metavar="N",
                   help=f"refuse a file with more than N municipality rows (default {MAX_ROWS}; Norway has 356)")
    add_estimates_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    est = estimates_from(args)
    if args.out_dir.exists() and not args.out_dir.is_dir():
        raise CliError(f"--out-dir {args.out_dir}: is a file, not a folder", EXIT_WRITE)
    try:
        rows, bad = read_rows(args.csv, est, max_rows=args.max_rows)
    except CsvError as exc:
        raise CliError(str(exc)) from None
    for b in bad:
        print(f"kj-budget batch: {args.csv}: {b} (row skipped)", file=sys.stderr)
    # The output rule, before anything is built: never an input, never a file that is not a kj-budget
    # workbook without --force; whether a workbook of ours holds what a municipality typed is checked
    # against the new workbook as each is built, and then nothing at all is written.
    check_targets([Target(p, BUDGET_WORKBOOK) for p in targets_for(rows, args.out_dir)], [args.csv, args.estimates],
                  force=args.force)
    t = time.perf_counter()
    results = []
    if rows:
        with progress_bar() as bar:
            task = bar.add_task("Building workbooks", total=len(rows))
            results = build_all(rows, args.out_dir, est, workers=args.workers,
                                progress=lambda _b: bar.advance(task), force=args.force)
    seconds = time.perf_counter() - t
    failed = [r for r in results if r.error]
    if failed:
        for r in failed[:SHOWN]:
            print(f"kj-budget batch: line {r.line}: {r.error}", file=sys.stderr)
        if len(failed) > SHOWN:
            print(f"kj-budget batch: … and {len(failed) - SHOWN} more like these", file=sys.stderr)
        refused = [r for r in failed if r.refused]
        hint = (f"; {len(refused)} workbook(s) hold what a municipality typed: pass --force to replace them, or "
                "choose another --out-dir" if refused else "")
        raise CliError(f"nothing written to {args.out_dir}: {len(failed)} of {len(results)} workbook(s) could not "
                       f"be written{hint}", EXIT_WRITE)
    print(f"Wrote {len(results)} workbook(s) to {args.out_dir} in {seconds:.1f} s"
          + (f"; {len(bad)} bad row(s) skipped (see above)" if bad else "") + ".")
    return EXIT_CHECK_FAILED if bad else 0
