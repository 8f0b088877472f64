"""Example: a stepwise rollout as the note advises (a, then b, then c zone by zone), as a workbook.

    python3 examples/phased_budget.py build/ringebu.xlsx
"""

import sys

from workbook_builder.core.estimates import load_estimates
from workbook_builder.core.model import Inputs, Step
from workbook_builder.core.numbers import nb_kr
from workbook_builder.services.tables import years_frame
from workbook_builder.workbook import build_workbook

inputs = Inputs(
    municipality="Ringebu", municipality_number="3439", vendor="Gerica", eid="PKI-kort", first_year=2027,
    steps=(
        Step(6, "a", "Sykehjemsleger", 2027),
        Step(25, "b", "Korttidsavdelingen", 2027),
        Step(30, "c", "Hjemmesykepleien sone nord", 2028),
        Step(25, "c", "Hjemmesykepleien sone sør", 2029),
    ),
    admissions_short_term=350, admissions_home_care=500,
)
built = build_workbook(sys.argv[1] if len(sys.argv) > 1 else "build/ringebu.xlsx", load_estimates(), inputs)
b = built.budget
print(f"Fixed {b.params.price_year} kroner, excl. mva")
print(years_frame(b)[["staff_total", "cash_kr", "internal_hours", "benefit_hours"]].round(0).to_string())
print(f"New money 2027–2030: {nb_kr(b.cash_total_kr)}; one-off in all: {nb_kr(b.one_off.total_kr)}; "
      f"master check: {b.master_check}")
