"""Load and validate an estimates file (TOML) into frozen dataclasses.

Standard library only: this module is embedded whole, with ``model.py``, in the
``main.py`` that xlwings Lite runs inside a workbook. A malformed file never gets
past :func:`parse_estimates`; the error names the file, the item and what is wrong.

An estimates file holds every public figure the model uses, each with its unit and source:
the note's line items at its reference sizes (any number of interpolated items, hours or
purchases), the e-ID options and prices, pay by role and the parts of an hour's full cost,
employer's tax zones, the municipal deflator by year (the price level), running costs,
benefits, rollout groups, EPJ vendors and the accounting codes (KOSTRA function and art).
"""

from __future__ import annotations

import hashlib
import math
import stat
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from workbook_builder.core.i18n import N_  # kj:embed-skip
from workbook_builder.core.municipality import municipality_number_or_none  # kj:embed-skip
from workbook_builder.core.numbers import nb_list  # kj:embed-skip

T = TypeVar("T")

DEFAULT_ESTIMATES = "nhn-2020-06.toml"
FORMAT = 2

# The labels of a line item's track and kind: bokmål message ids (i18n.tr gives them in a målform).
TRACKS = {"organisering": N_("Organisering"), "teknisk": N_("Teknisk"), "drift": N_("Drift")}
KINDS = {"hours": N_("Bruk av interne ressurser"), "purchase": N_("Kjøp av varer og tjenester"),
         "standin": N_("Vikarutgifter (lønn)")}
BENEFIT_KINDS = ("short_term", "home_care")

# Items the model computes itself rather than interpolating `values`: e-ID from unit prices,
# the vendor module from the user's price, stand-ins from the training hours.
COMPUTED_ITEMS = {"eid": "purchase", "vendor_module": "purchase", "standin": "standin"}
HOURLY_RATE_KEYS = (
    "holiday_pay_share",
    "weeks_per_year",
    "vacation_weeks",
    "hours_per_week",
    "public_holiday_days",
    "pension_share",
)
RUNNING_IDS = (
    "maintenance_kr_per_year",
    "followup_hours_per_year",
    "helseid_key_hours_per_year",
)
BENEFIT_KEYS = ("minutes_saved", "share_short_term", "share_home_care")
SHARE_KEYS = {"holiday_pay_share", "pension_share", "share_short_term", "share_home_care"}
PAY_ART_KEYS = ("pay", "pension", "employer_tax")
# How big an estimates file may be, and every figure in it: the packaged file is about 40 KB, its
# largest figure under a million; a billion kroner (or hours, persons …) is far above any real figure
# and far below where a spreadsheet or JSON loses it (1e308 would print as ∞ and `Infinity`).
MAX_ESTIMATES_BYTES = 2**20
MAX_FIGURE = 1_000_000_000
MAX_NESTING = 8  # tables within tables: the format needs four
YEAR_FIRST, YEAR_LAST = 2000, 2100
NYNORSK_SUFFIX = "_nn"  # `label_nn = "…"` beside `label = "…"`: the same text in nynorsk


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
    """A one-off line item of the note (interpolated), or one the model computes (by its id)."""

    id: str
    label: str
    track: str
    kind: str  # hours | purchase | standin
    unit: str
    source: str
    values: tuple[float, ...] | None = None
    published: tuple[float, ...] | None = None
    art: str = ""  # KOSTRA art of the cash it costs (e-ID: the cards)
    art_readers: str = ""  # e-ID only: the card readers
    life_years: float = 0.0  # economic life of a purchase (KRS 4); 0 for services and hours
    standin_basis: bool = False  # hours that need a stand-in in 24/7 services (training)
    low_share: float = 0.0  # the range around the likely value at the «middels» level: low ≤ 0 ≤ high
    high_share: float = 0.0
    range_source: str = ""
    # a calibrated item (`estimates --calibrate`): the figures it had before, kept beside the fitted ones
    original: tuple[float, ...] | None = None
    original_shares: tuple[float, float] | None = None

    @property
    def track_label(self) -> str:
        return TRACKS[self.track]

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def computed(self) -> bool:
        return self.id in COMPUTED_ITEMS


@dataclass(frozen=True)
class EidOption:
    id: str
    label: str
    kr_per_person: float
    unit: str
    readers: bool
    source: str
    phased_out: str = ""  # why and since when the option is no longer offered (empty: current)


@dataclass(frozen=True)
class RunningItem:
    id: str
    label: str
    kind: str
    unit: str
    value: float
    source: str
    art: str = ""
    low_share: float = 0.0
    high_share: float = 0.0
    range_source: str = ""


@dataclass(frozen=True)
class Level:
    """How uncertain the whole estimate is: every item's range × `factor`."""

    id: str
    label: str
    factor: float
    source: str


@dataclass(frozen=True)
class Uncertainty:
    default_level: str
    levels: tuple[Level, ...]
    p85_z: Figure
    source: str


@dataclass(frozen=True)
class Choice:
    """A rollout group or an EPJ vendor."""

    id: str
    label: str
    source: str
    benefit: str = ""
    function: str = ""  # groups: KOSTRA function of the service
    other: bool = False  # vendors: «Annen leverandør», whose name the user types


@dataclass(frozen=True)
class Role:
    """A job whose pay the hourly cost can be based on (KS pay statistics)."""

    id: str
    label: str
    annual_kr: float
    source: str


