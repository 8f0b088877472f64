"""The budget memo (budsjettnotat) a municipality attaches to its decision case (saksframlegg).

Built from (estimates, inputs, budget): every figure is the model's, formatted the Norwegian way
(1 234 567 kr) by one set of helpers; the page is HTML from `templates/memo.html.j2`, styled for
A4 print, and WeasyPrint turns it into a PDF.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from markupsafe import Markup

from workbook_builder import __version__
from workbook_builder.cells import list_label
from workbook_builder.core.estimates import KINDS, TRACKS, Estimates
from workbook_builder.core.model import PARAMETER_BY_NAME, QUALITY_GAINS, Budget, Inputs, parse_group, parse_vendor
from workbook_builder.core.numbers import nb_number, number_from_text, same_amount
from workbook_builder.core.textinput import one_line
from workbook_builder.core.vocabulary import OK, STATUS_CLASS, output_label
from workbook_builder.services.svgchart import Series, bar_chart
from workbook_builder.services.tables import lines_frame, years_frame
from workbook_builder.sheets.estimater import BENEFIT_LABELS, HOURLY_LABELS
from workbook_builder.templating import render

NBSP = "\u00a0"
# Bar colours at least 3:1 against the white page (WCAG 2.1 1.4.11, non-text contrast); stacked parts are
# also parted by a white line, and the same figures are in the table above the chart.
MONEY_COLORS = {"purchases": "#0b3d66", "standin": "#3c8dc9", "renewal": "#c55a11"}


@dataclass(frozen=True)
class Finding:
    """An input value a reader found but could not use (it is left out of every number)."""

    label: str
    raw: str
    en: str
    nb: str


# ----------------------------------------------------------------------------- Norwegian numbers, for HTML


def kr(x: float | None, decimals: int = 0) -> str:
    """'1 234 567 kr' with no-break spaces, so a figure never wraps across lines."""
    if x is None:
        return "–"
    return f"{nb_number(x, decimals, NBSP)}{NBSP}kr"


def num(x: float, decimals: int = 0) -> str:
    return nb_number(x, decimals, NBSP)


def hours(x: float) -> str:
    return f"{nb_number(x, 0, NBSP)}{NBSP}timer"


def pct(share: float) -> str:
    """80 %, 14,1 %: one decimal only when the percentage is not whole."""
    x = share * 100
    return f"{nb_number(x, 0 if abs(x - round(x)) < 1e-9 else 1)}{NBSP}%"


def years_text(x: float | None) -> str:
    """Years until the freed hours equal the hours invested: '2,4 år', or a sentence when they never do."""
    if x is None:
        return "veier ikke opp med dagens tall"
    return f"{nb_number(x, 1)}{NBSP}år"


_UNIT = re.compile(r"[\u00a0 ](kr|timer|%|år)$")


def parse_nb(text: str) -> float:
    """The inverse of the helpers above ('1 234 567 kr' → 1234567.0), by the one number rule
    (numbers.number_from_text): tests read figures back with it, so a figure the memo prints that a reader
    could misread (1,000: a thousand, or one?) fails them."""
    value = number_from_text(_UNIT.sub("", text.strip()), "figure", "tall")
    if value is None:
        raise ValueError(f"not a Norwegian figure: {text!r}")
    return value


# ----------------------------------------------------------------------------- the memo's content


def _source_rows(est: Estimates, inputs: Inputs, b: Budget) -> list[dict[str, str]]:
    """Each assumption: what, the value used, whether the municipality entered it, and its source."""
    p = b.params
    rows: list[dict[str, str]] = []

    def own(name: str) -> bool:
        return getattr(inputs, name) is not None

    sizes = " / ".join(num(s) for s in est.sizes.values)
    for item in est.items:
        if item.id == "eid":
            continue
        if item.values is not None:
            unit = "timer" if item.kind == "hours" else "kr"
            figs = " / ".join(num(v) for v in item.values)
            rows.append({"what": item.label, "value": f"{figs} {unit} ved {sizes} helsepersonell",
                         "who": "Notatet", "source": item.source})
        else:
            rows.append({"what": item.label,
                         "value": kr(p.vendor_module_kr) if p.vendor_module_kr is not None else "mangler",
                         "who": "Kommunen" if own("vendor_module_kr") else "Ingen sum i notatet",
                         "source": item.source})
    option = est.eid_option(p.eid)
    rows.append({"what": f"e-ID: {option.label}, pris per person",
                 "value": kr(p.eid_kr_per_person), "who": "Kommunen" if own("eid_kr_per_person") else "Standard",
                 "source": option.source})
    if option.readers:
        rows.append({"what": "Kortlesere (antall interpolert fra " + " / ".join(num(v) for v in est.readers.values)
                     + ")", "value": f"{kr(p.reader_kr)} per leser",
                     "who": "Kommunen" if own("reader_kr") else "Standard",
                     "source": f"{est.reader_kr.source}. {est.readers.source}"})
    rows.append({"what": "Fornyelse av e-ID", "value": f"hvert {num(p.renewal_years)}. år",
                 "who": "Kommunen" if own("renewal_years") else "Standard", "source": est.renewal_years.source})
    rows.append({"what": "Prisnivå", "value": f"faste {p.price_year}-kroner",
                 "who": "Kommunen" if inputs.first_year is not None else "Standard",
                 "source": f"Notatets priser ({est.price_year}) × {num(p.price_factor, 4)} (kommunal deflator); lønn "
                           f"({est.pay.date}) × {num(p.wage_factor, 4)} (lønnsvekst). {est.deflator.source}."})
    h = p.hourly
    if own("hourly_rate"):
        rows.append({"what": "Timekostnad for interne ressurser", "value": kr(p.hourly_rate),
                     "who": "Kommunen", "source": "Kommunens egen sats (lagt inn i arbeidsboken)."})
    else:
        rows.append({"what": "Timekostnad for interne ressurser", "value": f"{kr(h.kr_per_hour)} per time",
                     "who": "Standard, avledet",
                     "source": f"Årslønn {est.role(p.pay_role).label.lower()} {kr(h.role_pay_kr)} ({est.pay.date}) × "
                               f"lønnsvekst = {kr(h.pay_kr)}; lønn for arbeidsukene og feriepenger, pensjon og "
                               f"arbeidsgiveravgift ({est.zone(p.employer_tax_zone).label}, "
                               f"{pct(p.employer_tax_share)}) = {kr(h.cost_kr)} per år ÷ {num(h.hours, 1)} timer."})
        for k, f in est.hourly_rate.items():
            entered = k in PARAMETER_BY_NAME and own(k)
            value = getattr(p, k) if k in PARAMETER_BY_NAME else f.value
            rows.append({"what": f"– {HOURLY_LABELS[k]}", "value": _figure_text(value, f.unit),
                         "who": "Kommunen" if entered else "Standard", "source": f.source})
    rows.append({"what": "Andel av opplæringstimene som krever vikar", "value": pct(p.standin_share),
                 "who": "Kommunen" if own("standin_share") else "Standard", "source": est.standin_share.source})
    for r in est.running:
        value = getattr(p, r.id)
        shown = hours(value) + " per år" if r.kind == "hours" else kr(value) + " per år"
        rows.append({"what": r.label, "value": shown, "who": "Kommunen" if own(r.id) else "Standard (ingen tall)",
                     "source": r.source})
    for key, fig in est.benefits.items():
        value = getattr(p, key)
        shown = pct(value) if key.startswith("share") else f"{num(value, 1 if value % 1 else 0)} minutter"
        rows.append({"what": BENEFIT_LABELS[key], "value": shown, "who": "Kommunen" if own(key) else "Notatet",
                     "source": fig.source})
    for key in ("admissions_short_term", "admissions_home_care"):
        rows.append({"what": PARAMETER_BY_NAME[key].label, "value": f"{num(getattr(p, key))} per år",
                     "who": "Kommunen" if own(key) else "Ikke fylt inn",
                     "source": "Kommunens egne tall (arbeidsboken, arket Inndata)."})
    return rows


def _figure_text(value: float, unit: str) -> str:
    if unit.startswith("andel"):
        return pct(value)
    if unit.startswith("kr"):
        return f"{num(value)} {unit}"
    return f"{num(value, 1 if value % 1 else 0)} {unit}"


def memo_context(est: Estimates, inputs: Inputs, b: Budget, *, workbook: str = "",
                 findings: Sequence[Finding] = (), metadata: dict[str, str] | None = None,
                 today: dt.date | None = None) -> dict[str, Any]:
    """Everything the template shows, computed here so the template only lays it out."""
    today = today or dt.date.today()
    p = b.params
    frame = years_frame(b)
    years = [{
        "year": int(cast(int, y)), "staff_new": int(r.staff_new), "staff_total": int(r.staff_total),
        "purchases_kr": float(r.one_off_purchase_kr), "standin_kr": float(r.one_off_standin_kr),
        "renewal_kr": float(r.renewal_kr), "running_purchase_kr": float(r.running_purchase_kr),
        "cash_kr": float(r.cash_kr), "internal_hours": float(r.internal_hours), "internal_kr": float(r.internal_kr),
        "one_off_kr": float(r.one_off_kr), "running_kr": float(r.running_kr), "benefit_kr": float(r.benefit_kr),
        "benefit_hours": float(r.benefit_hours),
    } for y, r in frame.iterrows()]
    series = [Series("Kjøp (e-ID, bistand, modul)", tuple(y["purchases_kr"] for y in years), MONEY_COLORS["purchases"],
                     stack="midler"),
              Series("Vikarer under opplæring", tuple(y["standin_kr"] for y in years), MONEY_COLORS["standin"],
                     stack="midler"),
              Series("Fornyelse av e-ID og drift", tuple(y["renewal_kr"] + y["running_purchase_kr"] for y in years),
                     MONEY_COLORS["renewal"], stack="midler")]
    # Markup: the SVG is built from numbers and escapes every text it holds.
    chart = bar_chart([str(y["year"]) for y in years], series,
                      title=f"Behov for nye midler per budsjettår (faste {p.price_year}-kroner)")
    lines = lines_frame(b, inputs.ansvar, inputs.prosjekt)
    # the budget lines for the memo: KOSTRA art × budget year in 1 000 kr (the functions are in the workbook)
    by_art = []
    for art in dict.fromkeys(a.art for a in b.accounting_lines):
        per_year = [sum(a.kr for a in b.accounting_lines if a.art == art and a.year == y.year) for y in b.years]
        if not all(same_amount(v, 0.0) for v in per_year):
            by_art.append({"art": art, "label": est.accounting.art(art).label, "years": per_year})
    groups = {g.id: g.label for g in est.groups}
    steps = [{"n": k + 1, "group": list_label(est, "group", s.group) or "mangler gruppe", "unit": s.unit or "–",
              "staff": s.staff, "year": s.year if s.year is not None else p.first_year,
              "year_default": s.year is None}
             for k, s in enumerate(inputs.steps) if s.staff > 0 or s.group is not None]
    by_group = {g.id: sum(s.staff for s in inputs.steps if s.group is not None and parse_group(est, s.group) == g.id)
                for g in est.groups}
    items = [{"label": i.label, "track": TRACKS[i.track], "kind": KINDS[i.kind],
              "hours": i.hours if i.kind == "hours" else None, "kr": i.kr, "cash": i.kind != "hours",
              "missing": i.id == "vendor_module" and b.one_off.vendor_module_missing} for i in b.one_off.items]
    open_checks = [c for c in b.checks if c.status != OK]
    vendor = vendor_name(est, inputs)
    municipality = one_line(inputs.municipality) or "Kommunen"  # the page header is one line (textinput)
    return {
        "est": est, "inputs": inputs, "b": b, "p": p, "years": years, "quality_gains": QUALITY_GAINS,
        "lines": [row for _, row in lines.iterrows()], "acc": est.accounting, "by_art": by_art,
        "functions": sorted({row.function for _, row in lines.iterrows()}),
        "chart": Markup(chart), "steps": steps, "by_group": [(groups[g], n) for g, n in by_group.items() if n],
        "group_order": "; ".join(g.label for g in est.groups),
        "items": items, "running": b.running.lines, "sources": _source_rows(est, inputs, b),
        "open_checks": open_checks, "checks": b.checks, "status_class": STATUS_CLASS, "findings": list(findings),
        "vendor": vendor, "eid": est.eid_option(p.eid).label, "municipality": municipality,
        "css_municipality": re.sub(r'[<>&"\\]', "", municipality),  # inside a CSS string in <style>
        "number": one_line(inputs.municipality_number), "workbook": one_line(workbook), "metadata": metadata or {},
        "today": today, "date_text": today.strftime("%d.%m.%Y"), "version": __version__,
        "first_year": p.first_year, "last_year": p.last_year, "sizes_text": est.sizes_text,
        "size_range_text": est.size_range_text, "one_off_total": b.one_off.total_kr, "cash_total": b.cash_total_kr,
        "internal_hours_total": sum(y["internal_hours"] for y in years),
        "internal_kr_total": sum(y["internal_kr"] for y in years),
        "one_off_years": sum(y["one_off_kr"] for y in years), "kr": kr, "num": num, "hours": hours, "pct": pct,
        "years_text": years_text, "contact_email": est.contact_email,
        "label": lambda name: output_label(name, est),  # the one list of outputs (vocabulary.OUTPUTS)
    }


def vendor_name(est: Estimates, inputs: Inputs) -> str | None:
    """The EPJ vendor as the memo and the notice name it: the list's label, or for «Annen leverandør» the
    name typed beside it (one line) when there is one; None when no vendor is chosen."""
    label = list_label(est, "vendor", inputs.vendor)
    if label and est.vendor(parse_vendor(est, label)).other and inputs.vendor_other.strip():
        return one_line(inputs.vendor_other)
    return label


def render_memo_html(est: Estimates, inputs: Inputs, b: Budget, **kwargs: Any) -> str:
    """The memo as one self-contained HTML page (CSS and chart inline)."""
    return render("memo.html.j2", **memo_context(est, inputs, b, **kwargs))


def html_to_pdf(html: str) -> bytes:
    """A PDF of the memo page, A4, by WeasyPrint (imported here: only --pdf needs it). PDF/UA-1: tagged
    (headings, tables with header cells, lists, the chart as a figure with its text alternative), with
    the page's language and its title shown as the document's title, as the rules on universal design of
    ICT ask of a document the municipality publishes with its case papers."""
    import logging

    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # its warnings about unknown CSS are not ours
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    pdf: bytes = weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    return pdf
