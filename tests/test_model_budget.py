"""Stepwise rollout, running costs, renewals, benefits and the checks of a whole budget."""

from __future__ import annotations

import pytest

from workbook_builder.core import errors, model, numbers, vocabulary
from workbook_builder.core.model import Inputs, Step


def phased(**kw):
    steps = (Step(20, "a", "Sykehjemsleger", 2027), Step(60, "b", "KAD", 2027), Step(120, "c", "Sone 1", 2028),
             Step(100, "c", "Sone 2", 2029))
    return Inputs(steps=steps, first_year=2027, **kw)


def test_years_are_the_increase_of_the_cumulative_estimate(est):
    b = model.budget(est, phased())
    cum = [model.one_off(est, n, "pki", price_year=2027).total_kr for n in (0, 80, 200, 300, 300)]
    assert [y.one_off_kr for y in b.years] == [cum[i + 1] - cum[i] for i in range(4)]
    assert [y.staff_total for y in b.years] == [80, 200, 300, 300]
    assert b.one_off.total_kr == cum[-1]


def test_vendor_module_is_booked_in_the_first_step_year(est):
    b = model.budget(est, phased(vendor_module_kr=120_000))
    assert [y.item_kr["vendor_module"] for y in b.years] == [120_000, 0, 0, 0]
    assert sum(y.one_off_kr for y in b.years) == b.one_off.total_kr


def test_running_costs_start_with_each_step_and_cards_are_renewed_when_due(est):
    b = model.budget(est, phased(maintenance_kr_per_year=10_000, followup_hours_per_year=20,
                                 helseid_key_hours_per_year=2, eid_kr_per_person=700))
    rate = b.params.hourly_rate
    # cards bought in 2027 (80) are renewed in 2030; those of 2028 (120) and 2029 (100) after the plan period
    assert [y.renewal_kr for y in b.years] == [0, 0, 0, 80 * 700]
    for y in b.years:
        assert y.running_kr == pytest.approx(y.renewal_kr + 10_000 + 22 * rate, abs=1e-9)
        assert y.cash_kr == y.one_off_purchase_kr + y.one_off_standin_kr + y.renewal_kr + 10_000
    # the steady-state figure keeps the renewal as its yearly average
    assert b.running.total_kr == pytest.approx(300 * 700 / 3 + 10_000 + 22 * rate, abs=1e-9)


def test_no_renewal_cost_for_bankid(est):
    b = model.budget(est, phased(eid="BankID"))
    assert b.running.total_kr == 0
    assert b.check("eid_price").status == vocabulary.NOTE


def test_benefit_arithmetic(est):
    b = model.budget(est, phased(admissions_short_term=600, admissions_home_care=900, hourly_rate=438))
    hours = 600 * 0.8 * 4 / 60 + 900 * 0.5 * 4 / 60  # 32 + 30
    assert b.benefit.hours == pytest.approx(62)
    assert b.benefit.kr == pytest.approx(hours * 438)
    # short-term groups (a, b) are all live in 2027; home care (c) is 120 of 220 in 2028
    assert [round(y.benefit_hours, 9) for y in b.years] == [32, round(32 + 30 * 120 / 220, 9), 62, 62]


def test_hours_returned_is_hours_invested_over_hours_freed_per_year(est):
    b = model.budget(est, phased(admissions_short_term=20_000, admissions_home_care=20_000,
                                 followup_hours_per_year=50))
    assert b.hours_returned_years == pytest.approx(b.one_off.total_hours / (b.benefit.hours - 50))
    assert model.budget(est, phased()).hours_returned_years is None  # no time freed: never returned


def test_steps_outside_the_plan_period_fail_the_years_check(est):
    inputs = Inputs(steps=(Step(50, "a", "", 2027), Step(50, "b", "", 2035)), first_year=2027)
    b = model.budget(est, inputs)
    assert b.check("years").status == vocabulary.ERROR
    assert "2027–2030" in b.check("years").message
    assert b.master_check == vocabulary.ERROR


