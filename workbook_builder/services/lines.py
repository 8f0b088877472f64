"""The budget lines of a budget as CSV for the municipality's budget system (`kj-budget lines`): the
same rows as the workbook's Budsjettlinjer sheet, one per budget year, KOSTRA function and art."""

from __future__ import annotations

import csv
import io

from workbook_builder.core.estimates import Estimates
from workbook_builder.core.i18n import N_, tr
from workbook_builder.core.model import Budget
from workbook_builder.core.numbers import same_amount
from workbook_builder.core.textinput import neutralise

HEADS = (N_("År"), N_("Ansvar"), N_("Funksjon"), N_("Funksjonsnavn"), N_("Art"), N_("Artsnavn"), N_("Prosjekt"),
         N_("Beløp (kr)"), N_("Beløp (1 000 kr)"), N_("Tekst"))


def lines_csv(est: Estimates, b: Budget, ansvar: str, prosjekt: str, include_zero: bool = False) -> str:
    """The Budsjettlinjer rows as ';'-separated text with a decimal comma and a byte-order mark; a line of
    0 kr (one that agrees with 0 by the one tolerance) is left out unless `include_zero`. The header and the
    texts are in the budget's målform (the model writes each line's text in it)."""
    acc, malform = est.accounting, b.params.malform
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow([tr(head, malform) for head in HEADS])
    for a in b.accounting_lines:
        if not include_zero and same_amount(a.kr, 0.0):
            continue
        w.writerow([a.year, _safe(ansvar), a.function, est.text_in(acc.function(a.function).label, malform), a.art,
                    est.text_in(acc.art(a.art).label, malform), _safe(prosjekt), _decimal(a.kr),
                    _decimal(a.thousand_kr), a.text])
    return "\ufeff" + buf.getvalue()


def _decimal(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".").replace(".", ",") if x % 1 else f"{x:.0f}"


def _safe(text: str) -> str:
    """A code typed by a user, kept from being read as a formula by a spreadsheet (OWASP CSV injection):
    the one rule, textinput.neutralise."""
    return neutralise(text)
