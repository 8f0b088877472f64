"""Veiledning (welcome): what the workbook is, who fills in what, the colour legend, where the numbers
come from, the note's advice and next steps. The text is a jinja2 template (templates/veiledning.txt.j2)."""

from __future__ import annotations

import math

from workbook_builder.core.numbers import nb_number, nb_percent
from workbook_builder.sheets.base import Context, Sheet
from workbook_builder.templating import render

SHEET = "Veiledning"
WIDTH = 120  # characters in the text column
LEGEND = (
    ("legend_input", "Gult felt: her skriver du (bare på arket Inndata). Tomt felt betyr standardverdien."),
    ("legend_calc", "Hvitt felt: formel, låst. Regnes om automatisk."),
    ("legend_constant", "Blå tekst: fast tall fra estimatene (arket Estimater), låst."),
    ("legend_key", "Grønt felt: nøkkeltall til budsjettet."),
)


def text(ctx: Context, template_version: str) -> str:
    est = ctx.est
    p = ctx.budget.params
    return render(
        "veiledning.txt.j2",
        municipality=ctx.inputs.municipality,
        title="Kjernejournal innføres i pleie- og omsorgstjenesten",
        place_date=_month_year(est.published),
        sizes=est.sizes_text,
        document=est.document,
        estimates_id=est.id,
        estimates_version=est.version,
        eid_prices=", ".join(f"{o.label} {nb_number(o.kr_per_person)} kr" for o in est.eid_options),
        pay_source=est.pay.source.split(":")[0],
        pay_date=est.pay.date,
        price_year=est.price_year,
        role=est.role(p.pay_role).label.lower(),
        first_year=p.first_year,
        reader_kr=nb_number(est.reader_kr.value),
        readers=" / ".join(f"{r:g}" for r in est.readers.values),
        hourly_rate=nb_number(p.hourly.kr_per_hour),
        renewal_years=nb_number(est.renewal_years.value),
        minutes=nb_number(est.benefits["minutes_saved"].value),
        share_short=nb_percent(est.benefits["share_short_term"].value),
        share_home=nb_percent(est.benefits["share_home_care"].value),
        contact_email=est.contact_email,
        built=f"{ctx.today:%d.%m.%Y}",
        tool_version=ctx.version,
        template_version=template_version,
        password=bool(ctx.password),
    )


def write(ctx: Context, s: Sheet, template_version: str) -> None:
    ws = s.ws
    ws.set_column(0, 0, 2)
    ws.set_column(1, 1, WIDTH)
    ws.hide_gridlines(2)
    r = 0
    for line in text(ctx, template_version).splitlines():
        if not line.strip():
            r += 1
            continue
        if line.startswith("# "):
            s.text(r, 1, line[2:], "title")
            ws.set_row(r, 24)
        elif line.startswith("## "):
            s.text(r, 1, line[3:], "h2")
        elif line.strip() == "[[legend]]":
            for role, label in LEGEND:
                s.text(r, 1, label, role)
                r += 1
            continue
        elif line.startswith("> "):
            _para(s, r, line[2:], "muted")
        elif line.startswith("- "):
            _para(s, r, "•  " + line[2:], "wrap")
        else:
            _para(s, r, line, "wrap")
        r += 1
    s.print_setup(landscape=False, last_row=r, last_col=1, title="Veiledning")
    s.protect()


def _para(s: Sheet, row: int, text: str, role: str) -> None:
    s.text(row, 1, text, role)
    lines = max(1, math.ceil(len(text) / (WIDTH * 1.15)))
    if lines > 1:
        s.ws.set_row(row, 15 * lines + 2)


MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
          "november", "desember")


def _month_year(published: str) -> str:
    """'2020-06' → 'juni 2020'; anything else as written."""
    year, _, month = published.partition("-")
    if year.isdigit() and month.isdigit() and 1 <= int(month) <= 12:
        return f"{MONTHS[int(month) - 1]} {year}"
    return published
