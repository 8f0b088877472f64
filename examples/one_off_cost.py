"""Example: the one-off cost for 120 health personnel with PKI cards, from Python.

    python3 examples/one_off_cost.py
"""

from workbook_builder.core.estimates import load_estimates
from workbook_builder.core.model import one_off
from workbook_builder.core.numbers import nb_kr
from workbook_builder.services.tables import one_off_frame

est = load_estimates()  # the packaged NHN June 2020 estimates
cost = one_off(est, 120, "PKI-kort", vendor_module_kr=60_000)
print(one_off_frame(cost)[["id", "hours", "kr"]].to_string(index=False))
print(f"Total: {nb_kr(cost.total_kr)} ({cost.total_hours:.0f} internal hours, {cost.eid_readers} card readers)")
