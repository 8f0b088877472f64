"""Excel functions (xlwings UDFs) over the kj-budget cost model.

One module serves both runtimes: the classic xlwings add-in (Windows, local Python) and the
Office.js runtimes (xlwings Lite, xlwings Server). So it uses only decorator options both
accept, takes every argument "raw" (the cells exactly as Excel sent them: xlwings' own cleaning
differs between runtimes and costs ~100 µs per cell on CPython) and converts them here. It never
computes a figure itself: every number comes from ``workbook_builder.core.model``.

A bad argument raises ``XlwingsError`` with the model's Norwegian message (``InputError.text``),
which Excel shows as #VALUE! with the message on hover (classic: the message in the cell).

**Målform (bokmål or nynorsk).** The functions' descriptions, their arguments' help texts, the
error messages and the text they return (KJ_BREAKDOWN's headers and labels) are in one målform,
``KJ_MALFORM``; the arguments are read in both (an e-ID, a line item, an uncertainty level by its
bokmål or nynorsk label or short name, e.g. «vikarer» or «vikarar»).

- Classic add-in: set the environment variable ``KJ_MALFORM`` to ``nn`` (nynorsk) or ``nb``
  (bokmål, the default) for the Excel process before Excel starts (Windows: System properties →
  Environment variables, or ``setx KJ_MALFORM nn``). The add-in imports this module once, so the
  choice holds until Excel is restarted; any other value stops the import with a message naming it.
- xlwings Lite: ``main.py`` is generated per workbook with the workbook's målform written into it
  (``KJ_MALFORM = "nn"``; ``workbook_builder.xlsx.lite.lite_main_py(est_text, malform)``); the
  environment is not read.

This file is also inlined into the ``main.py`` that xlwings Lite runs (``udfs/lite.py``):
lines marked ``# kj:embed-skip`` are dropped there, the model's names are globals of the same
file, and the estimates come from ``EMBEDDED_ESTIMATES``.
"""

from __future__ import annotations

import contextlib
import datetime as _kj_dt
import functools
import os  # kj:embed-skip
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from xlwings import XlwingsError, arg, func

from workbook_builder.core.errors import InputError  # kj:embed-skip
from workbook_builder.core.estimates import KINDS, TRACKS, Estimates, load_estimates, parse_estimates  # kj:embed-skip
from workbook_builder.core.i18n import DEFAULT_MALFORM, MALFORMS, N_, Message, parse_malform, tr  # kj:embed-skip
from workbook_builder.core.model import (  # kj:embed-skip
    PARAMETER_BY_NAME,
    STAFF_MAX,
    STAFF_NB,
    YEAR_MAX,
    Inputs,
    OneOff,
    OneOffColumns,
    benefit,
    first_year_min,
    one_off_range,
    one_off_with,
    parse_eid,
    parse_level,
    resolve,
)
from workbook_builder.core.numbers import number_from_text, whole_number  # kj:embed-skip

EMBEDDED_ESTIMATES: str | None = None  # kj:embed-skip
KJ_MALFORM: str = os.environ.get("KJ_MALFORM", "").strip() or DEFAULT_MALFORM  # kj:embed-skip
try:
    KJ_MALFORM = parse_malform(KJ_MALFORM)
except ValueError as _kj_bad:
    raise ValueError(f"KJ_MALFORM (the Excel functions' målform): {_kj_bad}") from None

# Every text below is a bokmål message id (the core catalog, domain `core`), read in KJ_MALFORM.
KJ_STAFF_NB = STAFF_NB
KJ_DOC_STAFF = N_("Antall helsepersonell som skal bruke kjernejournal (heltall). Et område gir et område.")
KJ_DOC_EID = N_("e-ID: PKI-kort, BankID eller BankID på mobil (eller pki, bankid, bankid-mobil).")
KJ_DOC_RATE = N_("Kroner per time for interne ressurser. Tom: standardverdien, avledet i det åpne på arket "
                 "Estimater.")
