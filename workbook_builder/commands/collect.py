"""`kj-budget collect`: many filled workbooks → a regional overview workbook and CSV."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..errors import EXIT_CHECK_FAILED, EXIT_WRITE, CliError
from ..model import ERROR, NOTE, OK
from ..reports.collect import Entry, Failure, collect, find_workbooks, write_overview
from .common import add_estimates_option, estimates_from
from .progress import progress_bar


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "collect", help="read many filled workbooks and write a regional overview (.xlsx and .csv)",
        description="Read filled budget workbooks (files, or every .xlsx in the folders given) and write a "
        "regional overview workbook in Norwegian: one row per municipality with scope, one-off cost per budget "
        "year, running cost, benefits, payback and Kontroll status, totals for the region and a chart, plus the "
        "same table as CSV (';' and decimal comma) beside it. The numbers are the cost model's, from each "
        "workbook's inputs; a workbook whose saved totals differ from the model's is flagged. Files that cannot "
        "be read are listed with the reason.",
        epilog="Exit codes: 0 every workbook read and agreeing with the model; 1 some could not be read or "
        "disagree (the overview is written all the same); 2 bad arguments; 3 the overview could not be written. "
        "Example: kj-budget collect build/kommuner --out build/oversikt.xlsx",
    )
    p.add_argument("targets", type=Path, nargs="+", metavar="FILES_OR_DIR", help="workbooks, or folders of them")
    p.add_argument("--out", type=Path, default=Path("oversikt.xlsx"), metavar="FILE.xlsx",
                   help="the overview workbook (default: oversikt.xlsx); the CSV goes beside it (FILE.csv)")
    p.add_argument("--workers", type=int, default=2, metavar="N", help="processes to read with (default 2)")
    add_estimates_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    est = estimates_from(args)
    if args.out.suffix.lower() != ".xlsx":
        raise CliError(f"--out {args.out}: the overview is an .xlsx workbook (the CSV is written beside it)")
    if args.workers < 1:
        raise CliError(f"--workers must be 1 or more, got {args.workers}")
    try:
        paths, locks = find_workbooks(args.targets, exclude=[args.out])
    except FileNotFoundError as exc:
        raise CliError(f"{exc}: no such file or folder") from None
    if locks:
        print(f"kj-budget collect: left out {len(locks)} Excel lock file(s) (~$…, a workbook open in Excel): "
              + ", ".join(p.name for p in locks[:5]), file=sys.stderr)
    if not paths:
        raise CliError("no .xlsx workbooks found in " + ", ".join(map(str, args.targets)))
    t = time.perf_counter()
    with progress_bar() as bar:
        task = bar.add_task("Reading workbooks", total=len(paths))
        results = collect(paths, est, workers=args.workers, progress=lambda _r: bar.advance(task))
    entries = [r for r in results if isinstance(r, Entry)]
    failures = [r for r in results if isinstance(r, Failure)]
    for f in failures:
        print(f"kj-budget collect: not read: {f.reason}", file=sys.stderr)
    for e in entries:
        if e.mismatch:
            print(f"kj-budget collect: {e.path.name}: {e.mismatch}", file=sys.stderr)
    try:
        ov = write_overview(args.out, entries, failures, est)
    except OSError as exc:
        raise CliError(f"cannot write {exc.filename or args.out}: {exc.strerror or exc}", EXIT_WRITE) from None
    seconds = time.perf_counter() - t
    status = {s: sum(e.budget.master_check == s for e in entries) for s in (OK, NOTE, ERROR)}
    print(f"Read {len(entries)} of {len(paths)} workbook(s) in {seconds:.1f} s; wrote {ov.xlsx} and {ov.csv}.")
    print(f"Kontroll: {status[OK]} OK, {status[NOTE]} Merknad, {status[ERROR]} Feil"
          + (f"; {len(failures)} not read" if failures else "") + ".")
    mismatched = sum(bool(e.mismatch) for e in entries)
    return EXIT_CHECK_FAILED if failures or mismatched else 0