def test_an_untouched_template_is_not_filled_in_rather_than_an_error(est):
    b = model.budget(est, Inputs(first_year=2027))
    assert b.check("staff").status == vocabulary.EMPTY == "Ikke utfylt"
    assert b.master_check == vocabulary.EMPTY
    assert b.master_message.startswith("Ikke utfylt: legg inn innføringstrinnene")
    assert b.one_off.total_kr == 0 and b.hours_returned_years is None and b.cash_total_kr == 0
    # an error still wins over «not filled in»
    bad = model.budget(est, Inputs(first_year=2027, invalid=("kj_hourly_rate",)))
    assert bad.master_check == vocabulary.ERROR


def test_a_complete_budget_is_ok(est):
    """First year 2026: the last year with published deflator figures, so no forecast note."""
    steps = (Step(20, "a", "Sykehjemsleger", 2026), Step(60, "b", "KAD", 2026), Step(120, "c", "Sone 1", 2027))
    b = model.budget(est, Inputs(steps=steps, first_year=2026, vendor="Gerica", vendor_module_kr=75_000,
                                 admissions_short_term=500, admissions_home_care=800, maintenance_kr_per_year=0))
    assert {c.id: c.status for c in b.checks if c.status != vocabulary.OK} == {}
    assert b.master_check == vocabulary.OK


def test_a_vendor_module_of_100_000_kr_incl_mva_is_noted_as_a_possible_investment(est):
    steps = (Step(100, "b", "", 2026),)
    below = model.budget(est, Inputs(steps=steps, first_year=2026, vendor_module_kr=79_999))
    above = model.budget(est, Inputs(steps=steps, first_year=2026, vendor_module_kr=80_000))  # × 1,25 = 100 000
    assert below.check("investment").status == vocabulary.OK
    assert above.check("investment").status == vocabulary.NOTE
    assert "KRS 4" in above.check("investment").message


def test_a_budget_year_after_the_published_deflator_is_noted(est):
    b = model.budget(est, Inputs(steps=(Step(30, "a"),), first_year=2027))
    assert b.check("price_level").status == vocabulary.NOTE
    assert b.check("price_level").message.startswith("Prisene for 2027 bygger på en prognose")


def test_bankid_on_mobile_is_phased_out(est):
    b = model.budget(est, Inputs(steps=(Step(30, "a"),), first_year=2026, eid="BankID på mobil"))
    assert b.check("eid_current").status == vocabulary.NOTE
    assert model.budget(est, Inputs(steps=(Step(30, "a"),), first_year=2026, eid="BankID")).check(
        "eid_current").status == vocabulary.OK


def test_another_vendor_needs_its_name(est):
    steps = (Step(30, "a"),)
    unnamed = model.budget(est, Inputs(steps=steps, first_year=2026, vendor="Annen leverandør"))
    named = model.budget(est, Inputs(steps=steps, first_year=2026, vendor="other",
                                     vendor_other="Helseplattformen (Epic)"))
    assert unnamed.check("vendor").status == vocabulary.NOTE
    assert named.check("vendor").status == vocabulary.OK


def test_outside_basis_message_names_the_count_and_range(est):
    b = model.budget(est, Inputs(steps=(Step(12, "a"),), first_year=2027))
    assert b.check("basis").message.startswith("12 helsepersonell er utenfor notatets estimatgrunnlag (30–400)")


def test_step_without_group_is_incomplete(est):
    b = model.budget(est, Inputs(steps=(Step(40, None, "Avd. 2"),), first_year=2027))
    assert b.check("steps").status == vocabulary.ERROR


def test_benefit_without_matching_group(est):
    b = model.budget(est, Inputs(steps=(Step(40, "a"),), first_year=2027, admissions_home_care=300))
    assert b.check("benefit_groups").status == vocabulary.NOTE
    assert b.benefit.kr == 0