@dataclass(frozen=True)
class Pay:
    price_year: int
    date: str
    default_role: str
    roles: tuple[Role, ...]
    source: str


@dataclass(frozen=True)
class Zone:
    """An employer's tax zone (arbeidsgiveravgift) and its rate."""

    id: str
    label: str
    rate: float
    source: str


@dataclass(frozen=True)
class EmployerTax:
    default_zone: str
    zones: tuple[Zone, ...]
    source: str
    municipalities: dict[str, str]  # municipality number → zone id (may be empty)
    municipality_names: dict[str, str]  # municipality number → name
    municipalities_source: str


@dataclass(frozen=True)
class DeflatorYear:
    year: int
    deflator: float
    wage: float
    status: str  # «regnskap» (outcome) or «anslag» (the latest published estimate)
    source: str


@dataclass(frozen=True)
class Deflator:
    """The municipal deflator (purchases) and its wage component (pay), per year."""

    base_year: int
    years: tuple[DeflatorYear, ...]
    forecast_deflator: Figure
    forecast_wage: Figure
    source: str

    @property
    def last_year(self) -> int:
        return self.years[-1].year if self.years else self.base_year


@dataclass(frozen=True)
class Code:
    """A KOSTRA function or art."""

    id: str
    label: str


@dataclass(frozen=True)
class Calibration:
    """Where a calibrated file's figures came from (`kj-budget estimates --calibrate`)."""

    date: str
    tool: str
    source: str
    from_estimates: str
    method: str
    municipalities: tuple[str, ...]
    years: tuple[int, ...]
    items: dict[str, tuple[int, tuple[int, ...]]]  # item → (municipalities, municipalities per segment)


@dataclass(frozen=True)
class Accounting:
    budget: str
    plan: str
    source: str
    functions: tuple[Code, ...]
    arts: tuple[Code, ...]
    default_function: str
    internal_arts: dict[str, str]
    standin_arts: dict[str, str]
    investment_threshold_kr: Figure
    investment_min_life_years: Figure
    mva_share: Figure
    mva_note: str

    def function(self, code: str) -> Code:
        return next(f for f in self.functions if f.id == code)

    def art(self, code: str) -> Code:
        return next(a for a in self.arts if a.id == code)


@dataclass(frozen=True)
class Estimates:
    id: str
    version: str
    name: str
    document: str
    published: str
    contact_email: str
    price_year: int
    price_year_source: str
    sizes: Series
    items: tuple[Item, ...]
    readers: Series
    reader_kr: Figure
    renewal_years: Figure
    eid_options: tuple[EidOption, ...]
    pay: Pay
    hourly_rate: dict[str, Figure]
    employer_tax: EmployerTax
    deflator: Deflator
    standin_share: Figure
    uncertainty: Uncertainty
    running: tuple[RunningItem, ...]
    benefits: dict[str, Figure]
    groups: tuple[Choice, ...]
    vendors: tuple[Choice, ...]
    accounting: Accounting
    file: str
    sha256: str
    text: str
    nn: dict[str, str] = field(default_factory=dict, compare=False)  # bokmål text → nynorsk (*_nn keys)
    calibration: Calibration | None = None

    def text_in(self, text: str, malform: str) -> str:
        """A text of the file (a label, a unit, a source) in `malform`: its *_nn text in nynorsk where the
        file has one, else as written."""
        return self.nn.get(text, text) if malform == "nn" else text

    def item(self, item_id: str) -> Item:
        return next(i for i in self.items if i.id == item_id)

    def has_item(self, item_id: str) -> bool:
        return any(i.id == item_id for i in self.items)

    def eid_option(self, eid_id: str) -> EidOption:
        return next(o for o in self.eid_options if o.id == eid_id)

    def running_item(self, running_id: str) -> RunningItem:
        return next(r for r in self.running if r.id == running_id)

    def group(self, group_id: str) -> Choice:
        return next(g for g in self.groups if g.id == group_id)

    def vendor(self, vendor_id: str) -> Choice:
        return next(v for v in self.vendors if v.id == vendor_id)

    def role(self, role_id: str) -> Role:
        return next(r for r in self.pay.roles if r.id == role_id)

    def zone(self, zone_id: str) -> Zone:
        return next(z for z in self.employer_tax.zones if z.id == zone_id)

    def level(self, level_id: str) -> Level:
        return next(lv for lv in self.uncertainty.levels if lv.id == level_id)

    @property
    def interpolated_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.values is not None)

    @property
    def size_range(self) -> tuple[int, int]:
        return int(self.sizes.values[0]), int(self.sizes.values[-1])

    @property
    def sizes_text(self) -> str:
        """The reference sizes as Norwegian text: '30, 100 og 400'."""
        return nb_list([f"{s:g}" for s in self.sizes.values])

    @property
    def size_range_text(self) -> str:
        lo, hi = self.size_range
        return f"{lo}–{hi}"

    @property
    def function_codes(self) -> tuple[str, ...]:
        """KOSTRA functions the budget lines use: each group's, then the default (in that order, once each)."""
        codes: list[str] = []
        for code in [*(g.function for g in self.groups), self.accounting.default_function]:
            if code not in codes:
                codes.append(code)
        return tuple(codes)


# ----------------------------------------------------------------------------- reading


def default_estimates_path() -> Path:
    return Path(__file__).with_name("estimates") / DEFAULT_ESTIMATES


