"""Numbers: Excel's rounding, the one parser for Norwegian number text, and the Norwegian formats for
text a person reads (1 234 567 kr, 12,5 timer / timar, 80 %), in either målform. Standard library only.

A refusal is an InputError whose Norwegian message is a template (a bokmål message id) with its values;
`what` (the input's name, e.g. a PARAMETERS label) may be a bokmål message id, read in the målform of the
message by the catalog, or a Message."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from workbook_builder.core.errors import InputError  # kj:embed-skip
from workbook_builder.core.i18n import DEFAULT_MALFORM, N_, Message, tr  # kj:embed-skip

# ----------------------------------------------------------------------------- arithmetic


def _decimal15(x: float) -> Decimal:
    return Decimal(f"{x:.15g}")


def excel_round(x: float, digits: int = 0) -> float:
    """ROUND(x; digits) as Excel and LibreOffice compute it (half away from zero)."""
    if digits == 0:  # the common case, without Decimal: the 15-digit value, then half away from zero
        if 0 < x < 1e8:  # 15 digits move such an x by under 1e-6, so away from a half they cannot change it
            whole = math.floor(x)
            if abs(x - whole - 0.5) > 1e-6:
                return float(whole + 1 if x - whole > 0.5 else whole)
        y = float(f"{x:.15g}")
        return float(math.copysign(math.floor(abs(y) + 0.5), y)) if abs(y) < 2**52 else y
    q = Decimal(1).scaleb(-digits)
    return float(_decimal15(x).quantize(q, rounding=ROUND_HALF_UP))


def excel_round_all(xs: Iterable[float]) -> list[float]:
    """`excel_round(x)` of every x, in one loop (the model's batched path rounds thousands of figures):
    the common case inline, any other through `excel_round`."""
    out = []
    floor = math.floor
    for x in xs:
        if 0 < x < 1e8:
            whole = floor(x)
            frac = x - whole
            if abs(frac - 0.5) > 1e-6:
                out.append(float(whole + 1 if frac > 0.5 else whole))
                continue
        out.append(excel_round(x))
    return out


def excel_roundup(x: float) -> int:
    """ROUNDUP(x; 0) for x >= 0: a count that is whole in 15 digits is not rounded up."""
    if 0 < x < 1e8:  # 15 digits move such an x by under 1e-6, so away from a whole number they cannot change it
        whole = math.floor(x)
        if 1e-6 < x - whole < 1 - 1e-6:
            return whole + 1
    return math.ceil(float(f"{x:.15g}"))


# ----------------------------------------------------------------------------- the one tolerance

# Figures that must agree may differ by this much, and no more: half an øre. The workbook's Kontroll
# (kj_tolerance_kr, stated on Estimater and Kontroll), the model's checks, `check`, `collect` and a
# regeneration's comparison of estimates all use it. Every figure compared is below 10¹⁰ (the inputs are
# bounded), where a spreadsheet's 15 significant digits are finer than 10⁻⁵, so float noise always passes
# and a difference of an øre never does. (A factor, e.g. the price factor, is compared the same way; an
# error in it shows in the kroner it multiplies.)
TOLERANCE_KR = 0.005


def same_amount(a: float, b: float) -> bool:
    """Two amounts that must agree do, to within TOLERANCE_KR. Workbook twin: ABS(a-b)<=kj_tolerance_kr."""
    return abs(a - b) <= TOLERANCE_KR


def same_value(a: Any, b: Any) -> bool:
    """A saved value and the model's agree (`check`, `collect`): numbers by :func:`same_amount`, lists
    element by element, a blank cell (None) and an empty text alike, anything else (text, a truth value)
    exactly."""
    return _same(a, b, same_amount)


def same_figure(a: Any, b: Any) -> bool:
    """The same stored figure, to the precision a spreadsheet keeps (13 significant digits and more): for
    whether an estimate or a typed value has changed, where any real difference counts (a pension share
    of 0,179 that became 0,18 has changed, though by less than TOLERANCE_KR). Otherwise as `same_value`."""
    return _same(a, b, lambda x, y: math.isclose(x, y, rel_tol=1e-13, abs_tol=1e-12))


def _same(a: Any, b: Any, numbers_agree: Callable[[float, float], bool]) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return bool(a == b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return numbers_agree(a, b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y, numbers_agree) for x, y in zip(a, b))
    return bool(("" if a is None else a) == ("" if b is None else b))


_GROUP = "[ \u00a0\u202f\u2009]"  # space, no-break space, narrow no-break space, thin space
# Norwegian number text: 1234 | 1 234 | 1 234,5 | -12,75 | −5 | 400,- ; digit groups of exactly three.
_NB_NUMBER = re.compile(rf"([+\-\u2212]?)(\d{{1,3}}(?:{_GROUP}\d{{3}})+|\d+)(,\d+)?", re.ASCII)
# One to three digits (not a lone 0), then groups of three after a point or a comma: 1.000, 1,000, 12,500,
# 1,000,000. A thousand in English or German, or a decimal number in Norwegian: refused as ambiguous.
_POINT_GROUPS = re.compile(r"[+\-\u2212]?(?!0\.)\d{1,3}(?:\.\d{3})+", re.ASCII)
_COMMA_GROUPS = re.compile(r"[+\-\u2212]?(?!0,)\d{1,3}(?:,\d{3})+", re.ASCII)
_POINT_DECIMAL = re.compile(r"[+\-\u2212]?\d+\.\d+", re.ASCII)  # \d: the digits 0–9 only, as a spreadsheet's


def what_message(what: str | Message) -> Message:
    """The name of an input as a Message: a bokmål message id (a label) is looked up in the catalog."""
    return what if isinstance(what, Message) else Message(what)


# The refusals of the number rule (InputError templates): {what} is the input's name.
MSG_AMBIGUOUS = N_("{what}: «{text}» er tvetydig (tusen, eller et desimaltall?): skriv {whole} for tusen, eller "
                   "bruk færre eller flere enn tre desimaler")
MSG_NOT_WHOLE = N_("{what} må være et heltall, fikk «{value}»")
MSG_FRACTION = N_("{what} må være et heltall, fikk {value}")
MSG_NOT_NUMBER = N_("{what} må være et tall, fikk «{value}»")
MSG_RANGE = N_("{what} må være fra {low} til {high}, fikk {value}")
MSG_AT_LEAST = N_("{what} må være {low} eller mer, fikk {value}")


def number_from_text(text: str, field: str, what_nb: str | Message) -> float | None:
    """A number typed as text, or None when the text is no number at all. THE number rule: the command
    line, a batch CSV, the reader of filled workbooks and the Excel functions all call it (through
    :func:`number_text` where a number is required), so a text means the same number everywhere.

    - Norwegian form: '1 234', '1 234,5', '612,5', '400,-', '−5' (digit groups of three, with a space,
      a no-break or a thin space; a decimal comma);
    - a decimal point where it cannot be misread: '612.5', '0.500';
    - a point or a comma before groups of three digits ('1.000', '1,000', '12,500': a thousand, or a
      decimal?) is refused as ambiguous (InputError naming `field`, and `what_nb` in Norwegian): never
      read as 1.
    """
    t = text.strip()
    t = t[:-2].rstrip() if t.endswith(",-") else t
    for pattern, sep in ((_POINT_GROUPS, "."), (_COMMA_GROUPS, ",")):
        if pattern.fullmatch(t):
            whole = t.replace(sep, "")
            name = "point" if sep == "." else "comma"
            raise InputError(field, f"{field.rstrip(':')}: {text!r} is ambiguous (a {name} before a group of three "
                                    f"digits: a thousand, or a decimal?): write {whole} for {_nb_grouped(whole)}, "
                                    "or a decimal comma with fewer or more than three decimals",
                             MSG_AMBIGUOUS, what=what_message(what_nb), text=text, whole=whole)
    m = _NB_NUMBER.fullmatch(t)
    if m:
        sign, digits, decimals = m.groups()
        x = float(re.sub(_GROUP, "", digits) + ("." + decimals[1:] if decimals else ""))
        return -x if sign in ("-", "\u2212") else x
    if _POINT_DECIMAL.fullmatch(t):
        return float(t.replace("\u2212", "-"))
    return None


def number_text(text: str, field: str, what_nb: str | Message, minimum: float = 0.0, maximum: float | None = None,
                whole: bool = False) -> float:
    """A number the user typed as text where one is required (a command-line option, a CSV cell), by the
    one rule (:func:`number_from_text`) and within bounds (:func:`whole_number`, :func:`number`, the
    model's own); raises InputError whose English message starts with `field` (an option, or a CSV
    column followed by a colon)."""
    x = number_from_text(text, field, what_nb)
    if x is None or (whole and not x.is_integer()):
        raise InputError(field, f"{field} must be {'a whole number' if whole else 'a number'}, got {text.strip()!r}",
                         MSG_NOT_WHOLE if whole else MSG_NOT_NUMBER, what=what_message(what_nb), value=text.strip())
    if whole:
        return float(whole_number(x, field, what_nb, int(minimum), None if maximum is None else int(maximum)))
    return number(x, field, what_nb, minimum, maximum)


def _nb_grouped(digits: str) -> str:
    d = digits.lstrip("+-\u2212")
    return f"{int(d):,}".replace(",", " ") if d.isdigit() else digits


def whole_number(value: Any, field: str, what_nb: str | Message, minimum: int = 0, maximum: int | None = None) -> int:
    """A whole number from an int or a whole float; text, booleans and fractions are refused."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
        isinstance(value, float) and not math.isfinite(value)
    ):
        raise InputError(field, f"{field} must be a whole number, got {value!r}", MSG_NOT_WHOLE,
                         what=what_message(what_nb), value=value)
    if isinstance(value, float) and not value.is_integer():
        raise InputError(field, f"{field} must be a whole number, got {value:g}", MSG_FRACTION,
                         what=what_message(what_nb), value=_nb_number(value))
    n = int(value)
    if n < minimum or (maximum is not None and n > maximum):
        rng = f"{minimum} to {maximum}" if maximum is not None else f"{minimum} or more"
        raise InputError(field, f"{field} must be {rng}, got {n}", MSG_RANGE if maximum is not None else MSG_AT_LEAST,
                         what=what_message(what_nb), low=minimum, high=maximum, value=n)
    return n