KJ_DOC_YEAR = N_("Prisår: faste kroner for dette budsjettåret. Tom: neste år (som arbeidsbokens første budsjettår). "
                 "Notatets priser prisjusteres med kommunal deflator; en pris du gir, regnes som dette årets.")
KJ_YEAR_NB = N_("Prisår")
KJ_ITEM_NB = N_("Linje")
KJ_P_NB = N_("Sannsynlighet")
KJ_LEVEL_NB = N_("Usikkerhet")
KJ_HEADER_NB = (N_("Linje"), N_("Spor"), N_("Type"), N_("Timer"), N_("kr"))
KJ_TOTAL_NB = N_("Sum engangskostnad")
KJ_MISSING_PRICE_NB = N_("mangler pris (ikke med i summen)")

# The error messages (InputError templates).
KJ_MSG_CELL_ERROR = N_("{what}: cellen inneholder feilen {error}")
KJ_MSG_ONE_CELL = N_("{what} må være én celle, ikke et område med {cells} celler")
KJ_MSG_MISSING = N_("{what} mangler")
KJ_MSG_UNKNOWN_ITEM = N_("ukjent linje «{text}»: bruk {names} (eller id-en, f.eks. training)")
KJ_MSG_IN_RANGE = N_("Område med antall, {where}: {message}")
KJ_MSG_ROW = N_("rad {row}")
KJ_MSG_ROW_COLUMN = N_("rad {row}, kolonne {column}")
KJ_MSG_NO_VENDOR_PRICE = N_("Modul fra EPJ-leverandøren har ingen pris i notatet: spør leverandøren")
KJ_MSG_NOT_HOURS = N_("«{label}» er et kjøp i kroner, ikke interne timer: bruk KJ_COST")
KJ_MSG_QUANTILE = N_("{what} må være 50 eller 85 (P50 eller P85), fikk «{value}»")
KJ_MSG_UNEXPECTED = N_("Uventet feil i {name}: {error}")

# Short Norwegian names a user may type for a line item, besides its id and its full label (in either
# målform). The first is the one an error message suggests: a message id, in KJ_MALFORM; every name is
# accepted in both målformer.
KJ_ITEM_NAMES_NB: dict[str, tuple[str, ...]] = {
    "planning_kj": (N_("planlegging kjernejournal"), "planlegging KJ", "innføring kjernejournal"),
    "training": (N_("opplæring"),),
    "eid": (N_("e-ID"),),
    "planning_helseid": (N_("planlegging HelseID"), "HelseID"),
    "tech_assistance": (N_("teknisk bistand"), "bistand"),
    "vendor_module": (N_("modul"), "leverandørmodul", "EPJ-modul"),
    "standin": (N_("vikarer"), "vikar"),
}

# COM error codes: how the classic add-in hands over an error cell (#N/A ...) in a raw read.
_KJ_COM_ERRORS = {
    -2146826281: "#DIV/0!",
    -2146826246: "#N/A",
    -2146826259: "#NAME?",
    -2146826288: "#NULL!",
    -2146826252: "#NUM!",
    -2146826265: "#REF!",
    -2146826273: "#VALUE!",
}
_KJ_BOOL_NB = {True: "SANN", False: "USANN"}  # TRUE / FALSE in Norwegian Excel
_KJ_F = TypeVar("_KJ_F", bound=Callable[..., Any])


def _kj_tr(text: str, /, **values: object) -> str:
    """`text` (a bokmål message id) in the functions' målform."""
    return tr(text, KJ_MALFORM, **values)


def _kj_described(text: str) -> Callable[[_KJ_F], _KJ_F]:
    """A function's description for Excel (the docstring xlwings reads when it registers the function)
    in KJ_MALFORM; it must be the decorator nearest the function, so it runs before xlwings reads it."""

    def describe(f: _KJ_F) -> _KJ_F:
        f.__doc__ = _kj_tr(text)
        return f

    return describe


# ----------------------------------------------------------------------------- estimates


@functools.lru_cache(maxsize=1)
def _kj_estimates() -> Estimates:
    """The estimates, read once: the packaged file, or the text embedded in Lite's main.py."""
    if EMBEDDED_ESTIMATES is not None:
        return parse_estimates(EMBEDDED_ESTIMATES, file="main.py")
    return load_estimates()


