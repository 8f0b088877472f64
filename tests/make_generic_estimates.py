"""Writes tests/data/generic.toml: the packaged estimates with four reference sizes, two extra line
items (one of hours, one a purchase) and a fourth rollout group, to show that every size, item and
group comes from the file (issue 12). Run it again after the packaged file changes:

    .venv/bin/python tests/make_generic_estimates.py
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "workbook_builder" / "core" / "estimates" / "nhn-2020-06.toml"
TARGET = ROOT / "tests" / "data" / "generic.toml"

EXTRA_ITEMS = '''
[items.superuser_days]
label = "Regional samling for superbrukere"
track = "organisering"
kind = "hours"
unit = "timer"
values = [12, 18, 30, 64]
source = "Testfil: en tenkt regional samling, for å vise at en ny linje i filen når alle ark og rapporter"
low_share = -0.2
high_share = 0.4
range_source = "Testfil: antatt spenn"

[items.elearning_licence]
label = "Lisens for e-læringskurs i kjernejournal"
track = "organisering"
kind = "purchase"
unit = "kr"
art = "195"
values = [4000, 9000, 15000, 36000]
source = "Testfil: en tenkt lisens for e-læring, for å vise at en ny kjøpslinje får egen budsjettlinje"
low_share = -0.1
high_share = 0.3
range_source = "Testfil: antatt spenn"
'''

EXTRA_GROUP = '''
[groups.d]
label = "d: Legevakt og KAD-senter"
benefit = "short_term"
function = "241"
source = "Testfil: en fjerde gruppe, for å vise at batch og regionoversikten leser gruppene fra filen"
'''


def generic_text(text: str) -> str:
    edits = [
        ('id = "nhn-2020-06"', 'id = "test-generic"'),
        ('name = "NHN: Kjernejournal innføres i pleie- og omsorgstjenesten (juni 2020)"',
         'name = "Testfil: fire referansestørrelser, to ekstra linjer og en fjerde gruppe"'),
        ("values = [30, 100, 400]", "values = [20, 60, 150, 500]"),  # sizes
        ("values = [80, 100, 200]", "values = [70, 90, 130, 240]"),  # planning_kj
        ("values = [40, 125, 500]", "values = [25, 75, 190, 620]"),  # training
        ("published = [25000, 80000, 300000]", "published = [17000, 50000, 115000, 370000]"),  # eid
        ("values = [50, 100, 300]", "values = [40, 80, 150, 360]"),  # planning_helseid
        ("values = [15000, 20000, 40000]", "values = [12000, 17000, 26000, 48000]"),  # tech_assistance
        ("values = [8, 20, 40]", "values = [6, 14, 25, 50]"),  # eid readers
        ("\n[items.standin]", EXTRA_ITEMS + "\n[items.standin]"),
        ("\n[vendors.gerica]", EXTRA_GROUP + "\n[vendors.gerica]"),
    ]
    for old, new in edits:
        if text.count(old) != 1:
            raise SystemExit(f"{SOURCE.name}: expected {old!r} once, found it {text.count(old)} times")
        text = text.replace(old, new)
    return text


if __name__ == "__main__":
    TARGET.write_text(generic_text(SOURCE.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {TARGET}")
