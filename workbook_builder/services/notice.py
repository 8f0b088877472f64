"""The message to the EPJ vendor (with a copy to the national project), in one of two forms.

By default an **inquiry before a decision**: it describes the planned scope and asks the vendor for the
price of the module for HelseID and kjernejournal, its yearly costs, when it can be taken into use and
what the vendor needs from the municipality, without saying anything is decided. With `decided` it
**reports the decision** (the note's last step: "report the decision to the EPJ vendor with a copy to the
project") and asks the same. Neither states a budgeted amount unless `with_budget`: a vendor who knows
the budget prices to it. The text comes from `templates/notice.txt.j2`, the figures from the model.
"""

from __future__ import annotations

import datetime as dt

from workbook_builder.cells import list_label
from workbook_builder.core.estimates import Estimates
from workbook_builder.core.i18n import tr
from workbook_builder.core.model import Budget, Inputs, choice_label, parse_vendor
from workbook_builder.core.textinput import one_line
from workbook_builder.services.memo import kr, num, vendor_name
from workbook_builder.sheets.veiledning import NOTE_TITLE
from workbook_builder.templating import render


class NoticeRefused(ValueError):
    """The workbook lacks what the message needs (a vendor, personnel); the text is English, one line."""


def product(vendor_label: str) -> str:
    """'TietoEVRY (Gerica)' → 'Gerica': the EPJ system the module is for."""
    return vendor_label.split("(")[-1].rstrip(")").strip() if "(" in vendor_label else vendor_label


def notice_text(est: Estimates, inputs: Inputs, b: Budget, *, today: dt.date | None = None,
                signature: str = "", decided: bool = False, with_budget: bool = False) -> str:
    """The plain-text message (To, Cc, Subject, body) in the budget's målform: an inquiry, or with `decided`
    the decision; with `with_budget` it also states the amount set aside for the module when it is priced,
    else the one-off total."""
    if inputs.vendor is None:
        labels = ", ".join(v.label for v in est.vendors if not v.other)
        raise NoticeRefused(f"no EPJ vendor is chosen in the workbook (Inndata, EPJ-leverandør): choose one of "
                            f"{labels} (or Annen leverandør and its name), save the workbook and run notice again")
    if est.vendor(parse_vendor(est, inputs.vendor)).other and not inputs.vendor_other.strip():
        raise NoticeRefused("the EPJ vendor is «Annen leverandør» but the workbook has no vendor name (Inndata, "
                            "Navn på annen leverandør): type the vendor's name, save the workbook and run notice again")
    if not inputs.municipality.strip():
        raise NoticeRefused("the workbook has no municipality name (Inndata, Kommune): fill it in, save the "
                            "workbook and run notice again")
    if b.total_staff == 0:
        raise NoticeRefused("the workbook has no health personnel in its rollout steps (Inndata, Innføringstrinn): "
                            "there is no scope to write about yet")
    p = b.params
    m = p.malform
    vendor = vendor_name(est, inputs, m) or ""
    today = today or dt.date.today()
    steps = []
    for s in inputs.steps:
        if s.staff <= 0:
            continue
        group = list_label(est, "group", s.group, m) or tr("gruppe ikke valgt", m)
        # the unit after a dash: the group's label has commas of its own («b: Legemiddelansvarlige,
        # korttidsavdelinger – Korttidsavdeling Follebu»)
        where = f" – {one_line(s.unit)}" if s.unit else ""
        steps.append(tr("{group}{where}: {staff} helsepersonell fra {year}", m, group=group, where=where,
                        staff=num(s.staff), year=s.year or p.first_year))
    municipality = one_line(inputs.municipality)
    # Every value in a header line (Til, Kopi, Emne) is one line: no value can add a header (textinput).
    return render(
        "notice.txt.j2", m, decided=decided, title=NOTE_TITLE, with_budget=with_budget, vendor=vendor,
        product=one_line(product(vendor)),
        cc=one_line(est.contact_email), municipality=municipality, number=one_line(inputs.municipality_number),
        steps=steps, total=num(b.total_staff),
        eid=choice_label(est, "eid", p.eid, m),
        first_year=min((s.year or p.first_year) for s in inputs.steps if s.staff > 0),
        plan=f"{p.first_year}–{p.last_year}", module_kr=None if p.vendor_module_kr is None else kr(p.vendor_module_kr),
        one_off=kr(b.one_off.total_kr), hours=num(b.one_off.total_hours), date=today.strftime("%d.%m.%Y"),
        signature=one_line(signature) or tr("{municipality} kommune", m, municipality=municipality),
    ).replace("\u00a0", " ")