# ----------------------------------------------------------------------------- reading what Excel sent


def _kj_fail(field: str, template: str, /, **values: object) -> InputError:
    """A refusal: `template` (a bokmål message id) with its values, read in KJ_MALFORM when shown."""
    message = Message(template, **values)
    return InputError(field, message.text(), message)


def _kj_is_empty(cell: Any) -> bool:
    """An empty cell: None, JavaScript null (Pyodide's JsNull) or text with nothing in it."""
    if cell is None:
        return True
    if isinstance(cell, str):
        return not cell.strip()
    return type(cell).__name__ == "JsNull"


def _kj_value(cell: Any, what_nb: str) -> Any:
    """What Excel sent, made ready for the model's validation: None for an empty cell,
    Norwegian number text as a float, anything else as something the model will refuse
    with a message a person can read. `what_nb` names the argument (a bokmål message id)."""
    if _kj_is_empty(cell):
        return None
    if isinstance(cell, bool):
        return _KJ_BOOL_NB[cell]
    if isinstance(cell, int):
        if cell in _KJ_COM_ERRORS:
            raise _kj_fail(what_nb, KJ_MSG_CELL_ERROR, what=Message(what_nb), error=_KJ_COM_ERRORS[cell])
        return cell
    if isinstance(cell, float):
        # Excel keeps 15 significant digits: 3.0000000000000004 from a formula is the 3 it shows.
        return float(f"{cell:.15g}") if cell == cell and abs(cell) != float("inf") else cell
    if isinstance(cell, str):
        return _kj_number_text(cell.strip(), what_nb)
    if isinstance(cell, dict):  # Office.js: an error or an entity, e.g. {"type": "Error", "basicValue": "#N/A"}
        if cell.get("type") == "Error":
            raise _kj_fail(what_nb, KJ_MSG_CELL_ERROR, what=Message(what_nb),
                           error=cell.get("basicValue", "#VALUE!"))
        return _kj_value(cell.get("basicValue"), what_nb)
    if isinstance(cell, _kj_dt.date):
        return cell.strftime("%d.%m.%Y")
    return str(cell)


def _kj_number_text(text: str, what_nb: str) -> Any:
    """Number text by the one number rule (``numbers.number_from_text``, as on the command line, in a CSV
    and in a filled workbook): '1 234', '612,5', '612.5'; '1.000' and '1,000' refused as ambiguous; other
    text is returned unchanged for the model to refuse."""
    x = number_from_text(text, what_nb, what_nb)
    return text if x is None else x


def _kj_grid(value: Any) -> list[list[Any]]:
    """Any argument as a 2-D list of cells: a single value, a row (1-D) or a range (2-D)."""
    if isinstance(value, (list, tuple)):
        if not value:
            return [[None]]
        if isinstance(value[0], (list, tuple)):
            return [row if isinstance(row, list) else list(row) for row in value]
        return [list(value)]
    return [[value]]


def _kj_single(value: Any, what_nb: str) -> Any:
    """The one cell of an argument that takes a single value (not a range)."""
    cells = [c for row in _kj_grid(value) for c in row]
    if len(cells) != 1:
        raise _kj_fail(what_nb, KJ_MSG_ONE_CELL, what=Message(what_nb), cells=len(cells))
    return cells[0]


def _kj_number(value: Any, name: str) -> Any:
    """An optional numeric parameter of the model (blank: the model's default), by its name."""
    return _kj_value(_kj_single(value, PARAMETER_BY_NAME[name].label), PARAMETER_BY_NAME[name].label)


def _kj_text(value: Any, what_nb: str) -> str | None:
    """A text argument (e-ID, line item); a number or a truth value becomes text to be refused."""
    cell = _kj_single(value, what_nb)
    if _kj_is_empty(cell):
        return None
    if isinstance(cell, bool):
        return _KJ_BOOL_NB[cell]
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dict) and cell.get("type") == "Error":
        raise _kj_fail(what_nb, KJ_MSG_CELL_ERROR, what=Message(what_nb), error=cell.get("basicValue", "#VALUE!"))
    return str(cell).strip()