@pytest.mark.parametrize(
    ("kwargs", "field", "nb"),
    [
        ({"hourly_rate": -1}, "hourly_rate", "Timekostnad for interne ressurser må være fra 0 til 10000, fikk -1"),
        ({"hourly_rate": "mye"}, "hourly_rate", "Timekostnad for interne ressurser må være et tall, fikk «mye»"),
        ({"share_home_care": 1.5}, "share_home_care", "må være fra 0 til 1, fikk 1,5"),
        ({"admissions_home_care": 10.5}, "admissions_home_care", "må være et heltall, fikk 10,5"),
        ({"eid": "Visa"}, "eid", "ukjent e-ID «Visa»: bruk PKI-kort; BankID; BankID på mobil"),
        ({"vendor": "Epic"}, "vendor", "ukjent EPJ-leverandør «Epic»"),
        ({"first_year": 2019}, "first_year", "Første budsjettår må være fra 2020 til 2100, fikk 2019"),
        ({"pay_role": "lege"}, "pay_role", "ukjent stilling «lege»: bruk Sykepleier; Helsefagarbeider"),
        ({"employer_tax_zone": "6"}, "employer_tax_zone", "ukjent sone for arbeidsgiveravgift «6»"),
        ({"pension_share": 0.6}, "pension_share", "Pensjon, arbeidsgivers andel må være fra 0 til 0,5, fikk 0,6"),
    ],
)
def test_bad_inputs_are_refused_with_a_norwegian_message(est, kwargs, field, nb):
    with pytest.raises(errors.InputError) as err:
        model.budget(est, Inputs(steps=(Step(30, "a"),), first_year=2027).__class__(
            steps=(Step(30, "a"),), **{"first_year": 2027, **kwargs}))
    assert err.value.field == field
    assert nb in err.value.nb


@pytest.mark.parametrize("text", ["pki", "PKI", "PKI-kort", "pki-kort", " pki "])
def test_eid_accepts_ids_and_labels_in_any_case(est, text):
    assert model.parse_eid(est, text) == "pki"


@pytest.mark.parametrize("text", ["bankid-mobil", "bankid_mobil", "BankID på mobil", "BANKID PÅ MOBIL"])
def test_eid_bankid_on_mobile(est, text):
    assert model.parse_eid(est, text) == "bankid_mobil"


@pytest.mark.parametrize(("text", "vendor"), [("Gerica", "gerica"), ("TietoEVRY (Gerica)", "gerica"),
                                              ("visma", "profil"), ("CosDoc", "cosdoc"), ("DIPS Front", "cosdoc")])
def test_vendor_names(est, text, vendor):
    assert model.parse_vendor(est, text) == vendor


@pytest.mark.parametrize("bad", [-1, 2.5, "ti", True, float("nan")])
def test_staff_must_be_a_whole_number(est, bad):
    with pytest.raises(errors.InputError):
        model.one_off(est, bad, "pki")


@pytest.mark.parametrize(("text", "value"), [("1 234", 1234), ("1\u00a0234,5", 1234.5), ("400,-", 400), ("−5", -5),
                                             ("612,25", 612.25), ("0", 0), ("12 345 678", 12345678)])
def test_number_text_as_norwegians_type_it(text, value):
    assert numbers.number_from_text(text, "f", "Felt") == value


@pytest.mark.parametrize("text", ["mange", "1 23", "12 3456", "", "1,2,3"])
def test_text_that_is_no_number(text):
    assert numbers.number_from_text(text, "f", "Felt") is None


def test_a_decimal_point_is_read_where_it_cannot_be_misread():
    with pytest.raises(errors.InputError, match="ambiguous") as err:
        numbers.number_from_text("1.234", "f", "Felt")
    assert err.value.nb == ("Felt: «1.234» er tvetydig (tusen, eller et desimaltall?): skriv 1234 for tusen, eller "
                            "bruk færre eller flere enn tre desimaler")
    assert numbers.number_from_text("612.5", "f", "Felt") == 612.5
    assert numbers.number_from_text("0.500", "f", "Felt") == numbers.number_from_text("0,500", "f", "Felt") == 0.5
