"""Kontroll: each check with its status and a Norwegian message, and the master check.

The same checks as `model.checks`, in the same order, with the same texts: the tests compare them.
"""

from __future__ import annotations

from ..estimates import Estimates
from ..model import CHECK_OK_MESSAGE, CHECK_TITLES, ERROR, NOTE, Budget, check_message
from .base import Context, Sheet, cell, excel_text

SHEET = "Kontroll"


def conditions(est: Estimates) -> dict[str, tuple[str, str]]:
    """Check id → (status when failing, condition formula)."""
    running_blank = ",".join(f'OR(kj_{r.id}="",kj_{r.id}_status<>"")' for r in est.running)
    return {
        "staff": (ERROR, "kj_total_staff=0"),
        "steps": (ERROR, "SUM(kj_calc_step_incomplete)>0"),
        "inputs": (ERROR, 'SUMPRODUCT(--(LEFT(kj_input_status,7)="Ugyldig"))>0'),
        "years": (ERROR, "ABS(SUM(kj_year_one_off_kr)-kj_total_kr)>kj_tolerance_kr"),
        "basis": (NOTE, "kj_outside_basis=1"),
        "vendor": (NOTE, 'kj_vendor_used=""'),
        "vendor_price": (NOTE, "kj_vendor_module_missing=1"),
        "eid_price": (NOTE, "kj_eid_kr_per_person_used=0"),
        "running": (NOTE, f"AND({running_blank})"),
        "benefits": (NOTE, "kj_admissions_short_term_used+kj_admissions_home_care_used=0"),
        "benefit_groups": (NOTE, "OR(AND(kj_admissions_short_term_used>0,"
                                 "SUMPRODUCT(kj_calc_step_staff,kj_calc_step_short)=0),"
                                 "AND(kj_admissions_home_care_used>0,"
                                 "SUMPRODUCT(kj_calc_step_staff,kj_calc_step_home)=0))"),
    }


def message_formula(check_id: str, est: Estimates, b: Budget) -> str:
    """The failing message as a formula: fixed text, or text joined with the numbers it names."""
    if check_id == "basis":
        return ('kj_total_staff&" helsepersonell er utenfor notatets estimatgrunnlag ("&MIN(kj_est_sizes)&"–"&'
                'MAX(kj_est_sizes)&"): tallene er forlenget lineært og er mer usikre."')
    if check_id == "years":
        return ('"Budsjettårene summerer ikke til totalen: et trinn starter utenfor økonomiplanperioden "&'
                'kj_first_year_used&"–"&kj_last_year&"."')
    return excel_text(check_message(check_id, est, b.params, b.total_staff))


def write(ctx: Context, s: Sheet) -> None:
    ws, est, b = s.ws, ctx.est, ctx.budget
    ws.set_column(0, 0, 44)
    ws.set_column(1, 1, 12)
    ws.set_column(2, 2, 110)
    s.text(0, 0, "Kontroll – er budsjettet komplett og konsistent?", "title")
    s.text(1, 0, "Feil må rettes før tallene brukes. Merknader sier hva som mangler eller er usikkert.", "note")
    errors = sum(c.status == ERROR for c in b.checks)
    notes = sum(c.status == NOTE for c in b.checks)
    r = 3
    s.text(r, 0, "Samlet kontroll", "bold")
    s.formula(r, 1, 'IF(kj_check_errors>0,"Feil",IF(kj_check_notes>0,"Merknad","OK"))', b.master_check, "check")
    s.define("kj_master_check", (r, 1), None, "output")
    noun = 'IF(kj_check_notes=1," merknad"," merknader")'
    s.formula(r, 2, f'IF(kj_check_errors>0,"Feil: "&kj_check_errors&" feil og "&kj_check_notes&{noun}&'
                    f'". Se arket Kontroll.",IF(kj_check_notes>0,"Merknad: "&kj_check_notes&{noun}&'
                    f'". Se arket Kontroll.","OK: alle kontroller er i orden."))', b.master_message, "bold")
    s.define("kj_master_message", (r, 2), None, "output")
    s.text(r + 1, 0, "Antall feil", "label")
    s.text(r + 2, 0, "Antall merknader", "label")
    r += 5
    first = r + 1
    s.formula(r - 4, 1, f"COUNTIF({cell(first, 1)}:{cell(first + len(b.checks) - 1, 1)},\"Feil\")", errors,
              "calc", "count")
    s.define("kj_check_errors", (r - 4, 1), None, "working")
    s.formula(r - 3, 1, f"COUNTIF({cell(first, 1)}:{cell(first + len(b.checks) - 1, 1)},\"Merknad\")", notes,
              "calc", "count")
    s.define("kj_check_notes", (r - 3, 1), None, "working")
    for c, head in enumerate(("Kontroll", "Status", "Melding")):
        s.text(r, c, head, "colhead")
    r += 1
    conds = conditions(est)
    for check in b.checks:
        severity, cond = conds[check.id]
        s.text(r, 0, CHECK_TITLES[check.id], "label")
        s.formula(r, 1, f'IF({cond},"{severity}","OK")', check.status, "check")
        status = cell(r, 1)
        s.formula(r, 2, f'IF({status}="OK",{excel_text(CHECK_OK_MESSAGE)},{message_formula(check.id, est, b)})',
                  check.message, "wrap")
        r += 1
    s.define("kj_check_status", (first, 1), (r - 1, 1), "working")
    s.define("kj_check_message", (first, 2), (r - 1, 2), "working")
    for text, fmt in ctx.fmt.status_rules():
        ws.conditional_format(3, 1, r - 1, 1, {"type": "cell", "criteria": "==", "value": f'"{text}"',
                                               "format": fmt})
    s.print_setup(landscape=True, last_row=r, last_col=2, title="Kontroll")
    s.protect()
