"""Kontroll: each check with its status and a Norwegian message, and the master check.

The same checks as `model.checks`, in the same order, with the same texts and severities (one table:
`vocabulary.CHECKS`): the tests compare them.
"""

from __future__ import annotations

from workbook_builder.core import i18n
from workbook_builder.core.estimates import Estimates
from workbook_builder.core.followup import ABOVE
from workbook_builder.core.i18n import N_
from workbook_builder.core.model import Budget, check_message, check_values
from workbook_builder.core.numbers import TOLERANCE_KR
from workbook_builder.core.vocabulary import (
    CHECK_MESSAGES,
    CHECK_OK_MESSAGE,
    CHECKS,
    EMPTY,
    ERROR,
    MASTER_MESSAGES,
    NOTE,
    NOTE_MANY,
    NOTE_ONE,
    OK,
    WORST_FIRST,
)
from workbook_builder.sheets.base import Context, Sheet, cell, excel_text, template_formula

SHEET = N_("Kontroll")  # the id; the workbook names it in its målform (Context.sheet_name)
# The first word of every status that marks an input invalid on Inndata («Ugyldig: …»), in both målformer:
# Kontroll's «inputs» check and Inndata's red fill look for it.
INVALID = N_("Ugyldig")
# Each status worse than OK: the label and name of its count on the sheet (the statuses and their order
# are the one severity table's, vocabulary.STATUSES).
COUNTS = {ERROR: (N_("Antall feil"), "kj_check_errors"), EMPTY: (N_("Antall «ikke utfylt»"), "kj_check_empty"),
          NOTE: (N_("Antall merknader"), "kj_check_notes")}


def _worst_first(statuses: list[str], then: dict[str, str], otherwise: str) -> str:
    """IF(count of the worst status>0; its formula; IF(the next …; otherwise)): the master check's order."""
    formula = otherwise
    for status in reversed(statuses):
        formula = f"IF({COUNTS[status][1]}>0,{then[status]},{formula})"
    return formula


def conditions(est: Estimates, malform: str = i18n.DEFAULT_MALFORM) -> dict[str, str]:
    """Check id → the condition formula under which it fails (its status then comes from `CHECKS`); an
    input is invalid when its status on Inndata starts with the word `INVALID` in the workbook's målform."""
    invalid = excel_text(i18n.tr(INVALID, malform))
    running_blank = ",".join(f'OR(kj_{r.id}="",kj_{r.id}_status<>"")' for r in est.running)
    vendor_other = ('AND(IFERROR(INDEX(kj_est_vendor_other,MATCH(kj_vendor_used,kj_list_vendors,0)),0)=1,'
                    'OR(TRIM(kj_vendor_other)="",kj_vendor_other_status<>""))')
    investment = ("OR(AND(kj_est_vendor_module_life>=kj_est_investment_life,"
                  "MAX(kj_year_vendor_module_kr)*(1+kj_est_mva_share)>=kj_est_investment_kr),"
                  "AND(kj_est_eid_life>=kj_est_investment_life,"
                  "MAX(kj_eid_kr_per_person_used,kj_reader_kr_used)*(1+kj_est_mva_share)>=kj_est_investment_kr)"
                  f"{_purchase_investment(est)})")
    return {
        "staff": "kj_total_staff=0",
        "steps": "SUM(kj_calc_step_incomplete)>0",
        "inputs": f"SUMPRODUCT(--(LEFT(kj_input_status,LEN({invalid}))={invalid}))>0",
        "years": "ABS(SUM(kj_year_one_off_kr)-kj_total_kr)>kj_tolerance_kr",
        "lines": "ABS(kj_lines_total_kr-kj_cash_total_kr)>kj_tolerance_kr",
        "basis": "kj_outside_basis=1",
        "vendor": f'OR(kj_vendor_used="",{vendor_other})',
        "vendor_price": "kj_vendor_module_missing=1",
        "eid_price": "kj_eid_kr_per_person_used=0",
        "eid_current": "INDEX(kj_est_eid_phased_out,kj_eid_index)=1",
        "price_level": "kj_first_year_used>kj_est_last_year",
        "investment": investment,
        "running": f"AND({running_blank})",
        "benefits": "kj_admissions_short_term_used+kj_admissions_home_care_used=0",
        "benefit_groups": ("OR(AND(kj_admissions_short_term_used>0,"
                           "SUMPRODUCT(kj_calc_step_staff,kj_calc_step_short)=0),"
                           "AND(kj_admissions_home_care_used>0,SUMPRODUCT(kj_calc_step_staff,kj_calc_step_home)=0))"),
        "followup": f"COUNTIF(kj_followup_status,{excel_text(i18n.tr(ABOVE, malform))})>0",
    }


def _purchase_investment(est: Estimates) -> str:
    """Interpolated purchases with a life of at least the minimum: their largest year, incl. mva."""
    out = []
    for item in est.interpolated_items:
        if item.kind == "purchase" and item.life_years >= est.accounting.investment_min_life_years.value:
            out.append(f",MAX(kj_year_{item.id}_kr)*(1+kj_est_mva_share)>=kj_est_investment_kr")
    return "".join(out)