def number(value: Any, field: str, what_nb: str | Message, minimum: float = 0.0,
           maximum: float | None = None) -> float:
    """A finite number within bounds; text and booleans are refused."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(field, f"{field} must be a number, got {value!r}", MSG_NOT_NUMBER,
                         what=what_message(what_nb), value=value)
    x = float(value)
    if x < minimum or (maximum is not None and x > maximum):
        rng = f"{minimum:g} to {maximum:g}" if maximum is not None else f"{minimum:g} or more"
        raise InputError(field, f"{field} must be {rng}, got {x:g}", MSG_RANGE if maximum is not None else MSG_AT_LEAST,
                         what=what_message(what_nb), low=_nb_number(minimum),
                         high=_nb_number(maximum) if maximum is not None else "", value=_nb_number(x))
    return x


def _nb_number(x: float) -> str:
    return f"{x:g}".replace(".", ",")

NBSP = "\u00a0"


def nb_number(x: float, decimals: int = 0, sep: str = " ") -> str:
    """Digits grouped by threes with a space, decimal comma: 1 234 567,5 (∞ and NaN as such, never a crash)."""
    if not math.isfinite(x):
        return {True: "∞", False: "−∞"}[x > 0] if x == x else "NaN"
    x = excel_round(x, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    text = f"{abs(x):,.{decimals}f}".replace(",", sep).replace(".", ",")
    return f"−{text}" if x < 0 else text


AND, OR = N_("og"), N_("eller")


def nb_list(items: list[str] | tuple[str, ...], conjunction: str = AND, malform: str = DEFAULT_MALFORM) -> str:
    """Norwegian list: 'a', 'a og b', 'a, b og c' (no comma before the conjunction); the conjunction (a
    bokmål message id: AND, OR) in `malform`."""
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {tr(conjunction, malform)} {items[-1]}"


def nb_kr(x: float, sep: str = " ") -> str:
    """1 234 kr (the same in both målformer)."""
    return f"{nb_number(x, 0, sep)} kr"


def nb_hours(x: float, sep: str = " ", malform: str = DEFAULT_MALFORM) -> str:
    """1 234 timer (bokmål) / 1 234 timar (nynorsk)."""
    return tr("{hours} timer", malform, hours=nb_number(x, 0, sep))


def nb_percent(share: float) -> str:
    return f"{nb_number(share * 100, 0)} %"


def terminal_value(value: object, year: bool = False) -> str:
    """A value for a report on the terminal: numbers grouped the Norwegian way (1 234 567,5), a `year` not
    (2027), lists joined with ' / ', nothing as '-'."""
    if value is None or value == "":
        return "-"
    if isinstance(value, list):
        return " / ".join(terminal_value(v, year) for v in value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return nb_number(value, 0 if float(value).is_integer() else 2, sep="" if year else " ")
