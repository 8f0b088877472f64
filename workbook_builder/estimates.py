"""Load and validate an estimates file (TOML) into frozen dataclasses.

Standard library only: this module is embedded whole, with ``model.py``, in the
``main.py`` that xlwings Lite runs inside a workbook. A malformed file never gets
past :func:`parse_estimates`; the error names the file, the item and what is wrong.
"""

from __future__ import annotations

import hashlib
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_ESTIMATES = "nhn-2020-06.toml"
FORMAT = 1

TRACKS = {"organisering": "Organisering", "teknisk": "Teknisk", "drift": "Drift"}
KINDS = {"hours": "Bruk av interne ressurser", "purchase": "Kjøp av varer"}
BENEFIT_KINDS = ("short_term", "home_care")

# The line items the model knows; a file must have each of them, and no others.
ITEM_IDS = (
    "planning_kj",
    "training",
    "eid",
    "planning_helseid",
    "tech_assistance",
    "vendor_module",
)
# Items the model computes itself rather than interpolating `values`.
COMPUTED_ITEMS = {"eid", "vendor_module"}
HOURLY_RATE_KEYS = (
    "annual_earnings_kr",
    "holiday_pay_share",
    "weeks_per_year",
    "vacation_weeks",
    "hours_per_week",
    "pension_share",
    "employer_tax_share",
)
RUNNING_IDS = (
    "maintenance_kr_per_year",
    "national_share_kr_per_year",
    "followup_hours_per_year",
    "helseid_key_hours_per_year",
)
BENEFIT_KEYS = ("minutes_saved", "share_short_term", "share_home_care")
SHARE_KEYS = {"holiday_pay_share", "pension_share", "employer_tax_share", "share_short_term", "share_home_care"}


class EstimatesError(ValueError):
    """A malformed estimates file: ``file: item: what is wrong``."""

    def __init__(self, file: str, item: str, problem: str) -> None:
        self.file, self.item, self.problem = file, item, problem
        super().__init__(f"{file}: {item}: {problem}")


@dataclass(frozen=True)
class Figure:
    """One published (or assumed) number with its unit and source."""

    value: float
    unit: str
    source: str


@dataclass(frozen=True)
class Series:
    """One number per reference size (e.g. readers 8 / 20 / 40)."""

    values: tuple[float, ...]
    unit: str
    source: str


@dataclass(frozen=True)
class Item:
    """A one-off line item of the note."""

    id: str
    label: str
    track: str
    kind: str
    unit: str
    source: str
    values: tuple[float, ...] | None = None
    published: tuple[float, ...] | None = None

    @property
    def track_label(self) -> str:
        return TRACKS[self.track]

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


@dataclass(frozen=True)
class EidOption:
    id: str
    label: str
    kr_per_person: float
    unit: str
    readers: bool
    source: str


@dataclass(frozen=True)
class RunningItem:
    id: str
    label: str
    kind: str
    unit: str
    value: float
    source: str


@dataclass(frozen=True)
class Choice:
    """A rollout group or an EPJ vendor."""

    id: str
    label: str
    source: str
    benefit: str = ""


@dataclass(frozen=True)
class Estimates:
    id: str
    version: str
    name: str
    document: str
    published: str
    contact_email: str
    sizes: Series
    items: tuple[Item, ...]
    readers: Series
    reader_kr: Figure
    renewal_years: Figure
    eid_options: tuple[EidOption, ...]
    hourly_rate: dict[str, Figure]
    running: tuple[RunningItem, ...]
    benefits: dict[str, Figure]
    groups: tuple[Choice, ...]
    vendors: tuple[Choice, ...]
    file: str
    sha256: str
    text: str

    def item(self, item_id: str) -> Item:
        return next(i for i in self.items if i.id == item_id)

    def eid_option(self, eid_id: str) -> EidOption:
        return next(o for o in self.eid_options if o.id == eid_id)

    def running_item(self, running_id: str) -> RunningItem:
        return next(r for r in self.running if r.id == running_id)

    def group(self, group_id: str) -> Choice:
        return next(g for g in self.groups if g.id == group_id)

    def vendor(self, vendor_id: str) -> Choice:
        return next(v for v in self.vendors if v.id == vendor_id)

    @property
    def size_range(self) -> tuple[int, int]:
        return int(self.sizes.values[0]), int(self.sizes.values[-1])


