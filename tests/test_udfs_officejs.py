"""The Excel functions through xlwings' real Office.js code path (what xlwings Lite runs):
the metadata Excel registers is the reviewed snapshot, and calls shaped exactly as Excel sends
them (2-D arguments, empty cells, text for numbers, ranges, bad values) give the model's numbers.

After an intended change, rewrite the snapshot and review the diff:  python3 dev.py test --update-golden
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from xlwings import XlwingsError

from udfs import kj, officejs
from workbook_builder.core import model
from workbook_builder.core.estimates import load_estimates
from workbook_builder.xlsx import lite

EST = load_estimates()
SNAPSHOT = Path(__file__).parent / "snapshots" / "udfs_kj_metadata.json"
GRID = (0, 1, 12, 30, 55, 100, 160, 400, 401, 2500)


@pytest.fixture(scope="module")
def server():
    return officejs.server_mode()


def excel(func_name: str, *args):
    """One call as Excel makes it, through xlwings.server.custom_functions_call."""
    return asyncio.run(officejs.acall(kj, func_name, *args))


def excel_error(func_name: str, *args) -> str:
    with pytest.raises(XlwingsError) as exc:
        excel(func_name, *args)
    return str(exc.value)


def total(staff: int, eid: str, rate: float | None = None) -> float:
    return model.one_off(EST, staff, eid, rate).total_kr


def test_metadata_is_the_reviewed_snapshot(server, update_golden):
    meta = server.custom_functions_meta(kj)
    text = json.dumps(meta, ensure_ascii=False, indent=2) + "\n"
    if update_golden:
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert SNAPSHOT.exists(), "no snapshot yet: run pytest with --update-golden and review the file"
    assert json.loads(SNAPSHOT.read_text(encoding="utf-8")) == meta


def test_metadata_names_the_six_functions_without_a_namespace(server):
    names = [f["name"] for f in server.custom_functions_meta(kj)["functions"]]
    assert sorted(names) == sorted(lite.FUNCTIONS)


def test_every_function_and_argument_is_explained_for_the_function_wizard(server):
    for f in server.custom_functions_meta(kj)["functions"]:
        assert f["description"] and "\n" not in f["description"] and len(f["description"]) <= 255, f["name"]
        for p in f["parameters"]:
            assert not p["description"].startswith("Positional argument"), (f["name"], p["name"])
            assert len(p["description"]) <= 255, (f["name"], p["name"])


def test_only_decorator_options_both_the_classic_add_in_and_office_js_accept(server):
    funcs = [getattr(kj, n) for n in dir(kj) if hasattr(getattr(kj, n), "__xlfunc__")]
    assert len(funcs) == len(lite.FUNCTIONS)
    for f in funcs:
        info = f.__xlfunc__
        assert info["excel_name"] is None and info["namespace"] is None and info["help_url"] is None
        assert info["cache"] is False and info["volatile"] is False
        for a in info["args"]:
            assert a["options"] == {"convert": "raw"}, (f.__name__, a["name"])  # no Literal enums, no extras


@pytest.mark.parametrize("staff", (30, 100, 400) + GRID)
@pytest.mark.parametrize(("eid", "spelling"), [("pki", "PKI-kort"), ("bankid", "bankid"),
                                                ("bankid_mobil", "BankID på mobil")])
def test_kj_cost_through_office_js_equals_the_model(server, staff, eid, spelling):
    assert excel("kj_cost", staff, spelling) == [[total(staff, eid)]]
    assert excel("kj_cost", float(staff), spelling, None, None) == [[total(staff, eid)]]


def test_the_notes_example_through_office_js(server):
    assert excel("kj_cost", 100, "PKI-kort", 438, None, 2020) == [[325 * 438 + 100_000 + 125 * 0.5 * 438]]
    assert excel("kj_cost", 100, "PKI-kort", None, None, "2020") == [[model.one_off(EST, 100, "pki",
                                                                                      price_year=2020).total_kr]]
    assert excel("kj_hours", 100) == [[325]]


@pytest.mark.parametrize("staff", GRID)
def test_hours_eid_and_breakdown_through_office_js_equal_the_model(server, staff):
    o = model.one_off(EST, staff, "pki", 612.5)
    assert excel("kj_hours", staff) == [[o.total_hours]]
    assert excel("kj_hours", staff, "opplæring") == [[o.item("training").hours]]
    assert excel("kj_eid_cost", staff, "pki") == [[o.item("eid").purchase_kr]]
    assert excel("kj_cost", staff, "pki", "612,5", "teknisk bistand") == [[o.item("tech_assistance").kr]]
    rows = excel("kj_breakdown", staff, "PKI-kort", "612,5")
    assert rows[-1] == ["Sum engangskostnad", "", "", o.total_hours, o.total_kr]
    assert [r[0] for r in rows[1:-1]] == [i.label for i in o.items]


def test_benefit_and_estimates_through_office_js(server):
    p = model.resolve(EST, model.Inputs(admissions_short_term=800, admissions_home_care=300))
    b = model.benefit(EST, p)
    assert excel("kj_benefit", 800, 300, None, None) == [[b.hours, b.kr]]
    assert excel("kj_benefit", "800", " 300 ") == [[b.hours, b.kr]]
    assert excel("kj_estimates") == [[EST.name, EST.version]]


def test_empty_optional_cells_take_the_defaults(server):
    assert excel("kj_cost", 100, "pki", None, "") == [[total(100, "pki")]]
    assert excel("kj_eid_cost", 100, "pki", None, None, 2020) == [[80_000]]
    assert excel("kj_eid_cost", 100, "pki", None, None, None) == [[model.one_off(EST, 100, "pki").item("eid").kr]]


def test_text_for_numbers_as_norwegian_excel_users_type_it(server):
    assert excel("kj_cost", "1 234", "pki") == [[total(1234, "pki")]]
    assert excel("kj_cost", "100", "pki", "500,5") == [[total(100, "pki", 500.5)]]


def test_a_2d_range_with_empty_cells_comes_back_in_the_same_shape(server):
    grid = [[30, None, "100"], ["", 400, 1]]
    expected = [[total(30, "pki"), "", total(100, "pki")], ["", total(400, "pki"), total(1, "pki")]]
    assert excel("kj_cost", grid, "PKI-kort") == expected


def test_a_column_of_ward_sizes_in_one_call(server):
    column = [[n] for n in (12, 30, 30, None, 64, 100, 12)]
    assert excel("kj_eid_cost", column, "pki", None, None, 2020) == [[model.eid_cost(EST, n, "pki")[2]] if n
                                                                      else [""] for (n,) in column]


@pytest.mark.parametrize(("func_name", "args", "message"), [
    ("kj_cost", (12.5, "pki"), "Antall helsepersonell må være et heltall, fikk 12,5"),
    ("kj_cost", (100, "kort"), "ukjent e-ID «kort»: bruk PKI-kort; BankID; BankID på mobil"),
    ("kj_cost", (100, None), "e-ID mangler: bruk PKI-kort; BankID; BankID på mobil"),
    ("kj_cost", ([[30], [100], ["x"]], "pki"), "Område med antall, rad 3: Antall helsepersonell må være et heltall, "
                                               "fikk «x»"),
    ("kj_cost", ([[30], [{"type": "Error", "basicValue": "#N/A", "errorType": "NotAvailable"}]], "pki"),
     "Område med antall, rad 2: Antall helsepersonell: cellen inneholder feilen #N/A"),
    ("kj_cost", (100, "pki", "100.500"),
     "Timekostnad for interne ressurser: «100.500» er tvetydig (tusen, eller et desimaltall?): skriv 100500 for tusen, "
     "eller bruk færre eller flere enn tre desimaler"),
    ("kj_cost", (100, "pki", [[400, 500]]),
     "Timekostnad for interne ressurser må være én celle, ikke et område med 2 celler"),
    ("kj_hours", (100, "teknisk bistand"), "«Teknisk bistand kjernejournal» er et kjøp i kroner, ikke interne timer: "
                                           "bruk KJ_COST"),
    ("kj_benefit", (-1, 0), "Pasientmottak per år på KAD/ØHD/intermediær- og korttidsavdelinger må være fra 0 til "
                            "1000000, fikk -1"),
    ("kj_breakdown", (None, "pki"), "Antall helsepersonell mangler"),
])
def test_bad_values_fail_with_a_norwegian_message(server, func_name, args, message):
    assert excel_error(func_name, *args) == message


def test_a_pyodide_null_in_a_range_is_an_empty_cell(server):
    JsNull = type("JsNull", (), {})  # Pyodide >= 0.28 passes JavaScript null as pyodide.ffi.JsNull
    assert excel("kj_cost", [[100], [JsNull()]], "pki") == [[total(100, "pki")], [""]]
