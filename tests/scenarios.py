"""Budget inputs the workbook tests build and recalculate: the note's sizes for every e-ID, a grid
of sizes from 0 to 2 000, phased rollouts, other rates and prices, seeded random cases, and some of them
again in nynorsk (issue 13: `nn-…`, every output, check and cached value recalculated as in bokmål)."""

from __future__ import annotations

import random
from dataclasses import replace

from workbook_builder.core.model import Actual, Inputs, Step

FIRST = 2027
# The cases built again as nynorsk workbooks: every check status occurs among them (the empty template,
# notes, errors), with a vendor of its own, a phased-out e-ID and a step without a group.
NYNORSK = ("phased-full", "followup", "empty", "vendor-other-investment", "incomplete-step", "bankid-mobil-phased-out",
           "zone-v-helsefagarbeider", "random-3")


def one_step(staff: int, eid: str, **kw) -> Inputs:
    return Inputs(steps=(Step(staff, "b", "Korttidsavdeling", FIRST),), eid=eid, first_year=FIRST, **kw)


def scenarios() -> dict[str, Inputs]:
    out: dict[str, Inputs] = {"empty": Inputs(first_year=FIRST)}
    for eid in ("pki", "bankid", "bankid_mobil"):
        for staff in (30, 100, 400):
            out[f"note-{staff}-{eid}"] = one_step(staff, eid)
    grid = [0, 1, 7, 29, 31, 37, 65, 99, 101, 250, 399, 401, 750, 2000]
    eids = ["pki", "bankid", "pki", "bankid_mobil"]
    for k, staff in enumerate(grid):
        out[f"grid-{staff}"] = one_step(staff, eids[k % len(eids)], hourly_rate=[None, 512.5, 380, 0][k % 4])
    out["phased-full"] = Inputs(
        municipality="Lillehammer", municipality_number="3405", vendor="Gerica", eid="PKI-kort", first_year=FIRST,
        steps=(Step(12, "a", "Sykehjemsleger", 2027), Step(45, "b", "KAD/ØHD", 2027), Step(60, "c", "Sone nord", 2028),
               Step(55, "c", "Sone sør", 2029), Step(40, "c", "Tjenestekontor", 2030)),
        vendor_module_kr=85_000, maintenance_kr_per_year=12_000,
        followup_hours_per_year=40, helseid_key_hours_per_year=4, admissions_short_term=900,
        admissions_home_care=1400, eid_kr_per_person=650, reader_kr=450, renewal_years=4,
        ansvar="4100", prosjekt="KJ01", standin_share=0.75, pension_share=0.2, uncertainty="Høy",
    )
    # issue 14: actuals on Oppfølging, below, within and above each line's range, in published and forecast
    # years, kroner (deflator; pay index for stand-ins) and hours, and one where the budget is 0 (renewals)
    out["followup"] = replace(out["phased-full"], actuals=(
        Actual("training", 2027, 180), Actual("training", 2028, 900), Actual("planning_kj", 2027, 95),
        Actual("eid", 2027, 41_000), Actual("standin", 2027, 52_500.5), Actual("standin", 2028, 20_000),
        Actual("tech_assistance", 2028, 31_000), Actual("vendor_module", 2027, 90_000),
        Actual("eid_renewal", 2030, 6_500), Actual("maintenance_kr_per_year", 2029, 12_700),
        Actual("followup_hours_per_year", 2030, 61.5), Actual("helseid_key_hours_per_year", 2028, 4),
    ))
    out["price-year-2020"] = Inputs(eid="pki", first_year=2020, steps=(Step(100, "b", "", 2020),))
    out["zone-v-helsefagarbeider"] = Inputs(
        municipality="Alta", municipality_number="5601", pay_role="Helsefagarbeider", first_year=FIRST,
        steps=(Step(20, "a", "", FIRST), Step(150, "c", "", FIRST + 1)), eid="pki", renewal_years=2,
        hours_per_week=35.5, public_holiday_days=10, holiday_pay_share=0.143,
    )
    out["vendor-other-investment"] = Inputs(
        vendor="Annen leverandør", vendor_other="Helseplattformen (Epic)", vendor_module_kr=250_000,
        first_year=FIRST, eid="bankid", employer_tax_zone="Sone III", deflator_forecast=0.03, wage_forecast=0.035,
        steps=(Step(60, "b", "", FIRST + 1), Step(40, "c", "", FIRST + 2)), standin_hourly_rate=700,
    )
    out["bankid-mobil-phased-out"] = Inputs(eid="BankID på mobil", first_year=FIRST, vendor="Annen leverandør",
                                            steps=(Step(30, "a", "", FIRST),))
    out["phased-outside-window"] = Inputs(
        eid="bankid", first_year=FIRST, vendor="Visma (Profil)", vendor_module_kr=50_000,
        steps=(Step(30, "a", "", 2026), Step(70, "b", "", 2028), Step(100, "c", "Sone 1", 2033)),
    )
    out["phased-later-start"] = Inputs(
        eid="pki", first_year=2030, steps=(Step(200, "b", "", 2031), Step(300, "c", "", 2033)),
        admissions_short_term=2500, admissions_home_care=800, minutes_saved=6, share_short_term=0.65,
        share_home_care=0.4, hourly_rate=455.75,
    )
    out["incomplete-step"] = Inputs(first_year=FIRST, steps=(Step(40, None, "Avd. 3"), Step(0, "c", "Sone 2")))
    rng = random.Random(20201)
    for k in range(12):
        n = rng.randint(1, 12)
        steps = tuple(Step(rng.choice([0, rng.randint(1, 40), rng.randint(1, 400)]), rng.choice("abc"),
                           f"Trinn {j + 1}", rng.choice([None, FIRST, FIRST + 1, FIRST + 2, FIRST + 3]))
                      for j in range(n))
        out[f"random-{k}"] = Inputs(
            steps=steps, first_year=FIRST, eid=rng.choice(["pki", "bankid", "bankid_mobil"]),
            vendor=rng.choice([None, "Gerica", "Profil", "CosDoc"]),
            hourly_rate=rng.choice([None, float(rng.randint(300, 900)), round(rng.uniform(300, 900), 2)]),
            vendor_module_kr=rng.choice([None, float(rng.randint(0, 300_000))]),
            eid_kr_per_person=rng.choice([None, float(rng.randint(0, 1500))]),
            reader_kr=rng.choice([None, float(rng.randint(0, 1000))]),
            renewal_years=rng.choice([None, float(rng.randint(1, 6))]),
            maintenance_kr_per_year=rng.choice([None, float(rng.randint(0, 50_000))]),
            followup_hours_per_year=rng.choice([None, round(rng.uniform(0, 200), 1)]),
            admissions_short_term=rng.choice([None, float(rng.randint(0, 5000))]),
            admissions_home_care=rng.choice([None, float(rng.randint(0, 5000))]),
            minutes_saved=rng.choice([None, round(rng.uniform(1, 10), 1)]),
            share_short_term=rng.choice([None, round(rng.uniform(0, 1), 2)]),
            pay_role=rng.choice([None, "sykepleier", "helsefagarbeider", "alle"]),
            employer_tax_zone=rng.choice([None, "1", "1a", "2", "3", "4", "4a", "5"]),
            municipality_number=rng.choice(["", "0301", "5501", "4621", "9999"]),
            pension_share=rng.choice([None, round(rng.uniform(0, 0.3), 3)]),
            standin_share=rng.choice([None, round(rng.uniform(0, 1), 2)]),
            standin_hourly_rate=rng.choice([None, float(rng.randint(300, 900))]),
            hours_per_week=rng.choice([None, 35.5, 33.6]),
            public_holiday_days=rng.choice([None, 0.0, 9.0]),
            deflator_forecast=rng.choice([None, round(rng.uniform(0, 0.06), 3)]),
            uncertainty=rng.choice([None, "Lav", "middels", "HØY"]),
        )
    for name in NYNORSK:
        out[f"nn-{name}"] = replace(out[name], malform="nn")
    return out