# ----------------------------------------------------------------------------- reading


def default_estimates_path() -> Path:
    return Path(__file__).with_name("estimates") / DEFAULT_ESTIMATES


def load_estimates(path: str | Path | None = None) -> Estimates:
    """Read and validate an estimates file; the packaged NHN June 2020 set by default."""
    p = Path(path) if path is not None else default_estimates_path()
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise EstimatesError(str(p), "file", "not found") from None
    except OSError as exc:
        raise EstimatesError(str(p), "file", f"cannot be read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise EstimatesError(str(p), "file", "is not UTF-8 text") from None
    return parse_estimates(text, file=str(p))


def parse_estimates(text: str, file: str = "<estimates>") -> Estimates:
    """Validate TOML text; raises :class:`EstimatesError` on the first problem found."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EstimatesError(file, "file", f"is not valid TOML ({exc})") from None
    v = _Validator(file)
    v.keys(data, "file", {"format", "id", "version", "name", "document", "published", "contact_email",
                          "sizes", "items", "eid", "hourly_rate", "running", "benefits", "groups", "vendors"})
    fmt = v.get(data, "format", "file")
    if fmt != FORMAT or isinstance(fmt, bool):
        raise EstimatesError(file, "format", f"must be {FORMAT}, found {fmt!r}")
    meta = {k: v.text(data, k, k) for k in ("id", "version", "name", "document", "published", "contact_email")}

    sizes = v.series(v.table(data, "sizes", "sizes"), "sizes", None)
    n = len(sizes.values)
    if n < 2:
        raise EstimatesError(file, "sizes.values", "needs at least two reference sizes")
    for i, s in enumerate(sizes.values):
        if s != int(s) or s <= 0:
            raise EstimatesError(file, "sizes.values", f"reference size {s!r} must be a whole number above 0")
        if i and s <= sizes.values[i - 1]:
            raise EstimatesError(file, "sizes.values",
                                 f"reference sizes must increase: {sizes.values[i - 1]:g} then {s:g}")

    items_t = v.table(data, "items", "items")
    v.exact_keys(items_t, "items", ITEM_IDS)
    items = tuple(v.item(items_t[i], f"items.{i}", i, n) for i in ITEM_IDS)

    eid_t = v.table(data, "eid", "eid")
    v.keys(eid_t, "eid", {"readers", "reader_kr", "renewal_years", "options"})
    readers = v.series(v.table(eid_t, "readers", "eid.readers"), "eid.readers", n)
    for r in readers.values:
        if r != int(r):
            raise EstimatesError(file, "eid.readers.values", f"{r!r} is not a whole number of readers")
    reader_kr = v.figure(v.table(eid_t, "reader_kr", "eid.reader_kr"), "eid.reader_kr")
    renewal = v.figure(v.table(eid_t, "renewal_years", "eid.renewal_years"), "eid.renewal_years")
    if renewal.value <= 0:
        raise EstimatesError(file, "eid.renewal_years.value", "must be above 0")
    opts_t = v.table(eid_t, "options", "eid.options")
    if not opts_t:
        raise EstimatesError(file, "eid.options", "needs at least one e-ID option")
    eid_options = tuple(v.eid_option(t, f"eid.options.{k}", k) for k, t in opts_t.items())

    hr_t = v.table(data, "hourly_rate", "hourly_rate")
    v.exact_keys(hr_t, "hourly_rate", HOURLY_RATE_KEYS)
    hourly = {k: v.figure(v.table(hr_t, k, f"hourly_rate.{k}"), f"hourly_rate.{k}") for k in HOURLY_RATE_KEYS}
    if hourly["vacation_weeks"].value >= hourly["weeks_per_year"].value:
        raise EstimatesError(file, "hourly_rate.vacation_weeks", "must be fewer than weeks_per_year")
    if hourly["hours_per_week"].value <= 0:
        raise EstimatesError(file, "hourly_rate.hours_per_week.value", "must be above 0")

    run_t = v.table(data, "running", "running")
    v.exact_keys(run_t, "running", RUNNING_IDS)
    running = tuple(v.running(run_t[k], f"running.{k}", k) for k in RUNNING_IDS)

    ben_t = v.table(data, "benefits", "benefits")
    v.exact_keys(ben_t, "benefits", BENEFIT_KEYS)
    benefits = {k: v.figure(v.table(ben_t, k, f"benefits.{k}"), f"benefits.{k}") for k in BENEFIT_KEYS}
    for k, fig in [*hourly.items(), *benefits.items()]:
        if k in SHARE_KEYS and fig.value > 1:
            raise EstimatesError(file, f"{k}.value", f"is a share and must be between 0 and 1, found {fig.value:g}")

    groups = tuple(v.choice(t, f"groups.{k}", k, benefit=True) for k, t in v.table(data, "groups", "groups").items())
    vendors = tuple(v.choice(t, f"vendors.{k}", k) for k, t in v.table(data, "vendors", "vendors").items())
    if not groups:
        raise EstimatesError(file, "groups", "needs at least one rollout group")
    if not vendors:
        raise EstimatesError(file, "vendors", "needs at least one EPJ vendor")
    _unique_labels(file, "eid.options", eid_options)
    _unique_labels(file, "groups", groups)
    _unique_labels(file, "vendors", vendors)

    return Estimates(
        **meta,
        sizes=sizes,
        items=items,
        readers=readers,
        reader_kr=reader_kr,
        renewal_years=renewal,
        eid_options=eid_options,
        hourly_rate=hourly,
        running=running,
        benefits=benefits,
        groups=groups,
        vendors=vendors,
        file=file,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        text=text,
    )


def _unique_labels(file: str, where: str, choices: tuple[Any, ...]) -> None:
    seen: set[str] = set()
    for c in choices:
        key = c.label.casefold()
        if key in seen:
            raise EstimatesError(file, f"{where}.{c.id}.label", f"label {c.label!r} is used twice")
        seen.add(key)


class _Validator:
    """Small helpers that turn TOML tables into dataclasses, or name what is wrong."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, item: str, problem: str) -> EstimatesError:
        return EstimatesError(self.file, item, problem)

    def keys(self, table: dict[str, Any], where: str, allowed: set[str]) -> None:
        for k in table:
            if k not in allowed:
                raise self.fail(f"{where}.{k}" if where != "file" else k,
                                f"unknown key (allowed: {', '.join(sorted(allowed))})")

    def exact_keys(self, table: dict[str, Any], where: str, wanted: tuple[str, ...]) -> None:
        for k in wanted:
            if k not in table:
                raise self.fail(f"{where}.{k}", "is missing")
        self.keys(table, where, set(wanted))

    def get(self, table: dict[str, Any], key: str, where: str) -> Any:
        if key not in table:
            raise self.fail(where if where != "file" else key, "is missing" if where != "file" else "is missing")
        return table[key]

    def table(self, table: dict[str, Any], key: str, where: str) -> dict[str, Any]:
        val = self.get(table, key, where)
        if not isinstance(val, dict):
            raise self.fail(where, f"must be a table, found {type(val).__name__}")
        return val

    def text(self, table: dict[str, Any], key: str, where: str) -> str:
        val = self.get(table, key, where)
        if not isinstance(val, str) or not val.strip():
            raise self.fail(where, f"must be non-empty text, found {val!r}")
        return val

    def number(self, val: Any, where: str) -> float:
        if isinstance(val, bool) or not isinstance(val, (int, float)):
            raise self.fail(where, f"must be a number, found {val!r}")
        if not math.isfinite(val):
            raise self.fail(where, f"must be a finite number, found {val!r}")
        if val < 0:
            raise self.fail(where, f"must not be negative, found {val:g}")
        return float(val)

    def numbers(self, table: dict[str, Any], key: str, where: str, n: int | None) -> tuple[float, ...]:
        val = self.get(table, key, where)
        if not isinstance(val, list):
            raise self.fail(where, f"must be a list of numbers, found {val!r}")
        if n is not None and len(val) != n:
            raise self.fail(where, f"needs {n} numbers, one per reference size, found {len(val)}")
        return tuple(self.number(x, f"{where}[{i}]") for i, x in enumerate(val))

    def figure(self, t: dict[str, Any], where: str) -> Figure:
        self.exact_keys(t, where, ("value", "unit", "source"))
        return Figure(self.number(t["value"], f"{where}.value"), self.text(t, "unit", f"{where}.unit"),
                      self.text(t, "source", f"{where}.source"))

    def series(self, t: dict[str, Any], where: str, n: int | None) -> Series:
        self.exact_keys(t, where, ("values", "unit", "source"))
        return Series(self.numbers(t, "values", f"{where}.values", n), self.text(t, "unit", f"{where}.unit"),
                      self.text(t, "source", f"{where}.source"))

    def _enum(self, t: dict[str, Any], key: str, where: str, allowed: Any) -> str:
        val = self.text(t, key, f"{where}.{key}")
        if val not in allowed:
            raise self.fail(f"{where}.{key}", f"must be one of {', '.join(allowed)}, found {val!r}")
        return val

    def item(self, t: dict[str, Any], where: str, item_id: str, n: int) -> Item:
        if not isinstance(t, dict):
            raise self.fail(where, "must be a table")
        required = ["label", "track", "kind", "unit", "source"]
        optional = {"published"} if item_id in COMPUTED_ITEMS else set()
        if item_id not in COMPUTED_ITEMS:
            required.append("values")
        for k in required:
            if k not in t:
                raise self.fail(f"{where}.{k}", "is missing")
        self.keys(t, where, set(required) | optional)
        kind = self._enum(t, "kind", where, KINDS)
        unit = self.text(t, "unit", f"{where}.unit")
        return Item(
            id=item_id,
            label=self.text(t, "label", f"{where}.label"),
            track=self._enum(t, "track", where, TRACKS),
            kind=kind,
            unit=unit,
            source=self.text(t, "source", f"{where}.source"),
            values=self.numbers(t, "values", f"{where}.values", n) if "values" in t else None,
            published=self.numbers(t, "published", f"{where}.published", n) if "published" in t else None,
        )

    def eid_option(self, t: dict[str, Any], where: str, eid_id: str) -> EidOption:
        if not isinstance(t, dict):
            raise self.fail(where, "must be a table")
        self.exact_keys(t, where, ("label", "kr_per_person", "unit", "readers", "source"))
        if not isinstance(t["readers"], bool):
            raise self.fail(f"{where}.readers", f"must be true or false, found {t['readers']!r}")
        return EidOption(eid_id, self.text(t, "label", f"{where}.label"),
                         self.number(t["kr_per_person"], f"{where}.kr_per_person"),
                         self.text(t, "unit", f"{where}.unit"), t["readers"], self.text(t, "source", f"{where}.source"))

    def running(self, t: dict[str, Any], where: str, run_id: str) -> RunningItem:
        if not isinstance(t, dict):
            raise self.fail(where, "must be a table")
        self.exact_keys(t, where, ("label", "kind", "unit", "value", "source"))
        return RunningItem(run_id, self.text(t, "label", f"{where}.label"), self._enum(t, "kind", where, KINDS),
                           self.text(t, "unit", f"{where}.unit"), self.number(t["value"], f"{where}.value"),
                           self.text(t, "source", f"{where}.source"))

    def choice(self, t: dict[str, Any], where: str, cid: str, benefit: bool = False) -> Choice:
        if not isinstance(t, dict):
            raise self.fail(where, "must be a table")
        keys = ("label", "benefit", "source") if benefit else ("label", "source")
        self.exact_keys(t, where, keys)
        return Choice(cid, self.text(t, "label", f"{where}.label"), self.text(t, "source", f"{where}.source"),
                      self._enum(t, "benefit", where, BENEFIT_KINDS) if benefit else "")
