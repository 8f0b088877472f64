"""`kj-budget collect`: many filled workbooks → a regional overview workbook and CSV."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from workbook_builder.cli.commands import HELP
from workbook_builder.cli.common import MAX_WORKERS, add_estimates_option, estimates_from, number_option
from workbook_builder.cli.progress import progress_bar
from workbook_builder.core.errors import EXIT_CHECK_FAILED, CliError
from workbook_builder.core.followup import ABOVE
from workbook_builder.core.i18n import tr
from workbook_builder.services.collect import (
    F_FILE,
    F_FIXED,
    F_STATUS,
    Entry,
    Failure,
    collect,
    csv_columns,
    find_workbooks,
    followup_csv_columns,
    followup_csv_path,
    make_overview,
    status_counts,
    status_summary,
)
from workbook_builder.services.readcache import ReadCache
from workbook_builder.xlsx.output import OVERVIEW_WORKBOOK, Target, check_targets, overview_csv_kind, write_outputs


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "collect", help=HELP["collect"],
        description="Read filled budget workbooks (files, or every .xlsx in the folders given) and write a "
        "regional overview workbook in Norwegian: one row per municipality with scope, one-off cost per budget "
        "year, running cost, benefits, payback and Kontroll status, totals for the region and a chart, and the "
        "actuals each municipality entered on its Oppfølging sheet against its budget per line and year (sheet "
        "Oppfølging); plus the table as CSV (';' and decimal comma) beside it (FILE.csv), and the follow-up table "
        "as FILE-oppfolging.csv. The numbers are the cost model's, from each "
        "workbook's inputs; a workbook whose saved totals differ from the model's is flagged. Files that cannot "
        "be read are listed with the reason.",
        epilog="Exit codes: 0 every workbook read and agreeing with the model; 1 some could not be read or "
        "disagree (the overview is written all the same); 2 bad arguments; 3 the overview could not be written. "
        "Example: kj-budget collect build/kommuner --out build/oversikt.xlsx",
    )
    p.add_argument("targets", type=Path, nargs="+", metavar="FILES_OR_DIR", help="workbooks, or folders of them")
    p.add_argument("--out", type=Path, default=Path("oversikt.xlsx"), metavar="FILE.xlsx",
                   help="the overview workbook (default: oversikt.xlsx); the CSV goes beside it (FILE.csv)")
    p.add_argument("--malform", choices=("nb", "nn"), default="nb",
                   help="the written standard of the overview's texts: nb (bokmål, the default) or nn (nynorsk)")
    p.add_argument("--workers", type=number_option("--workers", 1, MAX_WORKERS, whole=True), default=2, metavar="N",
                   help="processes to read with (default 2)")
    p.add_argument("--force", action="store_true",
                   help="replace FILE.xlsx and the CSVs beside it even if they are not an overview written by "
                   "kj-budget")
    p.add_argument("--no-cache", action="store_true",
                   help="read every workbook again: by default a workbook whose bytes were read by an earlier "
                   "collect (with the same estimates and the same kj-budget) is taken from the cache in the user's "
                   "cache folder (~/.cache/kj-budget, %%LOCALAPPDATA%%\\kj-budget\\Cache, or $KJ_BUDGET_CACHE_DIR)")
    add_estimates_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    est = estimates_from(args)
    if args.out.suffix.lower() != ".xlsx":
        raise CliError(f"--out {args.out}: the overview is an .xlsx workbook (the CSV is written beside it)")
    try:
        found = find_workbooks(args.targets)
    except FileNotFoundError as exc:
        raise CliError(f"{exc}: no such file or folder") from None
    targets = [Target(args.out, OVERVIEW_WORKBOOK, f"--out {args.out}"),
               Target(args.out.with_suffix(".csv"), overview_csv_kind(csv_columns()),
                      f"{args.out.with_suffix('.csv')} (the CSV beside it)"),
               Target(followup_csv_path(args.out), overview_csv_kind(followup_csv_columns()),
                      f"{followup_csv_path(args.out)} (the follow-up CSV beside it)")]
    # Our own earlier overview, found by scanning a folder, is not a municipality's workbook: it is left
    # out of what is read (and replaced). Named on the command line, it is an input and is never replaced.
    paths = [p for p in found.files if not (p in found.in_folders and _same(p, args.out)
                                            and OVERVIEW_WORKBOOK.recognise(p))]
    check_targets(targets, [*paths, args.estimates], force=args.force)
    locks = found.locks
    if locks:
        print(f"kj-budget collect: left out {len(locks)} Excel lock file(s) (~$…, a workbook open in Excel): "
              + ", ".join(p.name for p in locks[:5]), file=sys.stderr)
    if not paths and not found.unusable:
        raise CliError("no .xlsx workbooks found in " + ", ".join(map(str, args.targets)))
    t = time.perf_counter()
    cache = None if args.no_cache else ReadCache.open(est)
    try:
        with progress_bar() as bar:
            task = bar.add_task("Reading workbooks", total=len(paths))
            results = collect(paths, est, workers=args.workers, progress=lambda _r: bar.advance(task), cache=cache)
    finally:
        if cache is not None:
            cache.close()
    entries = [r for r in results if isinstance(r, Entry)]
    failures = [*found.unusable, *(r for r in results if isinstance(r, Failure))]
    for f in failures:
        print(f"kj-budget collect: not read: {f.reason}", file=sys.stderr)
    for e in entries:
        if e.mismatch:
            print(f"kj-budget collect: {e.path.name}: {e.mismatch}", file=sys.stderr)
    ov = make_overview(args.out, entries, failures, est, malform=args.malform)
    write_outputs([(targets[0], ov.xlsx_bytes), (targets[1], ov.csv_bytes), (targets[2], ov.followup_csv_bytes)])
    for d in ov.duplicates:
        print(f"kj-budget collect: {d.entry.path.name}: same municipality number as {d.counted.path.name}; "
              "counted once (the newer file), listed as a duplicate", file=sys.stderr)
    seconds = time.perf_counter() - t
    counted = [e for e in entries if not any(d.entry is e for d in ov.duplicates)]
    unchanged = f" ({cache.hits} unchanged since an earlier collect, from the cache)" if cache and cache.hits else ""
    print(f"Read {len(entries)} of {len(paths) + len(found.unusable)} workbook(s){unchanged} in {seconds:.1f} s; "
          f"wrote {ov.xlsx}, {ov.csv} and {ov.followup_csv}.")
    known = [row for row in ov.followup if row[F_FIXED] is not None]
    if known:
        above = sum(row[F_STATUS] == tr(ABOVE, args.malform) for row in known)
        print(f"Follow-up: {len(known)} actual(s) from {len({row[F_FILE] for row in known})} workbook(s); "
              f"{above} above P85.")
    print(f"Kontroll: {status_summary(status_counts(counted))}"
          + (f"; {len(failures)} not read" if failures else "") + ".")
    mismatched = sum(bool(e.mismatch) for e in entries)
    return EXIT_CHECK_FAILED if failures or mismatched or ov.duplicates else 0


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
