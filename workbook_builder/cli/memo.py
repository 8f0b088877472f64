"""`kj-budget memo`: the budget memo (HTML, and PDF with --pdf) from a filled workbook."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from workbook_builder.cli.commands import HELP
from workbook_builder.cli.common import add_estimates_option, add_malform_option, date_option, filled_budget
from workbook_builder.core.errors import CliError
from workbook_builder.core.i18n import tr
from workbook_builder.services.followup_memo import actuals_summary, render_followup_html
from workbook_builder.services.memo import html_to_pdf, render_memo_html
from workbook_builder.xlsx.output import (
    FOLLOWUP_HTML,
    FOLLOWUP_PDF,
    MEMO_HTML,
    MEMO_PDF,
    Target,
    check_targets,
    write_outputs,
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "memo", help=HELP["memo"],
        description="Write a budget memo in Norwegian to attach to the municipality's decision case "
        "(saksframlegg): scope, one-off and running cost per budget year, the time freed (not money), the range "
        "(P50/P85), the assumptions "
        "and their sources, what is still missing (Kontroll) and a chart. The numbers are the cost model's, "
        "computed from the inputs in the workbook. With --oppfolging: the follow-up note for a tertial report or "
        "the annual accounts instead, the actuals on the Oppfølging sheet against the budget.",
        epilog="Examples: kj-budget memo build/kommuner/3405-lillehammer.xlsx --pdf; "
        "kj-budget memo build/kommuner/3405-lillehammer.xlsx --oppfolging --pdf",
    )
    p.add_argument("workbook", type=Path, metavar="FILE.xlsx", help="a filled budget workbook")
    p.add_argument("--oppfolging", action="store_true",
                   help="write the follow-up note (oppfølgingsnotat) for a tertial report instead: the actual hours "
                   "and kroner entered on the Oppfølging sheet against the budget, per line and year")
    p.add_argument("--out", type=Path, metavar="FILE.html",
                   help="where to write the memo (default: beside the workbook, NAME-budsjettnotat.html, or "
                   "NAME-oppfolging.html with --oppfolging)")
    p.add_argument("--pdf", action="store_true", help="also write a PDF (A4) beside the HTML, made by WeasyPrint")
    p.add_argument("--force", action="store_true",
                   help="replace FILE (and the PDF beside it) even if it is not a memo written by kj-budget")
    p.add_argument("--date", type=date_option, metavar="DATE",
                   help="the date the memo or note is written for, e.g. the end of the tertial: 30.04.2027 or "
                   "2027-04-30 (default: today); with --oppfolging a budget year not ended on it is read as "
                   "«hittil i år», its actuals so far against the whole year's budget")
    add_malform_option(p, "the målform recorded in the workbook")
    add_estimates_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    suffix = "oppfolging" if args.oppfolging else "budsjettnotat"
    out = args.out or args.workbook.with_name(f"{args.workbook.stem}-{suffix}.html")
    if out.suffix.lower() == ".pdf":
        raise CliError(f"--out {out}: give the .html name; --pdf writes the PDF beside it")
    est, filled, b = filled_budget(args, "memo")
    if args.oppfolging and not filled.inputs.actuals:
        raise CliError(f"{args.workbook}: the workbook has no actual figures yet: fill in the yellow cells on the "
                       "Oppfølging sheet (hours from the time records, kroner excl. VAT from the accounts), save it "
                       "and run memo --oppfolging again")
    html_kind, pdf_kind = (FOLLOWUP_HTML, FOLLOWUP_PDF) if args.oppfolging else (MEMO_HTML, MEMO_PDF)
    targets = [Target(out, html_kind, f"--out {out}" if args.out else str(out))]
    if args.pdf:
        targets.append(Target(out.with_suffix(".pdf"), pdf_kind, f"{out.with_suffix('.pdf')} (the PDF beside it)"))
    check_targets(targets, [args.workbook, args.estimates], force=args.force)  # before the 2 s of PDF
    today = args.date or dt.date.today()
    render = render_followup_html if args.oppfolging else render_memo_html
    html = render(est, filled.inputs, b, workbook=args.workbook.name, findings=filled.findings,
                  metadata=filled.metadata, today=today)
    pdf = None
    if args.pdf:
        try:
            pdf = html_to_pdf(html)
        except ImportError:
            raise CliError("--pdf needs WeasyPrint (pip install weasyprint; it ships with kj-budget)") from None
        except OSError as exc:
            raise CliError(f"--pdf: WeasyPrint cannot load Pango ({exc}); on Debian: apt-get install "
                           "libpango-1.0-0 libpangoft2-1.0-0") from None
    write_outputs([(targets[0], html.encode("utf-8")), *([(targets[1], pdf)] if pdf is not None else [])])
    wrote = f"Wrote {out}" + (f" and {out.with_suffix('.pdf')}" if pdf is not None else "")
    name = filled.inputs.municipality or "no municipality name"
    if args.oppfolging:
        print(f"{wrote}: {name}, {actuals_summary(est, b)}.")
    else:
        print(f"{wrote}: {name}, master check {tr(b.master_check, b.params.malform)}.")
    if filled.findings:
        what, heading = (("note", "5. Ugyldige verdier") if args.oppfolging
                         else ("memo", "6. Hva som mangler (Kontroll)"))
        print(f"kj-budget memo: {len(filled.findings)} invalid value(s) in the workbook were left out of every "
              f"number; the {what} lists them under «{tr(heading, b.params.malform)}».",
              file=sys.stderr)
    return 0
