"""Reading a filled workbook for a command: a refused file is one line and exit code 2."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import CliError
from ..estimates import Estimates
from ..reports.source import Filled, UnreadableWorkbook, read_filled


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
