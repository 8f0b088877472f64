"""Comparing spreadsheet values with the model's: numbers within a tolerance (LibreOffice saves 15
significant digits), lists element by element, everything else exactly."""

from __future__ import annotations

import math
from typing import Any


def close(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)
    return a == b


def same(a: Any, b: Any) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        return isinstance(a, list) and isinstance(b, list) and len(a) == len(b) and all(map(close, a, b))
    return close(a, b)