def load_estimates(path: str | Path | None = None) -> Estimates:
    """Read and validate an estimates file; the packaged NHN June 2020 set by default.

    A file named by a user is data from outside: it must be a regular file (not a folder, a pipe or a
    device) of at most MAX_ESTIMATES_BYTES, UTF-8 text; then :func:`parse_estimates` judges its content.
    Raises EstimatesError with one line."""
    p = Path(path) if path is not None else default_estimates_path()
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
        with p.open("rb") as f:
            raw = f.read(MAX_ESTIMATES_BYTES + 1)
    except OSError as exc:
        raise EstimatesError(file, "file", f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise EstimatesError(file, "file", "is not UTF-8 text") from None
    return parse_estimates(text, file=file)


def parse_estimates(text: str, file: str = "<estimates>") -> Estimates:
    """Validate TOML text; raises :class:`EstimatesError` on the first problem found. The one place an
    estimates file is judged: its size, its nesting, every figure finite and at most MAX_FIGURE, its schema."""
    if len(text) > MAX_ESTIMATES_BYTES:
        raise EstimatesError(file, "file", f"is {len(text):,} characters; an estimates file is far smaller "
                                           f"(limit {MAX_ESTIMATES_BYTES // 2**20} MB)".replace(",", " "))
    _shallow(text, file)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EstimatesError(file, "file", f"is not valid TOML ({exc})") from None
    except RecursionError:
        raise EstimatesError(file, "file", f"nests deeper than {MAX_NESTING} levels") from None
    v = _Validator(file)
    v.keys(data, "file", {"format", "id", "version", "name", "document", "published", "contact_email",
                          "price_year", "price_year_source", "sizes", "items", "eid", "pay", "hourly_rate",
                          "employer_tax", "deflator", "standin", "uncertainty", "running", "benefits", "groups",
                          "vendors", "accounting", "calibration"})
    fmt = v.get(data, "format", "file")
    if fmt != FORMAT or isinstance(fmt, bool):
        hint = (" (a file from an older kj-budget: export the current one with `kj-budget estimates --export "
                "FILE` and make your changes there)") if fmt == 1 else ""
        raise EstimatesError(file, "format", f"must be {FORMAT}, found {fmt!r}{hint}")
    meta = {k: v.text(data, k, k) for k in ("id", "version", "name", "document", "published", "contact_email")}
    price_year = v.year(data.get("price_year"), "price_year")
    price_year_source = v.text(data, "price_year_source", "price_year_source")

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

    acc = v.accounting(v.table(data, "accounting", "accounting"))
    arts = {a.id for a in acc.arts}
    items_t = v.table(data, "items", "items")
    for cid in COMPUTED_ITEMS:
        if cid not in items_t:
            raise EstimatesError(file, f"items.{cid}", "is missing (the model computes it)")
    items = tuple(v.item(t, f"items.{i}", i, n, arts) for i, t in items_t.items())
    if not any(i.values is not None for i in items):
        raise EstimatesError(file, "items", "needs at least one line item with values")
    if sum(i.standin_basis for i in items) > 1:
        raise EstimatesError(file, "items", "standin_basis may be set on one line item only (the training hours)")

    eid_t = v.table(data, "eid", "eid")
    v.keys(eid_t, "eid", {"readers", "reader_kr", "renewal_years", "options"})
    readers = v.series(v.table(eid_t, "readers", "eid.readers"), "eid.readers", n)
    for r in readers.values:
        if r != int(r):
            raise EstimatesError(file, "eid.readers.values", f"{r!r} is not a whole number of readers")
    reader_kr = v.figure(v.table(eid_t, "reader_kr", "eid.reader_kr"), "eid.reader_kr")
    renewal = v.figure(v.table(eid_t, "renewal_years", "eid.renewal_years"), "eid.renewal_years")
    if renewal.value != int(renewal.value) or not 1 <= renewal.value <= 20:
        raise EstimatesError(file, "eid.renewal_years.value", "must be a whole number of years from 1 to 20")
    opts_t = v.table(eid_t, "options", "eid.options")
    if not opts_t:
        raise EstimatesError(file, "eid.options", "needs at least one e-ID option")
    eid_options = tuple(v.eid_option(t, f"eid.options.{k}", k) for k, t in opts_t.items())

    pay = v.pay(v.table(data, "pay", "pay"))
    hr_t = v.table(data, "hourly_rate", "hourly_rate")
    v.exact_keys(hr_t, "hourly_rate", HOURLY_RATE_KEYS)
    hourly = {k: v.figure(v.table(hr_t, k, f"hourly_rate.{k}"), f"hourly_rate.{k}") for k in HOURLY_RATE_KEYS}
    if hourly["vacation_weeks"].value >= hourly["weeks_per_year"].value:
        raise EstimatesError(file, "hourly_rate.vacation_weeks", "must be fewer than weeks_per_year")
    if hourly["hours_per_week"].value <= 0:
        raise EstimatesError(file, "hourly_rate.hours_per_week.value", "must be above 0")
    worked_days = (hourly["weeks_per_year"].value - hourly["vacation_weeks"].value) * 5
    if hourly["public_holiday_days"].value >= worked_days:
        raise EstimatesError(file, "hourly_rate.public_holiday_days.value", "must be fewer than the days worked")

    tax = v.employer_tax(v.table(data, "employer_tax", "employer_tax"))
    deflator = v.deflator(v.table(data, "deflator", "deflator"))
    for where, year in (("price_year", price_year), ("pay.price_year", pay.price_year)):
        if not deflator.base_year <= year <= deflator.last_year:
            raise EstimatesError(file, where, f"{year} is not covered by the deflator table "
                                              f"({deflator.base_year}–{deflator.last_year})")

    st_t = v.table(data, "standin", "standin")
    v.exact_keys(st_t, "standin", ("share",))
    standin_share = v.figure(v.table(st_t, "share", "standin.share"), "standin.share")
    uncertainty = v.uncertainty(v.table(data, "uncertainty", "uncertainty"))

    run_t = v.table(data, "running", "running")
    v.exact_keys(run_t, "running", RUNNING_IDS)
    running = tuple(v.running(run_t[k], f"running.{k}", k, arts) for k in RUNNING_IDS)

    ben_t = v.table(data, "benefits", "benefits")
    v.exact_keys(ben_t, "benefits", BENEFIT_KEYS)
    benefits = {k: v.figure(v.table(ben_t, k, f"benefits.{k}"), f"benefits.{k}") for k in BENEFIT_KEYS}
    for k, fig in [*hourly.items(), *benefits.items(), ("standin.share", standin_share)]:
        if (k in SHARE_KEYS or k == "standin.share") and fig.value > 1:
            raise EstimatesError(file, f"{k}.value", f"is a share and must be between 0 and 1, found {fig.value:g}")

    functions = {f.id for f in acc.functions}
    groups = tuple(v.choice(t, f"groups.{k}", k, "group", functions)
                   for k, t in v.table(data, "groups", "groups").items())
    vendors = tuple(v.choice(t, f"vendors.{k}", k, "vendor", functions)
                    for k, t in v.table(data, "vendors", "vendors").items())
    if not groups:
        raise EstimatesError(file, "groups", "needs at least one rollout group")
    if not vendors:
        raise EstimatesError(file, "vendors", "needs at least one EPJ vendor")
    for where, choices in (("eid.options", eid_options), ("groups", groups), ("vendors", vendors),
                           ("pay.roles", pay.roles), ("employer_tax.zones", tax.zones), ("items", items),
                           ("uncertainty.levels", uncertainty.levels)):
        _unique_labels(file, where, choices, v.nn)

    return Estimates(
        **meta,
        price_year=price_year,
        price_year_source=price_year_source,
        sizes=sizes,
        items=items,
        readers=readers,
        reader_kr=reader_kr,
        renewal_years=renewal,
        eid_options=eid_options,
        pay=pay,
        hourly_rate=hourly,
        employer_tax=tax,
        deflator=deflator,
        standin_share=standin_share,
        uncertainty=uncertainty,
        running=running,
        benefits=benefits,
        groups=groups,
        vendors=vendors,
        accounting=acc,
        calibration=v.calibration(v.table(data, "calibration", "calibration"), {i.id for i in items},
                                  len(sizes.values) - 1) if "calibration" in data else None,
        file=file,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        text=text,
        nn=v.nn,
    )


def _shallow(text: str, file: str) -> None:
    """Refuse inline arrays or tables nested deeper than the format needs, before the TOML parser
    (which recurses once per level) sees them."""
    depth = deepest = 0
    in_string: str | None = None
    escaped = False
    for line in text.splitlines():
        for ch in line:
            if in_string:
                if escaped:
                    escaped = False
                elif ch == "\\" and in_string == '"':
                    escaped = True
                elif ch == in_string:
                    in_string = None
                continue
            if ch in "\"'":
                in_string = ch
            elif ch == "#":
                break
            elif ch in "[{":
                depth += 1
                deepest = max(deepest, depth)
                if deepest > MAX_NESTING:
                    raise EstimatesError(file, "file", f"nests deeper than {MAX_NESTING} levels")
            elif ch in "]}":
                depth = max(0, depth - 1)
        if in_string == "'":  # a literal string ends with its line (multi-line ones are rare here)
            in_string = None


def _unique_labels(file: str, where: str, choices: tuple[Any, ...], nn: dict[str, str]) -> None:
    """Each label once in a list, in bokmål and in nynorsk; a nynorsk label is no other option's label
    either (a list value is read in either målform, so each form must name one option)."""
    seen: set[str] = set()
    for c in choices:
        key = c.label.casefold()
        if key in seen:
            raise EstimatesError(file, f"{where}.{c.id}.label", f"label {c.label!r} is used twice")
        seen.add(key)
    owner = {c.label.casefold(): c.id for c in choices}
    nn_seen: dict[str, str] = {}
    for c in choices:
        if c.label not in nn:
            continue
        key = nn[c.label].casefold()
        if owner.get(key, c.id) != c.id or nn_seen.get(key, c.id) != c.id:
            raise EstimatesError(file, f"{where}.{c.id}.label_nn", f"nynorsk label {nn[c.label]!r} names another "
                                                                  "option too")
        nn_seen[key] = c.id


class _Validator:
    """Small helpers that turn TOML tables into dataclasses, or name what is wrong."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.nn: dict[str, str] = {}  # bokmål text → nynorsk text, from the file's *_nn keys

    def fail(self, item: str, problem: str) -> EstimatesError:
        return EstimatesError(self.file, item, problem)

    def keys(self, table: dict[str, Any], where: str, allowed: set[str]) -> None:
        for k in table:
            if k.endswith(NYNORSK_SUFFIX) and k.removesuffix(NYNORSK_SUFFIX) in allowed:
                self.nynorsk(table, k, f"{where}.{k}" if where != "file" else k)
            elif k not in allowed:
                raise self.fail(f"{where}.{k}" if where != "file" else k,
                                f"unknown key (allowed: {', '.join(sorted(allowed))})")

    def nynorsk(self, table: dict[str, Any], key: str, where: str) -> None:
        """`label_nn` (any text key + _nn) beside `label`: the text in nynorsk, for a nynorsk workbook; a
        table of texts (codes → names) may have its _nn table of the same codes."""
        base, value = table.get(key.removesuffix(NYNORSK_SUFFIX)), table[key]
        if isinstance(base, dict):
            if not isinstance(value, dict):
                raise self.fail(where, "must be a table of the same keys in nynorsk")
            pairs = []
            for code in value:
                if code not in base or not isinstance(base[code], str):
                    raise self.fail(f"{where}.{code}", f"has no bokmål text beside it (known: {', '.join(base)})")
                pairs.append((base[code], self.text(value, code, f"{where}.{code}")))
        elif isinstance(base, str):
            pairs = [(base, self.text(table, key, where))]
        else:
            raise self.fail(where, "a nynorsk text belongs beside a text (e.g. label_nn beside label)")
        for nb, nn in pairs:
            if self.nn.setdefault(nb, nn) != nn:
                raise self.fail(where, f"«{nb}» has another nynorsk text elsewhere in the file: «{self.nn[nb]}»")

    def exact_keys(self, table: dict[str, Any], where: str, wanted: tuple[str, ...],
                   optional: tuple[str, ...] = ()) -> None:
        for k in wanted:
            if k not in table:
                raise self.fail(f"{where}.{k}", "is missing")
        self.keys(table, where, set(wanted) | set(optional))

    def get(self, table: dict[str, Any], key: str, where: str) -> Any:
        if key not in table:
            raise self.fail(where if where != "file" else key, "is missing")
        return table[key]

    def table(self, table: dict[str, Any], key: str, where: str) -> dict[str, Any]:
        val = self.get(table, key, where)
        if not isinstance(val, dict):
            raise self.fail(where, f"must be a table, found {type(val).__name__}")
        return val

    def tables(self, table: dict[str, Any], where: str) -> dict[str, dict[str, Any]]:
        for k, t in table.items():
            if not isinstance(t, dict):
                raise self.fail(f"{where}.{k}", "must be a table")
        return table

    def text(self, table: dict[str, Any], key: str, where: str) -> str:
        val = self.get(table, key, where)
        if not isinstance(val, str) or not val.strip():
            raise self.fail(where, f"must be non-empty text, found {val!r}")
        if any(ord(ch) < 32 and ch not in "\t" for ch in val) or "\x7f" in val:
            raise self.fail(where, "must not contain control characters or line breaks")
        return val

    def code(self, table: dict[str, Any], key: str, where: str, known: set[str]) -> str:
        val = self.text(table, key, where)
        if val not in known:
            raise self.fail(where, f"{val!r} is not a code under [accounting] (known: {', '.join(sorted(known))})")
        return val

    def boolean(self, table: dict[str, Any], key: str, where: str, default: bool = False) -> bool:
        val = table.get(key, default)
        if not isinstance(val, bool):
            raise self.fail(where, f"must be true or false, found {val!r}")
        return val

    def number(self, val: Any, where: str, maximum: float = MAX_FIGURE) -> float:
        """A figure: a finite number from 0 to `maximum` (at most MAX_FIGURE, the bound on every figure)."""
        if isinstance(val, bool) or not isinstance(val, (int, float)):
            raise self.fail(where, f"must be a number, found {val!r}")
        if not math.isfinite(val):
            raise self.fail(where, f"must be a finite number, found {val!r}")
        if val < 0:
            raise self.fail(where, f"must not be negative, found {val:g}")
        if val > maximum:
            bound = f"{maximum:,.0f}".replace(",", " ") if float(maximum).is_integer() else f"{maximum:g}"
            every = " (every figure in an estimates file has this upper bound)" if maximum == MAX_FIGURE else ""
            raise self.fail(where, f"must be at most {bound}{every}, found {val:g}")
        return float(val)

    def year(self, val: Any, where: str) -> int:
        if val is None:
            raise self.fail(where, "is missing")
        if isinstance(val, bool) or not isinstance(val, int) or not YEAR_FIRST <= val <= YEAR_LAST:
            raise self.fail(where, f"must be a year from {YEAR_FIRST} to {YEAR_LAST}, found {val!r}")
        return val

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

    def share(self, t: dict[str, Any], where: str) -> Figure:
        fig = self.figure(t, where)
        if fig.value > 1:
            raise self.fail(f"{where}.value", f"is a share and must be between 0 and 1, found {fig.value:g}")
        return fig

    def series(self, t: dict[str, Any], where: str, n: int | None) -> Series:
        self.exact_keys(t, where, ("values", "unit", "source"))
        return Series(self.numbers(t, "values", f"{where}.values", n), self.text(t, "unit", f"{where}.unit"),
                      self.text(t, "source", f"{where}.source"))

    def _enum(self, t: dict[str, Any], key: str, where: str, allowed: Any) -> str:
        val = self.text(t, key, f"{where}.{key}")
        if val not in allowed:
            raise self.fail(f"{where}.{key}", f"must be one of {', '.join(allowed)}, found {val!r}")
        return val

    def item(self, t: Any, where: str, item_id: str, n: int, arts: set[str]) -> Item:
        if not isinstance(t, dict):
            raise self.fail(where, "must be a table")
        computed = COMPUTED_ITEMS.get(item_id)
        required = ["label", "track", "kind", "unit", "source", "low_share", "high_share", "range_source"]
        optional = {"art", "life_years"}
        if computed is None:
            required.append("values")
            optional |= {"standin_basis", "original_values", "original_low_share", "original_high_share"}
        else:
            optional |= {"published"}
        if item_id == "eid":
            required += ["art", "art_readers"]
        for k in required:
            if k not in t:
                raise self.fail(f"{where}.{k}", "is missing")
        self.keys(t, where, set(required) | optional)
        kind = self._enum(t, "kind", where, ("hours", "purchase") if computed is None else (computed,))
        if kind == "purchase" and "art" not in t:
            raise self.fail(f"{where}.art", "is missing (the KOSTRA art a purchase is booked on)")
        standin = self.boolean(t, "standin_basis", f"{where}.standin_basis")
        if standin and kind != "hours":
            raise self.fail(f"{where}.standin_basis", "only an hours item can be the basis for stand-ins")
        return Item(
            id=item_id,
            label=self.text(t, "label", f"{where}.label"),
            track=self._enum(t, "track", where, TRACKS),
            kind=kind,
            unit=self.text(t, "unit", f"{where}.unit"),
            source=self.text(t, "source", f"{where}.source"),
            values=self.numbers(t, "values", f"{where}.values", n) if "values" in t else None,
            published=self.numbers(t, "published", f"{where}.published", n) if "published" in t else None,
            art=self.code(t, "art", f"{where}.art", arts) if "art" in t else "",
            art_readers=self.code(t, "art_readers", f"{where}.art_readers", arts) if "art_readers" in t else "",
            life_years=self.number(t.get("life_years", 0), f"{where}.life_years", 100),
            standin_basis=standin,
            original=self.numbers(t, "original_values", f"{where}.original_values", n)
            if "original_values" in t else None,
            original_shares=self.shares(t, where, "original_")
            if "original_low_share" in t or "original_high_share" in t else None,
            **self.range(t, where),
        )

    def eid_option(self, t: Any, where: str, eid_id: str) -> EidOption:
        if not isinstance(t, dict):
            raise self.fail(where, "must be a table")
        self.exact_keys(t, where, ("label", "kr_per_person", "unit", "readers", "source"), ("phased_out",))
        if not isinstance(t["readers"], bool):
            raise self.fail(f"{where}.readers", f"must be true or false, found {t['readers']!r}")
        return EidOption(eid_id, self.text(t, "label", f"{where}.label"),
                         self.number(t["kr_per_person"], f"{where}.kr_per_person"),
                         self.text(t, "unit", f"{where}.unit"), t["readers"], self.text(t, "source", f"{where}.source"),
                         self.text(t, "phased_out", f"{where}.phased_out") if "phased_out" in t else "")

    def running(self, t: Any, where: str, run_id: str, arts: set[str]) -> RunningItem:
        if not isinstance(t, dict):
            raise self.fail(where, "must be a table")
        self.exact_keys(t, where, ("label", "kind", "unit", "value", "source", "low_share", "high_share",
                                   "range_source"), ("art",))
        kind = self._enum(t, "kind", where, ("hours", "purchase"))
        if kind == "purchase" and "art" not in t:
            raise self.fail(f"{where}.art", "is missing (the KOSTRA art a purchase is booked on)")
        return RunningItem(run_id, self.text(t, "label", f"{where}.label"), kind,
                           self.text(t, "unit", f"{where}.unit"), self.number(t["value"], f"{where}.value"),
                           self.text(t, "source", f"{where}.source"),
                           self.code(t, "art", f"{where}.art", arts) if "art" in t else "", **self.range(t, where))

    def calibration(self, t: dict[str, Any], items: set[str], segments: int) -> Calibration:
        self.exact_keys(t, "calibration", ("date", "tool", "source", "from_estimates", "method", "municipalities",
                                           "years", "items"))
        names = t["municipalities"]
        if not isinstance(names, list) or not names or not all(isinstance(x, str) and x.strip() for x in names):
            raise self.fail("calibration.municipalities", "must be a list of the municipalities' names")
        years = t["years"]
        if not isinstance(years, list) or not years:
            raise self.fail("calibration.years", "must be a list of years")
        per_item = {}
        for item, entry in self.tables(self.table(t, "items", "calibration.items"), "calibration.items").items():
            where = f"calibration.items.{item}"
            if item not in items:
                raise self.fail(where, "is not a line item of this file")
            self.exact_keys(entry, where, ("municipalities", "per_segment"))
            counts = entry["per_segment"]
            if not isinstance(counts, list) or len(counts) != segments or not all(
                    isinstance(c, int) and not isinstance(c, bool) and c >= 0 for c in counts):
                raise self.fail(f"{where}.per_segment", f"must be {segments} whole numbers (one per segment)")
            n = entry["municipalities"]
            if isinstance(n, bool) or not isinstance(n, int) or n < 1:
                raise self.fail(f"{where}.municipalities", "must be a whole number of at least 1")
            per_item[item] = (n, tuple(counts))
        return Calibration(
            date=self.text(t, "date", "calibration.date"), tool=self.text(t, "tool", "calibration.tool"),
            source=self.text(t, "source", "calibration.source"),
            from_estimates=self.text(t, "from_estimates", "calibration.from_estimates"),
            method=self.text(t, "method", "calibration.method"), municipalities=tuple(names),
            years=tuple(self.year(y, "calibration.years") for y in years), items=per_item)

    def shares(self, t: dict[str, Any], where: str, prefix: str = "") -> tuple[float, float]:
        """low_share ≤ 0 ≤ high_share around the likely value (low above −1: nothing costs less than 0)."""
        low, high = self.range(t, where, prefix, with_source=False).values()
        return low, high

    def range(self, t: dict[str, Any], where: str, prefix: str = "", with_source: bool = True) -> dict[str, Any]:
        """low_share ≤ 0 ≤ high_share around the likely value (low above −1: nothing costs less than 0)."""
        shares = {}
        for key, lo, hi in ((f"{prefix}low_share", -1.0, 0.0), (f"{prefix}high_share", 0.0, 5.0)):
            if key not in t:
                raise self.fail(f"{where}.{key}", "is missing")
            val = t[key]
            if isinstance(val, bool) or not isinstance(val, (int, float)) or not math.isfinite(val) \
                    or not lo <= val <= hi:
                raise self.fail(f"{where}.{key}", f"must be a share from {lo:g} to {hi:g}, found {val!r}")
            shares[key.removeprefix(prefix)] = float(val)
        if shares["low_share"] == -1.0:
            raise self.fail(f"{where}.{prefix}low_share", "must be above -1 (the low value would be 0 kr)")
        if not with_source:
            return shares
        return {**shares, "range_source": self.text(t, "range_source", f"{where}.range_source")}

    def keyed(self, t: dict[str, Any], section: str, key: str, default_key: str, what: str,
              entry: Callable[[str, dict[str, Any], str], T]) -> tuple[str, tuple[T, ...]]:
        """A table of named entries (levels, roles, zones) and the one of them that is the default: (the default's
        id, each entry made by `entry(id, table, where)` in the file's order). At least one entry; the default
        must name one of them."""
        where = f"{section}.{key}"
        tables = self.tables(self.table(t, key, where), where)
        if not tables:
            raise self.fail(where, f"needs at least one {what}")
        entries = tuple(entry(k, v, f"{where}.{k}") for k, v in tables.items())
        return self.one_of(t, default_key, section, tables, what), entries

    def one_of(self, t: dict[str, Any], key: str, section: str, ids: Iterable[str], what: str) -> str:
        """A text that must be the id of one of `ids` (a default level, role or zone; a municipality's zone)."""
        value = self.text(t, key, f"{section}.{key}")
        if value not in ids:
            raise self.fail(f"{section}.{key}", f"{value!r} is not one of the {what}s ({', '.join(ids)})")
        return value

    def uncertainty(self, t: dict[str, Any]) -> Uncertainty:
        self.exact_keys(t, "uncertainty", ("default_level", "source", "p85_z", "levels"))

        def level(k: str, lv: dict[str, Any], where: str) -> Level:
            self.exact_keys(lv, where, ("label", "factor", "source"))
            return Level(k, self.text(lv, "label", f"{where}.label"), self.number(lv["factor"], f"{where}.factor", 10),
                         self.text(lv, "source", f"{where}.source"))

        default, levels = self.keyed(t, "uncertainty", "levels", "default_level", "level", level)
        z = self.figure(self.table(t, "p85_z", "uncertainty.p85_z"), "uncertainty.p85_z")
        return Uncertainty(default, levels, z, self.text(t, "source", "uncertainty.source"))

    def choice(self, t: Any, where: str, cid: str, kind: str, functions: set[str]) -> Choice:
        if not isinstance(t, dict):
            raise self.fail(where, "must be a table")
        if kind == "group":
            self.exact_keys(t, where, ("label", "benefit", "function", "source"))
            return Choice(cid, self.text(t, "label", f"{where}.label"), self.text(t, "source", f"{where}.source"),
                          benefit=self._enum(t, "benefit", where, BENEFIT_KINDS),
                          function=self.code(t, "function", f"{where}.function", functions))
        self.exact_keys(t, where, ("label", "source"), ("other",))
        return Choice(cid, self.text(t, "label", f"{where}.label"), self.text(t, "source", f"{where}.source"),
                      other=self.boolean(t, "other", f"{where}.other"))

    def pay(self, t: dict[str, Any]) -> Pay:
        self.exact_keys(t, "pay", ("price_year", "date", "default_role", "source", "roles"))

        def role(k: str, r: dict[str, Any], where: str) -> Role:
            self.exact_keys(r, where, ("label", "annual_kr", "source"))
            return Role(k, self.text(r, "label", f"{where}.label"),
                        self.number(r["annual_kr"], f"{where}.annual_kr", 10_000_000),
                        self.text(r, "source", f"{where}.source"))

        default, roles = self.keyed(t, "pay", "roles", "default_role", "role", role)
        return Pay(self.year(t["price_year"], "pay.price_year"), self.text(t, "date", "pay.date"), default,
                   roles, self.text(t, "source", "pay.source"))

    def employer_tax(self, t: dict[str, Any]) -> EmployerTax:
        self.exact_keys(t, "employer_tax", ("default_zone", "source", "zones"),
                        ("municipalities", "municipalities_source"))

        def zone(k: str, z: dict[str, Any], where: str) -> Zone:
            self.exact_keys(z, where, ("label", "rate", "source"))
            rate = self.number(z["rate"], f"{where}.rate")
            if rate > 1:
                raise self.fail(f"{where}.rate", f"is a share and must be between 0 and 1, found {rate:g}")
            return Zone(k, self.text(z, "label", f"{where}.label"), rate, self.text(z, "source", f"{where}.source"))

        default, zones = self.keyed(t, "employer_tax", "zones", "default_zone", "zone", zone)
        zone_ids = [z.id for z in zones]
        munis: dict[str, str] = {}
        names: dict[str, str] = {}
        if "municipalities" in t:
            m_t = self.table(t, "municipalities", "employer_tax.municipalities")
            for number, entry in m_t.items():
                where = f"employer_tax.municipalities.{number}"
                if municipality_number_or_none(number) != number:  # the one municipality-number rule
                    raise self.fail(where, "a municipality number has four digits")
                if not isinstance(entry, dict):
                    raise self.fail(where, 'must be a table: { zone = "1", name = "Oslo" }')
                self.exact_keys(entry, where, ("zone", "name"))
                munis[number] = self.one_of(entry, "zone", where, zone_ids, "zone")
                names[number] = self.text(entry, "name", f"{where}.name")
            src = self.text(t, "municipalities_source", "employer_tax.municipalities_source")
        else:
            src = ""
        return EmployerTax(default, zones, self.text(t, "source", "employer_tax.source"), munis, names, src)

    def deflator(self, t: dict[str, Any]) -> Deflator:
        self.exact_keys(t, "deflator", ("base_year", "source", "forecast_deflator", "forecast_wage", "years"))
        base = self.year(t["base_year"], "deflator.base_year")
        years_t = self.tables(self.table(t, "years", "deflator.years"), "deflator.years")
        years = []
        expected = base + 1
        for k, y in years_t.items():
            where = f"deflator.years.{k}"
            if not k.isdigit() or int(k) != expected:
                raise self.fail(where, f"the years must follow each other from {base + 1} (expected {expected})")
            self.exact_keys(y, where, ("deflator", "wage", "status", "source"))
            rates = []
            for key in ("deflator", "wage"):
                val = y[key]
                if isinstance(val, bool) or not isinstance(val, (int, float)) or not -0.5 < val < 0.5:
                    raise self.fail(f"{where}.{key}", f"must be a yearly rate between -0.5 and 0.5, found {val!r}")
                rates.append(float(val))
            years.append(DeflatorYear(expected, rates[0], rates[1], self._enum(y, "status", where,
                                                                                ("regnskap", "anslag")),
                                      self.text(y, "source", f"{where}.source")))
            expected += 1
        forecasts = []
        for key in ("forecast_deflator", "forecast_wage"):
            fig = self.figure(self.table(t, key, f"deflator.{key}"), f"deflator.{key}")
            if fig.value >= 0.5:
                raise self.fail(f"deflator.{key}.value", f"must be a yearly rate below 0.5, found {fig.value:g}")
            forecasts.append(fig)
        return Deflator(base, tuple(years), forecasts[0], forecasts[1], self.text(t, "source", "deflator.source"))

    def accounting(self, t: dict[str, Any]) -> Accounting:
        self.exact_keys(t, "accounting", ("budget", "plan", "source", "functions", "arts", "default_function",
                                          "internal_arts", "standin_arts", "investment_threshold_kr",
                                          "investment_min_life_years", "mva_share", "mva_note"))
        codes = {}
        for key in ("functions", "arts"):
            c_t = self.table(t, key, f"accounting.{key}")
            if not c_t:
                raise self.fail(f"accounting.{key}", "needs at least one code")
            out = []
            for code, label in c_t.items():
                if not (code.isascii() and code.isdigit() and len(code) == 3):
                    raise self.fail(f"accounting.{key}.{code}", "a KOSTRA code has three digits")
                if not isinstance(label, str) or not label.strip():
                    raise self.fail(f"accounting.{key}.{code}", f"must be its name as text, found {label!r}")
                out.append(Code(code, label))
            codes[key] = tuple(out)
        functions = {c.id for c in codes["functions"]}
        arts = {c.id for c in codes["arts"]}
        pay_arts = {}
        for key in ("internal_arts", "standin_arts"):
            a_t = self.table(t, key, f"accounting.{key}")
            self.exact_keys(a_t, f"accounting.{key}", PAY_ART_KEYS)
            pay_arts[key] = {k: self.code(a_t, k, f"accounting.{key}.{k}", arts) for k in PAY_ART_KEYS}
        return Accounting(
            budget=self.text(t, "budget", "accounting.budget"),
            plan=self.text(t, "plan", "accounting.plan"),
            source=self.text(t, "source", "accounting.source"),
            functions=codes["functions"],
            arts=codes["arts"],
            default_function=self.code(t, "default_function", "accounting.default_function", functions),
            internal_arts=pay_arts["internal_arts"],
            standin_arts=pay_arts["standin_arts"],
            investment_threshold_kr=self.figure(self.table(t, "investment_threshold_kr",
                                                           "accounting.investment_threshold_kr"),
                                                "accounting.investment_threshold_kr"),
            investment_min_life_years=self.figure(self.table(t, "investment_min_life_years",
                                                             "accounting.investment_min_life_years"),
                                                  "accounting.investment_min_life_years"),
            mva_share=self.share(self.table(t, "mva_share", "accounting.mva_share"), "accounting.mva_share"),
            mva_note=self.text(t, "mva_note", "accounting.mva_note"),
        )