def _kj_eid(est: Estimates, value: Any) -> str:
    return parse_eid(est, _kj_text(value, N_("e-ID")))


def _kj_key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _kj_item(est: Estimates, value: Any) -> str | None:
    """A line item id from its id, its label or a short Norwegian name (bokmål or nynorsk), any case;
    None if blank."""
    text = _kj_text(value, KJ_ITEM_NB)
    if text is None:
        return None
    choices: dict[str, str] = {}
    for item in est.items:
        names = [item.id, item.label, est.text_in(item.label, "nn")]
        for name in KJ_ITEM_NAMES_NB.get(item.id, ()):
            names += [tr(name, malform) for malform in MALFORMS]
        choices.update({_kj_key(name): item.id for name in names})
    found = choices.get(_kj_key(text))
    if found is None:
        shown = {m: ", ".join(tr(KJ_ITEM_NAMES_NB[i.id][0], m) if i.id in KJ_ITEM_NAMES_NB else i.id for i in est.items)
                 for m in MALFORMS}
        raise _kj_fail(KJ_ITEM_NB, KJ_MSG_UNKNOWN_ITEM, text=text, names=Message.known(shown["nb"], shown["nn"]))
    return found


def _kj_staff(cell: Any) -> int | None:
    """One personnel count, or None for an empty cell (an empty row in the user's list)."""
    v = _kj_value(cell, KJ_STAFF_NB)
    if v is None:
        return None
    return whole_number(v, "staff", KJ_STAFF_NB, 0, STAFF_MAX)


def _kj_over_staff(staff: Any, compute: Callable[[list[int]], list[Any]]) -> Any:
    """`compute` over the personnel counts in `staff`, in one call: it gets the distinct counts and
    returns one result for each (the model's batched path, `OneOffColumns`).

    A single cell gives a single value (it does not spill); a range gives a range of the same
    shape, with an empty cell where the count is empty. Each distinct count is computed once.
    One bad count fails the whole call with a message naming its row (and column): a partial
    column would let a SUM over it come out too low without anyone noticing.
    """
    grid = _kj_grid(staff)
    single = len(grid) == 1 and len(grid[0]) == 1
    wide = any(len(row) > 1 for row in grid)
    seen: dict[tuple[type, Any], int] = {}  # a cell as Excel sent it → its count's place (-1: empty)
    place: dict[int, int] = {}  # a count → its place in `counts`
    counts: list[int] = []
    slots: list[int] = []  # each cell's place, row by row (few objects: a long range stays cheap)
    for r, row in enumerate(grid, start=1):
        for c, cell in enumerate(row, start=1):
            key: tuple[type, Any] | None = None
            if cell.__class__ is int and 0 <= cell <= STAFF_MAX:  # a whole count, as Office.js sends it
                n: int | None = cell
            elif cell.__class__ is float and 0.0 <= cell <= STAFF_MAX and cell.is_integer():  # as Excel sends it
                n = int(cell)  # what _kj_staff reads in it, without its checks: they cannot refuse it
            else:
                try:
                    key = (cell.__class__, cell)
                    at = seen.get(key, -2)
                except TypeError:  # unhashable (an Office.js error dict)
                    key, at = None, -2
                if at != -2:
                    slots.append(at)
                    continue
                try:
                    n = _kj_staff(cell)
                except InputError as exc:
                    if single:
                        raise
                    where = (Message(KJ_MSG_ROW_COLUMN, row=r, column=c) if wide else Message(KJ_MSG_ROW, row=r))
                    raise _kj_fail(KJ_STAFF_NB, KJ_MSG_IN_RANGE, where=where, message=exc.message) from None
            if n is None:
                at = -1
            else:
                at = place.get(n, -2)
                if at == -2:
                    at = place[n] = len(counts)
                    counts.append(n)
            if key is not None:
                seen[key] = at
            slots.append(at)
    results = compute(counts) if counts else []
    cells = iter(["" if at == -1 else results[at] for at in slots])
    out = [[next(cells) for _ in row] for row in grid]
    return out[0][0] if single else out


