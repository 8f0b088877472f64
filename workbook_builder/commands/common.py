"""Argument types and options shared by the sub-commands."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..estimates import Estimates, load_estimates


def whole_count(text: str) -> int:
    """A whole number of 0 or more, e.g. a count of health personnel."""
    try:
        value = float(text.replace(",", ".")) if text.strip() else None
    except ValueError:
        value = None
    if value is None or value != value:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}")
    if not value.is_integer():
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r} (a fraction)")
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {text!r}")
    return int(value)


def amount(text: str) -> float:
    """A number of kroner (or kr per hour) of 0 or more; a decimal comma is accepted."""
    try:
        value = float(text.replace(" ", "").replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
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
    return load_estimates(getattr(args, "estimates", None))