# The workbook's formula for each placeholder of the check messages (the rest are fixed for a workbook).
MESSAGE_FORMULAS = {"staff": "kj_total_staff", "low": "MIN(kj_est_sizes)", "high": "MAX(kj_est_sizes)",
                    "first": "kj_first_year_used", "last": "kj_last_year", "last_published": "kj_est_last_year",
                    "eid": "kj_eid_used"}


def message_formula(check_id: str, est: Estimates, b: Budget) -> str:
    """The failing message as a formula: the same template as the model's, its numbers from the sheets."""
    template = i18n.tr(CHECK_MESSAGES[check_id], b.params.malform)
    return template_formula(template, MESSAGE_FORMULAS, check_values(est, b.params, b.total_staff))


def write(ctx: Context, s: Sheet) -> None:
    ws, est, b = s.ws, ctx.est, ctx.budget
    ws.set_column(0, 0, 44)
    ws.set_column(1, 1, 12)
    message_width = 110
    ws.set_column(2, 2, message_width)
    tr = ctx.tr
    s.text(0, 0, tr("Kontroll – er budsjettet komplett og konsistent?"), "title")
    s.text(1, 0, tr("Feil må rettes før tallene brukes. Merknader sier hva som mangler eller er usikkert. «Ikke "
                   "utfylt»: ingen innføringstrinn er lagt inn ennå."), "note")
    counted = [status for status in WORST_FIRST if status != OK]  # the one severity table, worst first
    counts = {status: sum(c.status == status for c in b.checks) for status in counted}
    word = {status: excel_text(tr(status)) for status in WORST_FIRST}
    # the one tolerance (numbers.TOLERANCE_KR, named on Estimater), stated where the checks use it
    s.text(2, 0, tr("Avrundingstoleranse for summer som skal stemme"), "label")
    s.formula(2, 1, "kj_tolerance_kr", TOLERANCE_KR, "calc", '0.000" kr"')
    s.text(2, 2, tr("Budsjettårene mot totalen og budsjettlinjene mot nye midler kan avvike så mye ved avrunding, og "
                    "ikke mer (se Estimater)."), "note", indent=1)
    r = 3
    s.text(r, 0, tr("Samlet kontroll"), "bold")
    s.formula(r, 1, _worst_first(counted, word, word[OK]), tr(b.master_check), "check")
    s.define("kj_master_check", (r, 1), None, "output")
    counts_f = {"errors": COUNTS[ERROR][1], "notes": COUNTS[NOTE][1],
                "noun": f"IF({COUNTS[NOTE][1]}=1,{excel_text(tr(NOTE_ONE))},{excel_text(tr(NOTE_MANY))})"}
    master = {status: template_formula(tr(MASTER_MESSAGES[status]), counts_f, {}) for status in MASTER_MESSAGES}
    s.formula(r, 2, _worst_first(counted, master, master[OK]), b.master_message, "bold")
    s.define("kj_master_message", (r, 2), None, "output")
    first = r + 2 + len(counted)
    last = first + len(b.checks) - 1
    for k, status in enumerate(counted):
        label, name = COUNTS[status]
        s.text(r + 1 + k, 0, tr(label), "label")
        s.formula(r + 1 + k, 1, f"COUNTIF({cell(first, 1)}:{cell(last, 1)},{word[status]})", counts[status], "calc",
                  "count")
        s.define(name, (r + 1 + k, 1), None, "working")
    r = first - 1
    for c, head in enumerate((tr("Kontroll"), tr("Status"), tr("Melding"))):
        s.text(r, c, head, "colhead")
    r += 1
    conds = conditions(est, ctx.malform)
    for check in b.checks:
        severity, title, _ = CHECKS[check.id]
        s.text(r, 0, tr(title), "label")
        s.formula(r, 1, f"IF({conds[check.id]},{word[severity]},{word[OK]})", tr(check.status), "check")
        status = cell(r, 1)
        s.formula(r, 2, f"IF({status}={word[OK]},{excel_text(tr(CHECK_OK_MESSAGE))},"
                        f"{message_formula(check.id, est, b)})", check.message, "wrap")
        # the row is as tall as the check's failing message needs, whatever its status now: the message is a
        # formula, and a row does not grow when it changes (a long one ran over the next check's row)
        s.fit_height(r, (check_message(check.id, est, b.params, b.total_staff), message_width), (tr(title), 44))
        r += 1
    s.define("kj_check_status", (first, 1), (r - 1, 1), "working")
    s.define("kj_check_message", (first, 2), (r - 1, 2), "working")
    for text, fmt in ctx.fmt.status_rules(ctx.malform):
        ws.conditional_format(3, 1, r - 1, 1, {"type": "cell", "criteria": "==", "value": f'"{text}"',
                                               "format": fmt})
    s.print_setup(landscape=True, last_row=r, last_col=2)
    s.protect()