@contextlib.contextmanager
def _kj_errors(name: str) -> Iterator[None]:
    """Turn the model's InputError into the XlwingsError Excel shows, in KJ_MALFORM; never let a bare
    Python exception through."""
    try:
        yield
    except InputError as exc:
        raise XlwingsError(exc.text(KJ_MALFORM)) from None
    except XlwingsError:
        raise
    except Exception as exc:  # a bug, not a bad argument: still say so in Norwegian
        raise XlwingsError(_kj_tr(KJ_MSG_UNEXPECTED, name=name, error=f"{type(exc).__name__}: {exc}")) from exc


def _kj_year(est: Estimates, value: Any) -> int | None:
    """The price year argument: a whole year, or None for an empty cell (the default first budget year)."""
    v = _kj_value(_kj_single(value, KJ_YEAR_NB), KJ_YEAR_NB)
    return None if v is None else whole_number(v, "price_year", KJ_YEAR_NB, first_year_min(est), YEAR_MAX)


def _kj_params(est: Estimates, price_year: Any = None, **inputs: Any) -> Any:
    """The model's resolved parameters in the prices of `price_year` (blank inputs take the estimates'
    defaults), validated once; the model's texts (line items' labels) in KJ_MALFORM."""
    return resolve(est, Inputs(first_year=_kj_year(est, price_year), malform=KJ_MALFORM, **inputs),
                   _kj_dt.date.today())


# ----------------------------------------------------------------------------- the functions


@func
@arg("staff", "raw", doc=_kj_tr(KJ_DOC_STAFF))
@arg("eid", "raw", doc=_kj_tr(KJ_DOC_EID))
@arg("hourly_rate", "raw", doc=_kj_tr(KJ_DOC_RATE))
@arg("item", "raw", doc=_kj_tr(N_("Én linje, f.eks. opplæring, e-ID, teknisk bistand, vikarer. Tom: hele "
                                  "engangskostnaden.")))
@arg("price_year", "raw", doc=_kj_tr(KJ_DOC_YEAR))
@_kj_described(N_("Engangskostnad i faste kroner for innføring av kjernejournal (NHN-notatet juni 2020), uten "
                  "EPJ-modulen."))
def kj_cost(staff: Any, eid: Any, hourly_rate: Any = None, item: Any = None, price_year: Any = None) -> Any:
    with _kj_errors("KJ_COST"):
        est = _kj_estimates()
        p = _kj_params(est, price_year, eid=_kj_eid(est, eid), hourly_rate=_kj_number(hourly_rate, "hourly_rate"))
        item_id = _kj_item(est, item)
        if item_id == "vendor_module":
            raise _kj_fail(KJ_ITEM_NB, KJ_MSG_NO_VENDOR_PRICE)

        return _kj_over_staff(staff, lambda counts: OneOffColumns(est, counts, p).kr(item_id))


@func
@arg("staff", "raw", doc=_kj_tr(KJ_DOC_STAFF))
@arg("item", "raw", doc=_kj_tr(N_("Én linje: planlegging kjernejournal, opplæring eller planlegging HelseID. "
                                  "Tom: alle.")))
@_kj_described(N_("Interne timer for innføring av kjernejournal (NHN-notatet juni 2020), totalt eller for én "
                  "linje."))
def kj_hours(staff: Any, item: Any = None) -> Any:
    with _kj_errors("KJ_HOURS"):
        est = _kj_estimates()
        item_id = _kj_item(est, item)
        if item_id is not None and est.item(item_id).kind != "hours":
            label = est.item(item_id).label
            raise _kj_fail(KJ_ITEM_NB, KJ_MSG_NOT_HOURS, label=Message.known(label, est.text_in(label, "nn")))

        p = _kj_params(est)
        return _kj_over_staff(staff, lambda counts: OneOffColumns(est, counts, p).hours(item_id))


@func
@arg("staff", "raw", doc=_kj_tr(N_("Antall helsepersonell (heltall): ett e-ID per person. Et område gir et "
                                   "område.")))
