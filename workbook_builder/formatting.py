"""Norwegian number formats for text a person reads: 1 234 567 kr, 12,5 timer, 80 %."""

from __future__ import annotations

import math

from .model import excel_round

NBSP = "\u00a0"


def nb_number(x: float, decimals: int = 0, sep: str = " ") -> str:
    """Digits grouped by threes with a space, decimal comma: 1 234 567,5 (∞ and NaN as such, never a crash)."""
    if not math.isfinite(x):
        return {True: "∞", False: "−∞"}[x > 0] if x == x else "NaN"
    x = excel_round(x, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    text = f"{abs(x):,.{decimals}f}".replace(",", sep).replace(".", ",")
    return f"−{text}" if x < 0 else text


def nb_kr(x: float, sep: str = " ") -> str:
    return f"{nb_number(x, 0, sep)} kr"


def nb_hours(x: float, sep: str = " ") -> str:
    return f"{nb_number(x, 0, sep)} timer"


def nb_percent(share: float) -> str:
    return f"{nb_number(share * 100, 0)} %"


def terminal_value(value: object) -> str:
    """A value for a report on the terminal: numbers grouped the Norwegian way (1 234 567,5), lists
    joined with ' / ', nothing as '-'."""
    if value is None or value == "":
        return "-"
    if isinstance(value, list):
        return " / ".join(terminal_value(v) for v in value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return nb_number(value, 0 if float(value).is_integer() else 2)
