"""Upper bounds on every figure of an estimates file, and how an estimates file named on the command line
is read (bounded: size, nesting, finite numbers), before `estimates.parse_estimates` validates its schema.

The inputs' bounds are the model's (`model.PARAMETERS`, `STAFF_MAX`, `YEAR_MIN`–`YEAR_MAX`), used by the
command line, CSV rows, the reader of filled workbooks and the Excel functions alike. An estimates file
is data from outside too: every number in it must be finite and at most `MAX_FIGURE` in size, so no
figure can become «∞ kr», ``Infinity`` in JSON (which is not JSON) or an ``inf`` cell.
"""

from __future__ import annotations

import math
import stat
import tomllib
from pathlib import Path
from typing import Any

from workbook_builder.core.estimates import Estimates, EstimatesError, parse_estimates

MAX_ESTIMATES_BYTES = 2**20  # the packaged file is about 10 KB
MAX_FIGURE = 1_000_000_000  # a billion kroner (or hours, persons …): far above any figure in the note
MAX_DEPTH = 12  # tables and arrays inside each other; the packaged file goes 3 deep


def check_figures(data: Any, file: str, path: str = "", depth: int = 0) -> None:
    """Every number finite and within ±MAX_FIGURE; raises EstimatesError naming its key."""
    if depth > MAX_DEPTH:
        raise EstimatesError(file, path or "file", f"is nested more than {MAX_DEPTH} levels deep: not an estimates "
                                                   "file")
    if isinstance(data, dict):
        for k, v in data.items():
            check_figures(v, file, f"{path}.{k}" if path else str(k), depth + 1)
    elif isinstance(data, list):
        for k, v in enumerate(data):
            check_figures(v, file, f"{path}[{k}]", depth + 1)
    elif isinstance(data, (int, float)) and not isinstance(data, bool):
        if not math.isfinite(data):
            raise EstimatesError(file, path, f"{data} is not a finite number")
        if abs(data) > MAX_FIGURE:
            raise EstimatesError(file, path, f"{data:g} is larger than {MAX_FIGURE:,} (every figure in an estimates "
                                             "file has this upper bound)".replace(",", " "))


def read_estimates_file(path: str | Path) -> Estimates:
    """An estimates file from the command line: a regular file of at most MAX_ESTIMATES_BYTES, UTF-8
    TOML nested at most MAX_DEPTH deep, every number finite and bounded; then the schema
    (`estimates.parse_estimates`). Raises EstimatesError with one line."""
    p = Path(path)
    file = str(p)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise EstimatesError(file, "file", "not found") from None
    except OSError as exc:
        raise EstimatesError(file, "file", f"cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise EstimatesError(file, "file", "is a folder, not an estimates file")
    if not stat.S_ISREG(st.st_mode):
        raise EstimatesError(file, "file", "is not a regular file (a pipe or a device)")
    if st.st_size > MAX_ESTIMATES_BYTES:
        raise EstimatesError(file, "file", f"is {st.st_size / 2**20:.1f} MB; an estimates file is far smaller "
                                           f"(limit {MAX_ESTIMATES_BYTES // 2**20} MB)")
    try:
        raw = p.read_bytes()[: MAX_ESTIMATES_BYTES + 1]
    except OSError as exc:
        raise EstimatesError(file, "file", f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise EstimatesError(file, "file", "is not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EstimatesError(file, "file", f"is not valid TOML ({exc})") from None
    except RecursionError:
        raise EstimatesError(file, "file", f"is nested too deeply to read (more than {MAX_DEPTH} levels): not an "
                                           "estimates file") from None
    check_figures(data, file)
    return parse_estimates(text, file=file)
