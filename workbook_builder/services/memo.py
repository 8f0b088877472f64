"""The budget memo (budsjettnotat) a municipality attaches to its decision case (saksframlegg).

Built from (estimates, inputs, budget): every figure is the model's, formatted the Norwegian way
(1 234 567 kr) by one set of helpers; the page is HTML from `templates/memo.html.j2`, styled for
A4 print, and WeasyPrint turns it into a PDF.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any, cast

from markupsafe import Markup

from workbook_builder import __version__
from workbook_builder.cells import list_label
from workbook_builder.core.estimates import KINDS, TRACKS, Estimates
from workbook_builder.core.i18n import DEFAULT_MALFORM, MALFORMS, tr
from workbook_builder.core.model import (
    PARAMETER_BY_NAME,
    Budget,
    Inputs,
    choice_label,
    parse_group,
    parse_vendor,
    quality_gains,
)
from workbook_builder.core.numbers import nb_hours, nb_number, number_from_text, same_amount
from workbook_builder.core.textinput import one_line
from workbook_builder.core.vocabulary import OK, STATUS_CLASS, output_label
from workbook_builder.services.source import Finding
from workbook_builder.services.svgchart import Series, bar_chart
from workbook_builder.services.tables import lines_frame, years_frame
from workbook_builder.sheets.estimater import BENEFIT_LABELS, HOURLY_LABELS
from workbook_builder.templating import render
from workbook_builder.xlsx.filled_reader import built_date

NBSP = "\u00a0"
# Bar colours at least 3:1 against the white page (WCAG 2.1 1.4.11, non-text contrast); stacked parts are
# also parted by a white line, and the same figures are in the table above the chart.
MONEY_COLORS = {"purchases": "#0b3d66", "standin": "#3c8dc9", "renewal": "#c55a11"}


# ----------------------------------------------------------------------------- Norwegian numbers, for HTML


def kr(x: float | None, decimals: int = 0) -> str:
    """'1 234 567 kr' with no-break spaces, so a figure never wraps across lines."""
    if x is None:
        return "–"
    return f"{nb_number(x, decimals, NBSP)}{NBSP}kr"


def num(x: float, decimals: int = 0) -> str:
    return nb_number(x, decimals, NBSP)


def hours(x: float, malform: str = DEFAULT_MALFORM) -> str:
    """'1 234 timer' (nynorsk: '1 234 timar') with no-break spaces: the one rule, numbers.nb_hours."""
    return nb_hours(x, NBSP, malform).replace(" ", NBSP)


def pct(share: float) -> str:
    """80 %, 14,1 %: one decimal only when the percentage is not whole."""
    x = share * 100
    return f"{nb_number(x, 0 if abs(x - round(x)) < 1e-9 else 1)}{NBSP}%"


def years_text(x: float | None, malform: str = DEFAULT_MALFORM) -> str:
    """Years until the freed hours equal the hours invested: '2,4 år', or a sentence when they never do."""
    if x is None:
        return tr("veier ikke opp med dagens tall", malform)
    return f"{nb_number(x, 1)}{NBSP}år"


_UNIT = re.compile(r"[\u00a0 ](kr|timer|timar|%|år)$")


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
    """Each assumption: what, the value used, whether the municipality entered it, and its source, in the
    budget's målform (the estimates file's texts by their *_nn texts, the rest from the catalogs); `lang` names
    the language of a source the estimates file has only in bokmål, when the memo is not."""
    p = b.params
    m = p.malform
    rows: list[dict[str, str]] = []

    def own(name: str) -> bool:
        return getattr(inputs, name) is not None

    def who(name: str, otherwise: str) -> str:
        return tr("Kommunen", m) if own(name) else otherwise

    bokmaal: set[str] = set()  # texts of the estimates file that have no nynorsk form (yet): marked lang="nb"

    def text(value: str) -> str:
        if m != DEFAULT_MALFORM and value not in est.nn:
            bokmaal.add(value)
        return est.text_in(value, m)

    standard = tr("Standard", m)
    sizes = " / ".join(num(s) for s in est.sizes.values)
    for item in est.items:
        if item.id == "eid":
            continue
        if item.values is not None:
            figs = " / ".join(num(v) for v in item.values)
            shown = (tr("{figures} timer ved {sizes} helsepersonell", m, figures=figs, sizes=sizes)
                     if item.kind == "hours" else tr("{figures} kr ved {sizes} helsepersonell", m, figures=figs,
                                                     sizes=sizes))
            rows.append({"what": text(item.label), "value": shown, "who": tr("Notatet", m),
                         "source": text(item.source)})
        elif item.kind == "standin":  # no figure of its own: training hours × the share × the stand-in's rate
            own_rate = own("standin_hourly_rate") or own("hourly_rate") or own("standin_share")
            rows.append({"what": text(item.label),
                         "value": tr("{hours} timer × {rate}", m, hours=num(b.one_off.standin_hours),
                                     rate=kr(p.standin_hourly_rate)),
                         "who": tr("Kommunen", m) if own_rate else tr("Standard, avledet", m),
                         "source": text(item.source)})
        else:  # the vendor's module: no sum in the note, the price the municipality was quoted
            rows.append({"what": text(item.label),
                         "value": kr(p.vendor_module_kr) if p.vendor_module_kr is not None else tr("mangler", m),
                         "who": who("vendor_module_kr", tr("Ingen sum i notatet", m)),
                         "source": text(item.source)})
    option = est.eid_option(p.eid)
    rows.append({"what": tr("e-ID: {eid}, pris per person", m, eid=choice_label(est, "eid", p.eid, m)),
                 "value": kr(p.eid_kr_per_person), "who": who("eid_kr_per_person", standard),
                 "source": text(option.source)})
    if option.readers:
        rows.append({"what": tr("Kortlesere (antall interpolert fra {counts})", m,
                                counts=" / ".join(num(v) for v in est.readers.values)),
                     "value": tr("{kr} per leser", m, kr=kr(p.reader_kr)), "who": who("reader_kr", standard),
                     "source": f"{text(est.reader_kr.source)}. {text(est.readers.source)}"})
    rows.append({"what": tr("Fornyelse av e-ID", m), "value": tr("hvert {n}. år", m, n=num(p.renewal_years)),
                 "who": who("renewal_years", standard), "source": text(est.renewal_years.source)})
    rows.append({"what": tr("Prisnivå", m), "value": tr("faste {year}-kroner", m, year=p.price_year),
                 "who": who("first_year", standard),
                 "source": tr("Notatets priser ({price_year}) × {price_factor} (kommunal deflator); lønn ({pay_date}) "
                              "× {wage_factor} (lønnsvekst). {source}.", m, price_year=est.price_year,
                              price_factor=num(p.price_factor, 4), pay_date=text(est.pay.date),
                              wage_factor=num(p.wage_factor, 4), source=text(est.deflator.source))})
    h = p.hourly
    if own("hourly_rate"):
        rows.append({"what": tr("Timekostnad for interne ressurser", m), "value": kr(p.hourly_rate),
                     "who": tr("Kommunen", m), "source": tr("Kommunens egen sats (lagt inn i arbeidsboken).", m)})
    else:
        rows.append({"what": tr("Timekostnad for interne ressurser", m),
                     "value": tr("{kr} per time", m, kr=kr(h.kr_per_hour)), "who": tr("Standard, avledet", m),
                     "source": tr("Årslønn {role} {role_pay} ({pay_date}) × lønnsvekst = {pay}; lønn for "
                                  "arbeidsukene og feriepenger, pensjon og arbeidsgiveravgift ({zone}, {tax}) = {cost} "
                                  "per år ÷ {hours} timer.", m, role=choice_label(est, "role", p.pay_role, m).lower(),
                                  role_pay=kr(h.role_pay_kr), pay_date=text(est.pay.date), pay=kr(h.pay_kr),
                                  zone=choice_label(est, "zone", p.employer_tax_zone, m),
                                  tax=pct(p.employer_tax_share), cost=kr(h.cost_kr), hours=num(h.hours, 1))})
        for k, f in est.hourly_rate.items():
            entered = k in PARAMETER_BY_NAME and own(k)
            value = getattr(p, k) if k in PARAMETER_BY_NAME else f.value
            rows.append({"what": f"– {tr(HOURLY_LABELS[k], m)}", "value": _figure_text(value, f.unit, text(f.unit)),
                         "who": tr("Kommunen", m) if entered else standard, "source": text(f.source)})
    rows.append({"what": tr("Andel av opplæringstimene som krever vikar", m), "value": pct(p.standin_share),
                 "who": who("standin_share", standard), "source": text(est.standin_share.source)})
    for r in est.running:
        value = getattr(p, r.id)
        shown = tr("{amount} per år", m, amount=hours(value, m) if r.kind == "hours" else kr(value))
        rows.append({"what": text(r.label), "value": shown, "who": who(r.id, tr("Standard (ingen tall)", m)),
                     "source": text(r.source)})
    for key, fig in est.benefits.items():
        value = getattr(p, key)
        shown = pct(value) if key.startswith("share") else tr("{n} minutter", m, n=num(value, 1 if value % 1 else 0))
        rows.append({"what": tr(BENEFIT_LABELS[key], m), "value": shown, "who": who(key, tr("Notatet", m)),
                     "source": text(fig.source)})
    for key in ("admissions_short_term", "admissions_home_care"):
        rows.append({"what": tr(PARAMETER_BY_NAME[key].label, m),
                     "value": tr("{amount} per år", m, amount=num(getattr(p, key))),
                     "who": who(key, tr("Ikke fylt inn", m)),
                     "source": tr("Kommunens egne tall (arbeidsboken, arket Inndata).", m)})
    for row in rows:  # a source quoted in bokmål in a nynorsk memo says so (WCAG 2.1 3.1.2, language of parts)
        row["lang"] = DEFAULT_MALFORM if row["source"] in bokmaal else ""
    return rows


def _figure_text(value: float, unit: str, shown: str) -> str:
    """A figure with its unit (`unit` as the estimates file gives it, `shown` in the memo's målform)."""
    if unit.startswith("andel"):
        return pct(value)
    if unit.startswith("kr"):
        return f"{num(value)} {shown}"
    return f"{num(value, 1 if value % 1 else 0)} {shown}"


def built_text(metadata: dict[str, str]) -> str:
    """The workbook's build date as a Norwegian reads it (28.11.2026), read by the reader's one rule for it
    (`built_date`); a record that is no date is shown as it stands, '' when there is none."""
    built = built_date(metadata)
    return built.strftime("%d.%m.%Y") if built else metadata.get("built", "")


def memo_context(est: Estimates, inputs: Inputs, b: Budget, *, workbook: str = "",
                 findings: Sequence[Finding] = (), metadata: dict[str, str] | None = None,
                 today: dt.date | None = None) -> dict[str, Any]:
    """Everything the template shows, computed here so the template only lays it out; every text in the
    budget's målform (b.params.malform)."""
    today = today or dt.date.today()
    p = b.params
    m = p.malform
    frame = years_frame(b)
    years = [{
        "year": int(cast(int, y)), "staff_new": int(r.staff_new), "staff_total": int(r.staff_total),
        "purchases_kr": float(r.one_off_purchase_kr), "standin_kr": float(r.one_off_standin_kr),
        "renewal_kr": float(r.renewal_kr), "running_purchase_kr": float(r.running_purchase_kr),
        "cash_kr": float(r.cash_kr), "internal_hours": float(r.internal_hours), "internal_kr": float(r.internal_kr),
        "one_off_kr": float(r.one_off_kr), "running_kr": float(r.running_kr), "benefit_kr": float(r.benefit_kr),
        "benefit_hours": float(r.benefit_hours),
    } for y, r in frame.iterrows()]
    series = [Series(tr("Kjøp (e-ID, bistand, modul)", m), tuple(y["purchases_kr"] for y in years),
                     MONEY_COLORS["purchases"], stack="midler"),
              Series(tr("Vikarer under opplæring", m), tuple(y["standin_kr"] for y in years), MONEY_COLORS["standin"],
                     stack="midler"),
              Series(tr("Fornyelse av e-ID og drift", m),
                     tuple(y["renewal_kr"] + y["running_purchase_kr"] for y in years), MONEY_COLORS["renewal"],
                     stack="midler")]
    # Markup: the SVG is built from numbers and escapes every text it holds.
    chart = bar_chart([str(y["year"]) for y in years], series,
                      title=tr("Behov for nye midler per budsjettår (faste {year}-kroner)", m, year=p.price_year))
    lines = lines_frame(b, inputs.ansvar, inputs.prosjekt)
    # the budget lines for the memo: KOSTRA art × budget year in 1 000 kr (the functions are in the workbook)
    by_art = []
    for art in dict.fromkeys(a.art for a in b.accounting_lines):
        per_year = [sum(a.kr for a in b.accounting_lines if a.art == art and a.year == y.year) for y in b.years]
        if not all(same_amount(v, 0.0) for v in per_year):
            by_art.append({"art": art, "label": est.text_in(est.accounting.art(art).label, m), "years": per_year})
    groups = {g.id: choice_label(est, "group", g.id, m) for g in est.groups}
    steps = [{"n": k + 1, "group": list_label(est, "group", s.group, m) or tr("mangler gruppe", m),
              "unit": s.unit or "–", "staff": s.staff, "year": s.year if s.year is not None else p.first_year,
              "year_default": s.year is None}
             for k, s in enumerate(inputs.steps) if s.staff > 0 or s.group is not None]
    by_group = {g.id: sum(s.staff for s in inputs.steps if s.group is not None and parse_group(est, s.group) == g.id)
                for g in est.groups}
    items = [{"label": i.label, "track": tr(TRACKS[i.track], m), "kind": tr(KINDS[i.kind], m),
              "hours": i.hours if i.kind == "hours" else None, "kr": i.kr, "cash": i.kind != "hours",
              "missing": i.id == "vendor_module" and b.one_off.vendor_module_missing} for i in b.one_off.items]
    open_checks = [c for c in b.checks if c.status != OK]
    vendor = vendor_name(est, inputs, m)
    municipality = one_line(inputs.municipality) or tr("Kommunen", m)  # the page header is one line (textinput)
    return {
        "est": est, "inputs": inputs, "b": b, "p": p, "years": years, "quality_gains": quality_gains(m),
        "lang": m, "lines": [row for _, row in lines.iterrows()], "acc": est.accounting,
        "mva_note": est.text_in(est.accounting.mva_note, m).rstrip("."),  # the template ends the sentence
        "document": est.text_in(est.document, m),
        "by_art": by_art, "functions": sorted({row.function for _, row in lines.iterrows()}),
        "chart": Markup(chart), "steps": steps, "by_group": [(groups[g], n) for g, n in by_group.items() if n],
        "group_order": "; ".join(groups.values()),
        "items": items, "running": b.running.lines, "sources": _source_rows(est, inputs, b),
        "open_checks": open_checks, "checks": b.checks, "status_class": STATUS_CLASS,
        "investment_note": any(c.id == "investment" for c in open_checks),
        "findings": [f.shown(m) for f in findings],
        "status": lambda status: tr(status, m),  # a status word (vocabulary) as the reader's målform spells it
        "vendor": vendor, "eid": choice_label(est, "eid", p.eid, m), "municipality": municipality,
        "css_municipality": re.sub(r'[<>&"\\]', "", municipality),  # inside a CSS string in <style>
        "number": one_line(inputs.municipality_number), "workbook": one_line(workbook), "metadata": metadata or {},
        "built_text": built_text(metadata or {}),
        "today": today, "date_text": today.strftime("%d.%m.%Y"), "version": __version__,
        "first_year": p.first_year, "last_year": p.last_year, "sizes_text": est.sizes_text,
        "size_range_text": est.size_range_text, "one_off_total": b.one_off.total_kr, "cash_total": b.cash_total_kr,
        "internal_hours_total": sum(y["internal_hours"] for y in years),
        "internal_kr_total": sum(y["internal_kr"] for y in years),
        "one_off_years": sum(y["one_off_kr"] for y in years), "kr": kr, "num": num,
        "hours": lambda x: hours(x, m), "pct": pct, "years_text": lambda x: years_text(x, m),
        "contact_email": est.contact_email,
        "label": lambda name: output_label(name, est, m),  # the one list of outputs (vocabulary.OUTPUTS)
    }


def vendor_name(est: Estimates, inputs: Inputs, malform: str = DEFAULT_MALFORM) -> str | None:
    """The EPJ vendor as the memo and the notice name it: the list's label in `malform`, or for «Annen
    leverandør» the name typed beside it (one line) when there is one; None when no vendor is chosen."""
    label = list_label(est, "vendor", inputs.vendor, malform)
    if label and est.vendor(parse_vendor(est, inputs.vendor or "")).other and inputs.vendor_other.strip():
        return one_line(inputs.vendor_other)
    return label


def render_memo_html(est: Estimates, inputs: Inputs, b: Budget, **kwargs: Any) -> str:
    """The memo as one self-contained HTML page (CSS and chart inline), in the budget's målform."""
    return render("memo.html.j2", b.params.malform, **memo_context(est, inputs, b, **kwargs))


def html_to_pdf(html: str) -> bytes:
    """A PDF of the memo page, A4, by WeasyPrint (imported here: only --pdf needs it). PDF/UA-1: tagged
    (headings, tables with header cells, lists, the chart as a figure with its text alternative), with
    the page's language (nb-NO or nn-NO, from the page's lang) and its title shown as the document's title,
    as the rules on universal design of ICT ask of a document the municipality publishes with its case
    papers."""
    import logging

    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # its warnings about unknown CSS are not ours
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html).render(pdf_variant="pdf/ua-1")
    lang = document.metadata.lang
    if lang in MALFORMS:  # the page says nb or nn; the PDF names the country too, as PDF readers expect
        document.metadata.lang = f"{lang}-NO"
    pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1")
    return pdf
