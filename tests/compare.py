"""Comparing spreadsheet values with the model's: the same figure (core/numbers.same_figure: to the precision
a spreadsheet keeps, so LibreOffice's 15 significant digits pass and any real difference fails), lists
element by element, everything else exactly. Stricter than the product's tolerance for saved totals
(TOLERANCE_KR, half an øre): a recalculated workbook must give the model's very figures."""

from __future__ import annotations

from typing import Any

from workbook_builder.core.numbers import same_figure


def close(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return same_figure(a, b)
    return a == b


def same(a: Any, b: Any) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        return isinstance(a, list) and isinstance(b, list) and len(a) == len(b) and all(map(close, a, b))
    return close(a, b)
