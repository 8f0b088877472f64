"""Reading a filled workbook for a command: a refused file is one line and exit code 2."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from workbook_builder.cli.common import estimates_from
from workbook_builder.core.errors import CliError
from workbook_builder.core.estimates import Estimates
from workbook_builder.core.model import Budget, budget
from workbook_builder.services.source import Filled, UnreadableWorkbook, read_filled


def read_or_fail(path: Path, est: Estimates) -> Filled:
    try:
        return read_filled(path, est)
    except UnreadableWorkbook as exc:
        raise CliError(str(exc)) from None


def warn_other_estimates(command: str, metadata: dict[str, str], est: Estimates) -> None:
    """Say so when the workbook was built from other estimates than the ones the numbers now use."""
    built_with = metadata.get("estimates_sha256")
    if built_with and built_with != est.sha256:
        print(f"kj-budget {command}: note: the workbook was built from estimates "
              f"{metadata.get('estimates_id', '?')} {metadata.get('estimates_version', '?')}; the numbers here use "
              f"{est.id} {est.version} and may differ from the workbook's", file=sys.stderr)


def filled_budget(args: argparse.Namespace, command: str) -> tuple[Estimates, Filled, Budget]:
    """The estimates, the filled workbook named on the command line and the model's budget for it."""
    est = estimates_from(args)
    filled = read_or_fail(args.workbook, est)
    warn_other_estimates(command, filled.metadata, est)
    return est, filled, budget(est, filled.inputs, filled.built or dt.date.today())
