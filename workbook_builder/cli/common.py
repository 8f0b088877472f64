"""Argument types and options shared by the sub-commands."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from workbook_builder.core.errors import CliError
from workbook_builder.core.estimates import Estimates, load_estimates

if TYPE_CHECKING:
    from workbook_builder.core.model import Budget
    from workbook_builder.services.source import Filled

MAX_WORKERS = 256  # --workers: processes are capped again by the work and the machine's cores


def number_option(option: str, minimum: float = 0.0, maximum: float | None = None,
                  whole: bool = False) -> Callable[[str], float]:
    """An argparse type for a number the user types after `option`: the one number rule and bounds
    (`core.numbers.number_text`: Norwegian '1 234', '612,5', or '612.5'; '1,000' and '1.000' refused as
    ambiguous), so a text means the same number here as in a CSV, a workbook or an Excel function."""
    from workbook_builder.core.errors import InputError
    from workbook_builder.core.numbers import number_text

    def parse(text: str) -> float:
        try:
            value = number_text(text, option, option, minimum, maximum, whole)
        except InputError as exc:  # argparse names the option itself: «argument --staff: must be …»
            raise argparse.ArgumentTypeError(exc.en.removeprefix(option).lstrip(": ")) from None
        return int(value) if whole else value

    parse.__name__ = "whole number" if whole else "number"  # argparse's word for the type, in its messages
    return parse


def malform_option(text: str) -> str:
    """An argparse type for --malform: the one målform parser (`core.i18n.parse_malform`), in English."""
    from workbook_builder.core.i18n import parse_malform

    try:
        return parse_malform(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be nb (bokmål) or nn (nynorsk), got {text!r}") from None


malform_option.__name__ = "målform"  # argparse's word for the type, in its messages


def date_option(text: str) -> dt.date:
    """An argparse type for a date typed the Norwegian way (30.04.2027) or as ISO 8601 (2027-04-30)."""
    t = text.strip()
    try:
        if "." in t:
            day, month, year = t.split(".")
            if len(year) != 4:
                raise ValueError
            return dt.date(int(year), int(month), int(day))
        return dt.date.fromisoformat(t)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date such as 30.04.2027 or 2027-04-30, got {text!r}") from None


date_option.__name__ = "date"  # argparse's word for the type, in its messages


def add_malform_option(parser: argparse.ArgumentParser, default: str) -> None:
    """--malform nb|nn: the written standard of every Norwegian text the command writes; `default` says what
    it is when the option is not given."""
    parser.add_argument("--malform", type=malform_option, default=None, metavar="nb|nn",
                        help=f"write the Norwegian texts in bokmål (nb) or nynorsk (nn); also «bokmål», "
                        f"«nynorsk» (default: {default})")


def add_estimates_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--estimates", metavar="FILE", type=Path,
        help="estimates file (TOML) to use instead of the packaged NHN June 2020 set; "
        "'kj-budget estimates --export FILE' writes one to edit",
    )


def estimates_from(args: argparse.Namespace) -> Estimates:
    """The packaged estimates, or the file given with --estimates (read within bounds and judged by
    `estimates.load_estimates`, the one place an estimates file is judged)."""
    return load_estimates(getattr(args, "estimates", None))


def filled_budget(args: argparse.Namespace, command: str) -> tuple[Estimates, Filled, Budget]:
    """The estimates, the filled workbook named on the command line (args.workbook) and the model's budget
    for it (`services.source.filled_budget`) in the målform given with --malform, else the workbook's; a
    refused file is one line and exit 2, a workbook built from other estimates a note on stderr."""
    from workbook_builder.services.source import UnreadableWorkbook, other_estimates
    from workbook_builder.services.source import filled_budget as read_and_budget

    est = estimates_from(args)
    try:
        filled, b = read_and_budget(args.workbook, est, getattr(args, "malform", None))
    except UnreadableWorkbook as exc:
        raise CliError(str(exc)) from None
    note = other_estimates(filled.metadata, est)
    if note:
        print(f"kj-budget {command}: note: {note}", file=sys.stderr)
    return est, filled, b
