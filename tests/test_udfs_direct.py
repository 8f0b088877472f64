"""The Excel functions, called directly with arguments shaped as Excel sends them: each gives
exactly the model's number, and a bad argument gives a Norwegian message, never a wrong number."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xlwings import XlwingsError

from udfs import kj
from workbook_builder.core import model, numbers
from workbook_builder.core.estimates import KINDS, TRACKS, load_estimates

EST = load_estimates()
EIDS = {"pki": ("PKI-kort", "pki", "PKI-KORT"), "bankid": ("BankID", "bankid", " bankid "),
        "bankid_mobil": ("BankID på mobil", "bankid-mobil", "BANKID PÅ MOBIL")}
NOTE_SIZES = (30, 100, 400)
GRID = (0, 1, 7, 29, 31, 64, 99, 101, 250, 399, 401, 1000, 5000)


def total(staff: int, eid: str, rate: float | None = None) -> float:
    return model.one_off(EST, staff, eid, rate).total_kr


def test_the_notes_100_pki_at_its_own_price_year_is_325_hours_100000_kr_and_the_stand_ins():
    """In 2020 kroner the note's purchases are its own; at 438 kr an hour the internal hours are 142 350 kr and
    half the 125 training hours are bought from stand-ins at the same rate."""
    assert kj.kj_cost(100.0, "PKI-kort", 438.0, None, 2020.0) == 325 * 438 + 100_000 + 125 * 0.5 * 438 == 269_725
    assert kj.kj_cost(100.0, "PKI-kort", 438.0, "vikarer", 2020.0) == 27_375
    assert kj.kj_hours(100.0) == 325
    assert kj.kj_eid_cost(100.0, "PKI-kort", None, None, 2020.0) == 80_000


def test_the_price_year_lifts_the_notes_prices_with_the_deflator():
    factor = model.price_factor(EST, 2020, 2027, False, EST.deflator.forecast_deflator.value)
    assert kj.kj_eid_cost(100.0, "PKI-kort", None, None, 2027.0) == (
        100 * numbers.excel_round(700 * factor) + 20 * numbers.excel_round(500 * factor))
    assert kj.kj_eid_cost(100.0, "PKI-kort", 700.0, 500.0, 2027.0) == 80_000  # typed prices are the year's own
    with pytest.raises(XlwingsError, match="^Prisår må være fra 2020 til 2100, fikk 2019$"):
        kj.kj_cost(100.0, "pki", None, None, 2019.0)


@pytest.mark.parametrize("staff", NOTE_SIZES + GRID)
@pytest.mark.parametrize("eid", sorted(EIDS))
def test_cost_hours_and_eid_equal_the_model_for_every_spelling(staff, eid):
    o = model.one_off(EST, staff, eid)
    for spelling in EIDS[eid]:
        assert kj.kj_cost(float(staff), spelling) == o.total_kr
        assert kj.kj_eid_cost(float(staff), spelling) == o.item("eid").purchase_kr
    assert kj.kj_hours(float(staff)) == o.total_hours


@pytest.mark.parametrize("staff", NOTE_SIZES + GRID)
@pytest.mark.parametrize("rate", [None, 0.0, 500.0, 612.5, 10_000.0])
def test_hourly_rate_flows_through_like_in_the_model(staff, rate):
    assert kj.kj_cost(float(staff), "pki", rate) == total(staff, "pki", rate)


@pytest.mark.parametrize("item", [i.id for i in EST.items if i.id != "vendor_module"])
@pytest.mark.parametrize("staff", NOTE_SIZES + (64, 1000))
def test_one_line_item_by_id_label_or_short_name(item, staff):
    o = model.one_off(EST, staff, "pki", 500)
    names = (item, item.upper(), item.replace("_", "-"), EST.item(item).label, *kj.KJ_ITEM_NAMES_NB[item])
    for name in names:
        assert kj.kj_cost(float(staff), "pki", 500.0, name) == o.item(item).kr, name
        if EST.item(item).kind == "hours":
            assert kj.kj_hours(float(staff), name.upper()) == o.item(item).hours, name


def test_the_items_add_up_to_the_total():
    parts = sum(kj.kj_cost(250.0, "pki", None, i.id) for i in EST.items if i.id != "vendor_module")
    assert parts == kj.kj_cost(250.0, "pki")


def test_eid_prices_flow_through_like_in_the_model():
    assert kj.kj_eid_cost(100.0, "pki", 650.0, 450.0) == model.eid_cost(EST, 100, "pki", 650, 450)[2]
    assert kj.kj_eid_cost(100.0, "BankID", "120", None) == 100 * 120
    assert kj.kj_eid_cost(45.0, "PKI-kort", None, "0", 2020.0) == 45 * 700


@pytest.mark.parametrize(("short", "home", "rate", "minutes"),
                         [(1000, 500, None, None), (0, 0, None, None), (365, 0, 500, 6), (0, 1200, 612.5, 2.5)])
def test_benefit_is_hours_and_kroner_per_year_from_the_model(short, home, rate, minutes):
    p = model.resolve(EST, model.Inputs(admissions_short_term=short, admissions_home_care=home, hourly_rate=rate,
                                        minutes_saved=minutes))
    b = model.benefit(EST, p)
    assert kj.kj_benefit(float(short), float(home), rate, minutes) == [[b.hours, b.kr]]


def test_benefit_blank_admissions_count_as_none():
    assert kj.kj_benefit(None, 600.0) == kj.kj_benefit(0.0, 600.0)
    assert kj.kj_benefit(None, None) == [[0.0, 0.0]]


@pytest.mark.parametrize("staff", NOTE_SIZES + (7, 1000))
@pytest.mark.parametrize("eid", ["PKI-kort", "BankID"])
def test_breakdown_is_the_models_line_items_with_a_total(staff, eid):
    o = model.one_off(EST, staff, eid, 500)
    rows = kj.kj_breakdown(float(staff), eid, 500.0)
    assert rows[0] == ["Linje", "Spor", "Type", "Timer", "kr"]
    assert len(rows) == len(o.items) + 2
    for row, item in zip(rows[1:-1], o.items):
        assert row[:3] == [item.label, TRACKS[item.track], KINDS[item.kind]]
        assert row[3] == (item.hours if item.kind == "hours" else "")
    priced = {i.id: i.kr for i in o.items if i.id != "vendor_module"}
    assert [r[4] for r in rows[1:-1] if r[0] != EST.item("vendor_module").label] == list(priced.values())
    assert rows[-1] == ["Sum engangskostnad", "", "", o.total_hours, o.total_kr]
    assert sum(r[4] for r in rows[1:-1] if isinstance(r[4], float)) == o.total_kr


def test_breakdown_says_the_vendor_module_has_no_price_instead_of_zero():
    row = next(r for r in kj.kj_breakdown(100.0, "pki") if r[0] == EST.item("vendor_module").label)
    assert row[4] == "mangler pris (ikke med i summen)"


def test_estimates_are_named_with_their_version():
    assert kj.kj_estimates() == [[EST.name, EST.version]]


# ----------------------------------------------------------------------------- text where a number was meant


@pytest.mark.parametrize(("text", "staff"), [
    ("100", 100), (" 100 ", 100), ("100,0", 100), ("1 234", 1234), ("1\u00a0234", 1234), ("1\u202f234", 1234),
    ("+30", 30), ("400,-", 400), ("0", 0), (" 2 000 ", 2000),
])
def test_norwegian_number_text_is_read_as_the_number(text, staff):
    assert kj.kj_cost(text, "pki") == total(staff, "pki")


def test_decimal_comma_text_for_a_price():
    assert kj.kj_cost(100.0, "pki", "612,5") == total(100, "pki", 612.5)
    assert kj.kj_cost(100.0, "pki", "1 000,25") == total(100, "pki", 1000.25)


def test_a_formula_result_off_by_float_noise_counts_as_the_whole_number_excel_shows():
    assert kj.kj_cost(0.1 * 3 * 10, "pki") == total(3, "pki")  # 3.0000000000000004


@pytest.mark.parametrize(("staff", "message"), [
    ("12,5", "Antall helsepersonell må være et heltall, fikk 12,5"),
    (12.5, "Antall helsepersonell må være et heltall, fikk 12,5"),
    ("100.5", "Antall helsepersonell må være et heltall, fikk 100,5"),
    ("1.234", "Antall helsepersonell: «1.234» er tvetydig (tusen, eller et desimaltall?): skriv 1234 for tusen, eller "
              "bruk færre eller flere enn tre desimaler"),
    ("12 34", "Antall helsepersonell må være et heltall, fikk «12 34»"),
    ("hundre", "Antall helsepersonell må være et heltall, fikk «hundre»"),
    ("-5", "Antall helsepersonell må være fra 0 til 100000, fikk -5"),
    (-1.0, "Antall helsepersonell må være fra 0 til 100000, fikk -1"),
    (100_001.0, "Antall helsepersonell må være fra 0 til 100000, fikk 100001"),
    (True, "Antall helsepersonell må være et heltall, fikk «SANN»"),
    (False, "Antall helsepersonell må være et heltall, fikk «USANN»"),
    (dt.datetime(2024, 5, 17), "Antall helsepersonell må være et heltall, fikk «17.05.2024»"),
    (-2146826246, "Antall helsepersonell: cellen inneholder feilen #N/A"),
    ({"type": "Error", "basicValue": "#DIV/0!", "errorType": "Div0"},
     "Antall helsepersonell: cellen inneholder feilen #DIV/0!"),
])
def test_a_bad_count_says_in_norwegian_what_is_wrong(staff, message):
    with pytest.raises(XlwingsError) as exc:
        kj.kj_cost(staff, "pki")
    assert str(exc.value) == message


@pytest.mark.parametrize(("args", "message"), [
    ((100.0, None), "e-ID mangler: bruk PKI-kort; BankID; BankID på mobil"),
    ((100.0, "kort"), "ukjent e-ID «kort»: bruk PKI-kort; BankID; BankID på mobil"),
    ((100.0, 1.0), "ukjent e-ID «1»: bruk PKI-kort; BankID; BankID på mobil"),
    ((100.0, "pki", "abc"), "Timekostnad for interne ressurser må være et tall, fikk «abc»"),
    ((100.0, "pki", -1.0), "Timekostnad for interne ressurser må være fra 0 til 10000, fikk -1"),
    ((100.0, "pki", "612.500"),
     "Timekostnad for interne ressurser: «612.500» er tvetydig (tusen, eller et desimaltall?): skriv 612500 for tusen, "
     "eller bruk færre eller flere enn tre desimaler"),
    ((100.0, "pki", [[500.0], [600.0]]),
     "Timekostnad for interne ressurser må være én celle, ikke et område med 2 celler"),
    ((100.0, ["pki", "bankid"]), "e-ID må være én celle, ikke et område med 2 celler"),
    ((100.0, "pki", None, "kaffe"), "ukjent linje «kaffe»: bruk planlegging kjernejournal, opplæring, vikarer, "
                                    "e-ID, planlegging HelseID, teknisk bistand, modul (eller id-en, f.eks. training)"),
    ((100.0, "pki", None, "modul"), "Modul fra EPJ-leverandøren har ingen pris i notatet: spør leverandøren"),
])
def test_kj_cost_refuses_bad_arguments_with_a_norwegian_message(args, message):
    with pytest.raises(XlwingsError) as exc:
        kj.kj_cost(*args)
    assert str(exc.value) == message


def test_other_functions_refuse_bad_arguments_too():
    with pytest.raises(XlwingsError, match="^«Anskaffelse av e-ID nivå høyt» er et kjøp i kroner, ikke interne timer"):
        kj.kj_hours(100.0, "e-ID")
    with pytest.raises(XlwingsError, match="^Pris per kortleser \\(kun PKI-kort\\) må være et tall, fikk «gratis»$"):
        kj.kj_eid_cost(100.0, "pki", None, "gratis")
    with pytest.raises(XlwingsError, match="^Minutter spart per pasientmottak må være fra 0 til 600, fikk 900$"):
        kj.kj_benefit(100.0, 100.0, None, 900.0)
    with pytest.raises(XlwingsError, match="^Pasientmottak per år i hjemmetjenesten må være et heltall, fikk 2,5$"):
        kj.kj_benefit(100.0, 2.5)
    with pytest.raises(XlwingsError, match="^Antall helsepersonell mangler$"):
        kj.kj_breakdown(None, "pki")
    with pytest.raises(XlwingsError, match="^Antall helsepersonell må være én celle, ikke et område med 2 celler$"):
        kj.kj_breakdown([[30.0], [100.0]], "pki")


def test_an_unexpected_failure_is_still_an_xlwings_error_in_norwegian(monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(kj, "OneOffColumns", broken)
    with pytest.raises(XlwingsError, match="^Uventet feil i KJ_COST: ZeroDivisionError: division by zero$"):
        kj.kj_cost(100.0, "pki")


# ----------------------------------------------------------------------------- ranges


def test_a_column_of_counts_gives_a_column_in_one_call_with_empty_cells_kept_empty():
    column = [[30.0], [None], ["100"], [" "], [""], [400.0], [30.0]]
    assert kj.kj_cost(column, "PKI-kort") == [[total(30, "pki")], [""], [total(100, "pki")], [""], [""],
                                              [total(400, "pki")], [total(30, "pki")]]


def test_a_2d_range_and_a_row_keep_their_shape():
    grid = [[30.0, 100.0, None], [1.0, 0.0, 400.0]]
    assert kj.kj_hours(grid) == [[model.one_off(EST, n).total_hours if n is not None else "" for n in row]
                                 for row in [[30, 100, None], [1, 0, 400]]]
    assert kj.kj_eid_cost([30.0, 100.0], "pki", None, None, 2020.0) == [[25_000.0, 80_000.0]]


def test_a_one_cell_range_gives_one_value_that_does_not_spill():
    assert kj.kj_cost([[100.0]], "pki") == total(100, "pki")
    assert kj.kj_cost([100.0], "pki") == total(100, "pki")
    assert kj.kj_cost(None, "pki") == ""
    assert kj.kj_cost("", "pki") == ""


@pytest.mark.parametrize(("grid", "message"), [
    ([[30.0], [100.0], [12.5]], "Område med antall, rad 3: Antall helsepersonell må være et heltall, fikk 12,5"),
    ([[30.0, "tretti"]],
     "Område med antall, rad 1, kolonne 2: Antall helsepersonell må være et heltall, fikk «tretti»"),
    ([[1.0], [{"type": "Error", "basicValue": "#N/A"}]],
     "Område med antall, rad 2: Antall helsepersonell: cellen inneholder feilen #N/A"),
])
def test_one_bad_count_in_a_range_fails_the_call_naming_its_row(grid, message):
    with pytest.raises(XlwingsError) as exc:
        kj.kj_cost(grid, "pki")
    assert str(exc.value) == message


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.integers(0, 3000)), min_size=3, max_size=3), min_size=1, max_size=8),
       st.sampled_from(sorted(EIDS)))
def test_any_range_equals_the_model_cell_by_cell(rows, eid):
    grid = [[None if n is None else float(n) for n in row] for row in rows]
    expected = [["" if n is None else total(n, eid) for n in row] for row in rows]
    assert kj.kj_cost(grid, eid) == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(0, 100_000), st.integers(0, 3000).map(float)), min_size=2,
                max_size=30),
       st.sampled_from(sorted(EIDS)), st.sampled_from(["opplæring", "vikarer", "e-ID", "teknisk bistand"]))
def test_a_range_of_whole_or_float_counts_gives_each_count_its_line_item_and_hours(cells, eid, item):
    column = [[c] for c in cells]
    ones = [None if c is None else model.one_off(EST, int(c), eid) for c in cells]
    item_id = kj._kj_item(EST, item)
    assert kj.kj_cost(column, eid, None, item) == [["" if o is None else o.item(item_id).kr] for o in ones]
    assert kj.kj_hours(column) == [["" if c is None else model.one_off(EST, int(c)).total_hours] for c in cells]
    assert kj.kj_eid_cost(column, eid) == [["" if o is None else o.item("eid").kr] for o in ones]