@arg("eid", "raw", doc=_kj_tr(KJ_DOC_EID))
@arg("card_price", "raw", doc=_kj_tr(N_("Kroner per person (PKI-kort: per kort). Tom: notatets pris for valgt "
                                        "e-ID.")))
@arg("reader_price", "raw", doc=_kj_tr(N_("Kroner per kortleser (kun PKI-kort). Tom: notatets pris, "
                                          "prisjustert.")))
@arg("price_year", "raw", doc=_kj_tr(KJ_DOC_YEAR))
@_kj_described(N_("Kroner for e-ID: ett per person, pluss kortlesere for PKI-kort (NHN-notatet juni 2020), i "
                  "faste kroner."))
def kj_eid_cost(staff: Any, eid: Any, card_price: Any = None, reader_price: Any = None, price_year: Any = None) -> Any:
    with _kj_errors("KJ_EID_COST"):
        est = _kj_estimates()
        p = _kj_params(est, price_year, eid=_kj_eid(est, eid),
                       eid_kr_per_person=_kj_number(card_price, "eid_kr_per_person"),
                       reader_kr=_kj_number(reader_price, "reader_kr"))
        return _kj_over_staff(staff, lambda counts: OneOffColumns(est, counts, p).kr("eid"))


@func
@arg("admissions_short_term", "raw", doc=_kj_tr(N_("Pasientmottak per år på KAD/ØHD/intermediær- og "
                                                   "korttidsavdelinger.")))
@arg("admissions_home_care", "raw", doc=_kj_tr(N_("Pasientmottak (nye pasienter) per år i hjemmetjenesten.")))
@arg("hourly_rate", "raw", doc=_kj_tr(KJ_DOC_RATE))
@arg("minutes", "raw", doc=_kj_tr(N_("Minutter spart per pasientmottak. Tom: notatets anslag "
                                     "(utprøvingskommunene).")))
@arg("price_year", "raw", doc=_kj_tr(KJ_DOC_YEAR))
@_kj_described(N_("Gevinst per år (frigjort tid, ikke innsparte kroner): timer og kroner i to celler. Tomt mottak "
                  "teller som 0."))
def kj_benefit(admissions_short_term: Any, admissions_home_care: Any, hourly_rate: Any = None,
               minutes: Any = None, price_year: Any = None) -> Any:
    with _kj_errors("KJ_BENEFIT"):
        est = _kj_estimates()
        p = _kj_params(
            est,
            price_year,
            admissions_short_term=_kj_number(admissions_short_term, "admissions_short_term"),
            admissions_home_care=_kj_number(admissions_home_care, "admissions_home_care"),
            hourly_rate=_kj_number(hourly_rate, "hourly_rate"),
            minutes_saved=_kj_number(minutes, "minutes_saved"),
        )
        b = benefit(est, p)
        return [[b.hours, b.kr]]


@func
@arg("staff", "raw", doc=_kj_tr(N_("Antall helsepersonell som skal bruke kjernejournal (én celle, heltall).")))
@arg("eid", "raw", doc=_kj_tr(KJ_DOC_EID))
@arg("hourly_rate", "raw", doc=_kj_tr(KJ_DOC_RATE))
@arg("price_year", "raw", doc=_kj_tr(KJ_DOC_YEAR))
@_kj_described(N_("Tabell over engangskostnaden i faste kroner: linje, spor, type, timer og kroner, med sum (flere "
                  "rader)."))
def kj_breakdown(staff: Any, eid: Any, hourly_rate: Any = None, price_year: Any = None) -> Any:
    with _kj_errors("KJ_BREAKDOWN"):
        est = _kj_estimates()
        p = _kj_params(est, price_year, eid=_kj_eid(est, eid), hourly_rate=_kj_number(hourly_rate, "hourly_rate"))
        n = _kj_staff(_kj_single(staff, KJ_STAFF_NB))
        if n is None:
            raise _kj_fail(KJ_STAFF_NB, KJ_MSG_MISSING, what=Message(KJ_STAFF_NB))
        return _kj_breakdown_rows(one_off_with(est, n, p))


