"""Argument types and options shared by the sub-commands."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from workbook_builder.core.estimates import Estimates, load_estimates


def _number(text: str) -> float:
    """A number from the command line by the one number rule (core.numbers.number_from_text): Norwegian
    ('1 234', '612,5') or with a decimal point ('612.5'); '1,000' and '1.000' refused as ambiguous."""
    from workbook_builder.core.errors import InputError
    from workbook_builder.core.numbers import number_from_text

    try:
        value = number_from_text(text, "", "", decimal_point=True)
    except InputError as exc:
        raise argparse.ArgumentTypeError(exc.en) from None
    if value is None or not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}")
    return value


def whole_count(text: str) -> int:
    """A whole number of 0 or more, e.g. a count of health personnel (at most the model's STAFF_MAX)."""
    from workbook_builder.core.model import STAFF_MAX

    try:
        value = _number(text)
    except argparse.ArgumentTypeError as exc:
        raise argparse.ArgumentTypeError(str(exc).replace("expected a number", "expected a whole number")) from None
    if not value.is_integer():
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r} (a fraction)")
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {text!r}")
    if value > STAFF_MAX:
        limit = f"{STAFF_MAX:,}".replace(",", " ")
        raise argparse.ArgumentTypeError(f"at most {limit} health personnel, got {text!r}")
    return int(value)


def amount(text: str) -> float:
    """A number of kroner (or kr per hour) of 0 or more; the model checks each one's upper bound."""
    value = _number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {text!r}")
    return value


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
