"""Norwegian number formats for text a person reads: 1 234 567 kr, 12,5 timer, 80 %."""

from __future__ import annotations

from .model import excel_round

NBSP = "\u00a0"


def nb_number(x: float, decimals: int = 0, sep: str = " ") -> str:
    """Digits grouped by threes with a space, decimal comma: 1 234 567,5."""
    x = excel_round(x, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    text = f"{abs(x):,.{decimals}f}".replace(",", sep).replace(".", ",")
    return f"−{text}" if x < 0 else text


def nb_kr(x: float, sep: str = " ") -> str:
    return f"{nb_number(x, 0, sep)} kr"


def nb_hours(x: float, sep: str = " ") -> str:
    return f"{nb_number(x, 0, sep)} timer"


def nb_percent(share: float) -> str:
    return f"{nb_number(share * 100, 0)} %"