def _kj_breakdown_rows(o: OneOff) -> list[list[Any]]:
    """KJ_BREAKDOWN's table for a one-off result: a header, one row per line item, the total (the line
    items' labels are the model's, in the målform of its parameters: KJ_MALFORM)."""
    rows: list[list[Any]] = [[_kj_tr(h) for h in KJ_HEADER_NB]]
    for i in o.items:
        hours: Any = i.hours if i.kind == "hours" else ""
        kr: Any = _kj_tr(KJ_MISSING_PRICE_NB) if i.id == "vendor_module" and o.vendor_module_missing else i.kr
        rows.append([i.label, _kj_tr(TRACKS[i.track]), _kj_tr(KINDS[i.kind]), hours, kr])
    rows.append([_kj_tr(KJ_TOTAL_NB), "", "", o.total_hours, o.total_kr])
    return rows


KJ_RANGE_HEADER_NB = (N_("Forventet"), N_("Standardavvik"), "P50", "P85")
KJ_DOC_P = N_("50 eller 85 (P50: forventet kostnad; P85: kostnadsramme). Tom: fire celler: forventet, "
              "standardavvik, P50, P85.")
KJ_DOC_LEVEL = N_("Usikkerhet i anslaget: Lav, Middels eller Høy. Tom: Middels (spennene på arket Estimater).")


def _kj_quantile(value: Any) -> int | None:
    """50 or 85 from 50, 85, 0,5, 0,85, «P50», «p85»; None for an empty cell."""
    cell = _kj_single(value, KJ_P_NB)
    if _kj_is_empty(cell):
        return None
    if isinstance(cell, str):
        text = cell.strip().upper().removeprefix("P").strip()
        cell = _kj_value(text, KJ_P_NB) if text else None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        for q in (50, 85):
            if cell in (q, q / 100):
                return q
    raise _kj_fail(KJ_P_NB, KJ_MSG_QUANTILE, what=Message(KJ_P_NB), value=cell)


@func
@arg("staff", "raw", doc=_kj_tr(KJ_DOC_STAFF))
@arg("eid", "raw", doc=_kj_tr(KJ_DOC_EID))
@arg("hourly_rate", "raw", doc=_kj_tr(KJ_DOC_RATE))
@arg("p", "raw", doc=_kj_tr(KJ_DOC_P))
@arg("price_year", "raw", doc=_kj_tr(KJ_DOC_YEAR))
@arg("uncertainty", "raw", doc=_kj_tr(KJ_DOC_LEVEL))
@_kj_described(N_("Spennet i engangskostnaden (suksessivprinsippet): P50 eller P85, eller forventet, standardavvik, "
                  "P50, P85."))
def kj_range(staff: Any, eid: Any, hourly_rate: Any = None, p: Any = None, price_year: Any = None,
             uncertainty: Any = None) -> Any:
    with _kj_errors("KJ_RANGE"):
        est = _kj_estimates()
        level = _kj_text(uncertainty, KJ_LEVEL_NB)
        params = _kj_params(est, price_year, eid=_kj_eid(est, eid), hourly_rate=_kj_number(hourly_rate, "hourly_rate"),
                            uncertainty=None if level is None else parse_level(est, level))
        q = _kj_quantile(p)
        n = _kj_staff(_kj_single(staff, KJ_STAFF_NB))
        if n is None:
            raise _kj_fail(KJ_STAFF_NB, KJ_MSG_MISSING, what=Message(KJ_STAFF_NB))
        rng = one_off_range(est, one_off_with(est, n, params), params)
        if q is None:
            return [[rng.mean, rng.sd, rng.p50, rng.p85]]
        return rng.p50 if q == 50 else rng.p85


@func
@_kj_described(N_("Estimatene funksjonene bygger på: navn og versjon, i to celler ved siden av hverandre."))
def kj_estimates() -> Any:
    with _kj_errors("KJ_ESTIMATES"):
        est = _kj_estimates()
        return [[est.text_in(est.name, KJ_MALFORM), est.version]]
