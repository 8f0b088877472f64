"""The core in both målformer (issue 13): every refusal (InputError) and every text the model and the Excel
functions write has its nynorsk form, the nynorsk texts use no bokmål-only word form, the estimates carry
their texts in nynorsk, and the Excel functions answer in the målform they were set up with (KJ_MALFORM:
the environment for the classic add-in, main.py for xlwings Lite) while reading names in either.

The word lists are tests/data/malform_words.toml (each word checked against Norsk ordbank, see
docs/ordliste.md). Text inside «…» is a quotation or the user's own input and is not checked.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gettext
import importlib
import json
import os
import pickle
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from xlwings import XlwingsError

from udfs import kj, officejs
from workbook_builder.core import i18n, model, numbers
from workbook_builder.core.errors import InputError
from workbook_builder.core.estimates import default_estimates_path, load_estimates, parse_estimates
from workbook_builder.core.i18n import Message
from workbook_builder.xlsx import lite

ROOT = Path(__file__).resolve().parents[1]
EST = load_estimates()
WORDS = tomllib.loads((ROOT / "tests" / "data" / "malform_words.toml").read_text(encoding="utf-8"))
BOKMAAL_ONLY = {w["word"] for w in WORDS["bokmaal_only"]}
NYNORSK_ONLY = {w["word"] for w in WORDS["nynorsk_only"]}


def core_catalog(malform: str) -> dict[str, str]:
    """The compiled `core` catalog of `malform` (the model's and the Excel functions' messages)."""
    with (i18n.LOCALE_DIR / malform / "LC_MESSAGES" / "core.mo").open("rb") as fh:
        return {k: v for k, v in gettext.GNUTranslations(fh)._catalog.items() if isinstance(k, str) and k}


NN = core_catalog("nn")


def words(text: str) -> list[str]:
    """The words of `text` outside «…» (quotations, the user's input) and {placeholders}."""
    plain = re.sub(r"\{[^}]*\}", " ", re.sub(r"«[^»]*»", " ", text))
    return re.findall(r"[^\W\d_]+", plain.casefold())


def bokmaal_only_words(text: str) -> list[str]:
    return [w for w in words(text) if w in BOKMAAL_ONLY]


def nynorsk_only_words(text: str) -> list[str]:
    return [w for w in words(text) if w in NYNORSK_ONLY]


def untranslated(message: Message) -> list[str]:
    """The message ids in `message` (and the Messages among its values) that have no nynorsk translation in
    the core catalog; a text given in both forms (Message.known) counts as translated."""
    if message.nn is not None:
        return [] if message.nn else [message.msgid]
    missing = [] if NN.get(message.msgid) else [message.msgid]
    for value in message.values.values():
        if isinstance(value, Message):
            missing += untranslated(value)
    return missing


# ----------------------------------------------------------------------------- every kind of InputError


def _estimates_with_few_weeks() -> Any:
    """Estimates whose year has six weeks of work: 30 public holidays on weekdays leave no hours."""
    text = default_estimates_path().read_text(encoding="utf-8")
    return parse_estimates(text.replace("[hourly_rate.vacation_weeks]\nvalue = 5", "[hourly_rate.vacation_weeks]\n"
                                                                                  "value = 46"))


def _raised(make: Callable[[], InputError]) -> Callable[[], Any]:
    """A refusal the functions construct with _kj_fail and raise in their own body."""

    def raise_it() -> None:
        raise make()

    return raise_it


def _kj_over_range(grid: Any) -> Callable[[], Any]:
    return lambda: kj._kj_over_staff(grid, lambda n: n)


# (what is refused, how): each raises an InputError. The udfs cases call the functions' own readers (the
# functions themselves turn the InputError into an XlwingsError; see the tests below).
REFUSALS: list[tuple[str, Callable[[], Any]]] = [
    ("an ambiguous point",
     lambda: numbers.number_from_text("1.500", "hourly_rate", "Timekostnad for interne ressurser")),
    ("an ambiguous thousand", lambda: numbers.number_from_text("1,000", "staff", model.STAFF_NB)),
    ("text for a whole number", lambda: numbers.whole_number("hundre", "staff", model.STAFF_NB)),
    ("a fraction for a whole number", lambda: numbers.whole_number(12.5, "staff", model.STAFF_NB)),
    ("text for a number", lambda: numbers.number("gratis", "reader_kr", model.PARAMETER_BY_NAME["reader_kr"].label)),
    ("a number out of range", lambda: numbers.number(900.0, "minutes_saved", "Minutter spart per pasientmottak", 0,
                                                     600)),
    ("a number below its minimum", lambda: numbers.whole_number(-1, "staff", model.STAFF_NB)),
    ("a missing e-ID", lambda: model.parse_eid(EST, None)),
    ("an unknown e-ID", lambda: model.parse_eid(EST, "kort")),
    ("an unknown vendor", lambda: model.parse_vendor(EST, "Acme")),
    ("an unknown group", lambda: model.parse_group(EST, "x")),
    ("an unknown pay role", lambda: model.parse_role(EST, "lege")),
    ("an unknown zone", lambda: model.parse_zone(EST, "sone 9")),
    ("an unknown uncertainty level", lambda: model.parse_level(EST, "enorm")),
    ("a parameter out of range", lambda: model.resolve(EST, model.Inputs(hourly_rate=-3.0))),
    ("a whole parameter that is a fraction", lambda: model.resolve(EST, model.Inputs(renewal_years=2.5))),
    ("a first budget year too early", lambda: model.resolve(EST, model.Inputs(first_year=1999))),
    ("a start year out of range", lambda: model.resolve(EST, model.Inputs(steps=(model.Step(10, "a", "", 1900),)))),
    ("more public holidays than working days",
     lambda: model.resolve(_estimates_with_few_weeks(), model.Inputs(public_holiday_days=30))),
    ("an unknown målform", lambda: model.resolve(EST, model.Inputs(malform="en"))),
    ("an error cell (COM)", lambda: kj._kj_value(-2146826246, model.STAFF_NB)),
    ("an error cell (Office.js)", lambda: kj._kj_value({"type": "Error", "basicValue": "#DIV/0!"}, kj.KJ_YEAR_NB)),
    ("a range where one cell is meant", lambda: kj._kj_single([[1.0], [2.0]], kj.KJ_YEAR_NB)),
    ("an unknown line item", lambda: kj._kj_item(EST, "kaffe")),
    ("a bad count in a column", _kj_over_range([[1.0], ["x"]])),
    ("a bad count in a 2-D range", _kj_over_range([[1.0, 2.0], [3.0, 2.5]])),
    ("a bad probability", lambda: kj._kj_quantile("P90")),
    # raised inside the functions (their real paths are tested below): constructed as they construct them
    ("the vendor module in KJ_COST", _raised(lambda: kj._kj_fail(kj.KJ_ITEM_NB, kj.KJ_MSG_NO_VENDOR_PRICE))),
    ("a purchase in KJ_HOURS", _raised(lambda: kj._kj_fail(kj.KJ_ITEM_NB, kj.KJ_MSG_NOT_HOURS, label=Message.known(
        EST.item("eid").label, EST.text_in(EST.item("eid").label, "nn"))))),
    ("no count in KJ_BREAKDOWN", _raised(lambda: kj._kj_fail(kj.KJ_STAFF_NB, kj.KJ_MSG_MISSING,
                                                             what=Message(kj.KJ_STAFF_NB)))),
]


def _refusal(make: Callable[[], Any]) -> InputError:
    with pytest.raises(InputError) as exc:
        make()
    return exc.value


@pytest.mark.parametrize(("what", "make"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_every_refusal_reads_in_nynorsk_from_the_catalog_and_differs_from_bokmal(what, make):
    exc = _refusal(make)
    assert untranslated(exc.message) == [], what
    nb, nn = exc.text("nb"), exc.text("nn")
    assert exc.nb == nb and nn != nb
    assert bokmaal_only_words(nn) == [], nn
    assert nynorsk_only_words(nb) == [], nb
    assert exc.en  # the command line's English (the Excel functions, which have none, keep the bokmål there)


def test_every_message_template_of_the_core_and_the_functions_is_among_the_refusals_tested():
    """A new InputError template must get a case above (so its nynorsk form is tested too)."""
    templates = {v for mod in (numbers, model) for k, v in vars(mod).items() if k.startswith("MSG_")}
    templates |= {v for k, v in vars(kj).items() if k.startswith("KJ_MSG_") and k != "KJ_MSG_UNEXPECTED"}

    def ids(message: Message) -> set[str]:
        return {message.msgid} | {i for v in message.values.values() if isinstance(v, Message) for i in ids(v)}

    seen = set().union(*(ids(_refusal(make).message) for _, make in REFUSALS))
    assert templates - seen == set()


def test_the_not_hours_refusal_and_the_staff_missing_refusal_are_translated_too(monkeypatch):
    monkeypatch.setattr(kj, "KJ_MALFORM", "nn")
    with pytest.raises(XlwingsError, match="^«Anskaffing av e-ID nivå høgt» er eit kjøp i kroner, ikkje interne "
                                           "timar: bruk KJ_COST$"):
        kj.kj_hours(100.0, "e-ID")
    with pytest.raises(XlwingsError, match="^Tal på helsepersonell manglar$"):
        kj.kj_breakdown(None, "pki")


def test_a_refusal_keeps_its_message_through_pickling_and_a_legacy_text_still_works():
    exc = _refusal(lambda: numbers.whole_number(12.5, "staff", model.STAFF_NB))
    back = pickle.loads(pickle.dumps(exc))
    assert (back.field, back.en, back.text("nn"), back.nb) == (exc.field, exc.en, exc.text("nn"), exc.nb)
    assert back.text("nn") == "Tal på helsepersonell må vere eit heiltal, fekk 12,5"
    assert (exc.detail("nn"), exc.detail()) == ("må vere eit heiltal, fekk 12,5", "må være et heltall, fikk 12,5")
    point = _refusal(lambda: numbers.number_from_text("1.500", "x", model.STAFF_NB))
    assert point.detail("nn") == ("«1.500» er tvitydig (tusen, eller eit desimaltal?): skriv 1500 for tusen, eller "
                                  "bruk færre eller fleire enn tre desimalar")
    legacy = InputError("x", "english", "Antall helsepersonell")  # a finished bokmål text, looked up as it stands
    assert (legacy.nb, legacy.text("nn")) == ("Antall helsepersonell", "Tal på helsepersonell")
    with pytest.raises(ValueError, match="unknown målform"):
        exc.text("en")


# ----------------------------------------------------------------------------- the catalog and the estimates


def test_a_message_reads_the_same_in_python_as_in_xlwings_lite():
    """i18n.lookup (the classic add-in, the command line, the builder) and i18n.messages (what Lite's main.py
    embeds) agree on every message, also where two domains have the same message id (core is asked first)."""
    embedded = i18n.messages("nn")
    assert {k: i18n.tr(k, "nn") for k in embedded} == embedded
    assert all(embedded[k] == v for k, v in NN.items())


def test_the_nynorsk_core_messages_use_no_bokmal_only_word_and_the_bokmal_ones_no_nynorsk_only_word():
    assert {k: bokmaal_only_words(v) for k, v in NN.items() if bokmaal_only_words(v)} == {}
    assert {k: nynorsk_only_words(k) for k in NN if nynorsk_only_words(k)} == {}
    assert len(NN) > 150  # the whole catalog, not an empty one


@pytest.mark.parametrize("path", [default_estimates_path(), ROOT / "tests" / "data" / "generic.toml"],
                         ids=["packaged", "generic"])
def test_the_estimates_texts_have_their_nynorsk_form(path):
    """Every text of the file a workbook shows: where the bokmål has a bokmål-only word (outside a quotation),
    there is a nynorsk text beside it, and no nynorsk text has one."""
    est = load_estimates(path)
    texts: list[str] = [est.price_year_source, est.sizes.unit, est.sizes.source, est.readers.unit, est.readers.source,
                        est.employer_tax.source, est.employer_tax.municipalities_source, est.deflator.source,
                        est.uncertainty.source, est.pay.source, est.accounting.plan, est.accounting.source,
                        est.accounting.mva_note]
    for item in [*est.items, *est.running]:
        texts += [item.label, item.unit, item.source, item.range_source]
    for choice in [*est.eid_options, *est.groups, *est.vendors, *est.pay.roles, *est.employer_tax.zones,
                   *est.uncertainty.levels]:
        texts += [choice.label, choice.source]
    texts += [o.unit for o in est.eid_options] + [o.phased_out for o in est.eid_options if o.phased_out]
    figures = [est.reader_kr, est.renewal_years, est.standin_share, est.uncertainty.p85_z,
               est.deflator.forecast_deflator, est.deflator.forecast_wage, *est.hourly_rate.values(),
               *est.benefits.values(), est.accounting.investment_threshold_kr,
               est.accounting.investment_min_life_years, est.accounting.mva_share]
    texts += [t for f in figures for t in (f.unit, f.source)]
    texts += [t for y in est.deflator.years for t in (y.status, y.source)]
    texts += [c.label for c in (*est.accounting.functions, *est.accounting.arts)]
    missing = [t for t in texts if bokmaal_only_words(t) and t not in est.nn]
    assert missing == []
    nynorsk = [est.text_in(t, "nn") for t in texts]
    assert [t for t in nynorsk if bokmaal_only_words(t)] == []
    # the words the workbook shows most: every list label, item, unit and KOSTRA name that differs
    assert est.text_in("timer", "nn") == "timar" and est.text_in("Lav", "nn") == "Låg"
    assert est.text_in("Annen leverandør", "nn") == "Annan leverandør"
    assert est.text_in(est.accounting.art("099").label, "nn") == "Arbeidsgjevaravgift"
    assert est.text_in(est.deflator.years[0].status, "nn") == "rekneskap"


def test_nynorsk_list_labels_are_read_back_to_the_same_ids():
    for kind, options in (("eid", EST.eid_options), ("group", EST.groups), ("vendor", EST.vendors),
                          ("role", EST.pay.roles), ("zone", EST.employer_tax.zones), ("level", EST.uncertainty.levels)):
        for o in options:
            assert model.parse_choice(EST, kind, model.choice_label(EST, kind, o.id, "nn")) == o.id


def test_a_nynorsk_label_that_names_another_option_is_refused():
    text = default_estimates_path().read_text(encoding="utf-8")
    with pytest.raises(Exception, match="levels.hoy.label_nn: nynorsk label 'Lav' names another option"):
        parse_estimates(text.replace('label_nn = "Høg"', 'label_nn = "Lav"'))


# ----------------------------------------------------------------------------- the model's texts


def test_a_nynorsk_budget_has_the_same_figures_and_its_texts_in_nynorsk():
    steps = (model.Step(40, "a", "", 2027), model.Step(120, "c", "", 2028))
    nb = model.budget(EST, model.Inputs(steps=steps, first_year=2027, eid="pki"))
    nn = model.budget(EST, model.Inputs(steps=steps, first_year=2027, eid="PKI-kort", malform="nn"))
    assert (nn.cash_total_kr, nn.one_off.total_kr, [y.cash_kr for y in nn.years]) == (
        nb.cash_total_kr, nb.one_off.total_kr, [y.cash_kr for y in nb.years])
    assert [a.kr for a in nn.accounting_lines] == [a.kr for a in nb.accounting_lines]
    assert [c.status for c in nn.checks] == [c.status for c in nb.checks]
    assert [i.label for i in nn.one_off.items] == [EST.text_in(i.label, "nn") for i in EST.items]
    assert "Vikarar for helsepersonell på opplæring: arbeidsgjevaravgift" in [c.label for c in nn.cash_lines]
    assert nn.running.lines[0].label == "Fornying av e-ID (PKI-kort), i snitt per år"
    assert {a.text for a in nn.accounting_lines} == {model.accounting_text(EST, art, "nn")
                                                     for art in model.accounting_arts(EST)}
    texts = [*(i.label for i in nn.one_off.items), *(x.label for x in nn.running.lines),
             *(x.unit for x in nn.running.lines), *(c.label for c in nn.cash_lines),
             *(a.text for a in nn.accounting_lines),
             *(c.title for c in nn.checks), *(c.message for c in nn.checks), nn.master_message,
             *model.quality_gains("nn")]
    assert [t for t in texts if bokmaal_only_words(t)] == []
    assert model.quality_gains("nb") == model.QUALITY_GAINS and model.quality_gains("nn") != model.QUALITY_GAINS
    for p in model.PARAMETERS:
        for text in (p.label, p.unit, p.help):
            assert NN.get(text) and not bokmaal_only_words(NN[text]), text


def test_the_check_messages_name_the_e_id_in_the_budgets_malform():
    est = parse_estimates(default_estimates_path().read_text(encoding="utf-8").replace(
        'label = "PKI-kort"', 'label = "PKI-kort"\nlabel_nn = "PKI-kort (nynorsk namn)"'))
    p = model.resolve(est, model.Inputs(eid="pki", malform="nn"))
    assert model.check_values(est, p, 10)["eid"] == "PKI-kort (nynorsk namn)"
    assert model.check_values(est, dataclasses.replace(p, malform="nb"), 10)["eid"] == "PKI-kort"


def test_the_formatters_write_their_words_in_the_malform():
    assert numbers.nb_hours(1234.4) == "1 234 timer" and numbers.nb_hours(1234.4, malform="nn") == "1 234 timar"
    assert numbers.nb_list(["a", "b", "c"], numbers.OR, "nn") == "a, b eller c"
    assert numbers.nb_list(["a", "b"]) == "a og b"
    assert numbers.nb_kr(1500) == "1 500 kr"


# ----------------------------------------------------------------------------- the Excel functions


@pytest.fixture
def nynorsk_functions(monkeypatch):
    """The functions as the classic add-in runs them with KJ_MALFORM=nn (messages and texts; the
    descriptions are set when the module is imported: see the subprocess test below)."""
    monkeypatch.setattr(kj, "KJ_MALFORM", "nn")


@pytest.mark.parametrize(("args", "message"), [
    ((12.5, "pki"), "Tal på helsepersonell må vere eit heiltal, fekk 12,5"),
    (("1.234", "pki"), "Tal på helsepersonell: «1.234» er tvitydig (tusen, eller eit desimaltal?): skriv 1234 for "
                       "tusen, eller bruk færre eller fleire enn tre desimalar"),
    ((-2146826246, "pki"), "Tal på helsepersonell: cella inneheld feilen #N/A"),
    ((100.0, "kort"), "ukjend e-ID «kort»: bruk PKI-kort; BankID; BankID på mobil"),
    ((100.0, "pki", -1.0), "Timekostnad for interne ressursar må vere frå 0 til 10000, fekk -1"),
    ((100.0, "pki", [[500.0], [600.0]]), "Timekostnad for interne ressursar må vere éi celle, ikkje eit område med 2 "
                                         "celler"),
    ((100.0, "pki", None, "kaffe"), "ukjend linje «kaffe»: bruk planlegging kjernejournal, opplæring, vikarar, e-ID, "
                                    "planlegging HelseID, teknisk bistand, modul (eller id-en, t.d. training)"),
    ((100.0, "pki", None, "modul"), "Modul frå EPJ-leverandøren har ingen pris i notatet: spør leverandøren"),
    (([[1.0], ["x"]], "pki"), "Område med tal, rad 2: Tal på helsepersonell må vere eit heiltal, fekk «x»"),
])
def test_kj_cost_refuses_in_nynorsk(nynorsk_functions, args, message):
    with pytest.raises(XlwingsError) as exc:
        kj.kj_cost(*args)
    assert str(exc.value) == message


def test_an_unexpected_failure_is_reported_in_nynorsk(nynorsk_functions, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(kj, "OneOffColumns", broken)
    with pytest.raises(XlwingsError, match="^Uventa feil i KJ_COST: ZeroDivisionError: division by zero$"):
        kj.kj_cost(100.0, "pki")


def test_the_breakdown_and_the_range_are_in_nynorsk(nynorsk_functions):
    rows = kj.kj_breakdown(100.0, "PKI-kort")
    o = model.one_off_with(EST, 100, model.resolve(EST, model.Inputs(eid="pki", malform="nn")))
    assert rows[0] == ["Linje", "Spor", "Type", "Timar", "kr"]
    assert [r[0] for r in rows[1:-1]] == [i.label for i in o.items] == [EST.text_in(i.label, "nn") for i in EST.items]
    assert rows[1][2] == "Bruk av interne ressursar" and rows[-1][0] == "Sum eingongskostnad"
    assert "manglar pris (ikkje med i summen)" in [r[4] for r in rows]
    assert kj.kj_range(100.0, "pki", None, None, None, "Låg") == kj.kj_range(100.0, "pki", None, None, None, "Lav")


@pytest.mark.parametrize("malform", ["nb", "nn"])
@pytest.mark.parametrize("item", [i.id for i in EST.items if i.id != "vendor_module"])
def test_kj_cost_reads_a_line_item_by_its_nynorsk_or_bokmal_name_alike(monkeypatch, malform, item):
    monkeypatch.setattr(kj, "KJ_MALFORM", malform)
    names = [EST.item(item).label, EST.text_in(EST.item(item).label, "nn"),
             *(i18n.tr(name, m) for name in kj.KJ_ITEM_NAMES_NB[item] for m in i18n.MALFORMS)]
    expected = kj.kj_cost(100.0, "pki", None, item)
    assert expected == model.one_off(EST, 100, "pki").item(item).kr
    assert {name: kj.kj_cost(100.0, "pki", None, name) for name in names} == {name: expected for name in names}
    assert kj.kj_cost(100.0, "pki", None, "vikarar" if item == "standin" else names[1]) == expected


def test_kj_cost_with_a_nynorsk_item_label_equals_the_bokmal_one():
    nn_label = EST.text_in(EST.item("planning_kj").label, "nn")
    assert nn_label != EST.item("planning_kj").label
    assert kj.kj_cost(250.0, "PKI-kort", None, nn_label) == kj.kj_cost(250.0, "PKI-kort", None,
                                                                       EST.item("planning_kj").label)
    assert kj.kj_cost(250.0, "pki", None, "vikarar") == kj.kj_cost(250.0, "pki", None, "vikarer")


NN_ENV_SCRIPT = r"""
import json, os, sys
from udfs import kj
import xlwings.server as server
meta = server.custom_functions_meta(kj)
try:
    kj.kj_cost(12.5, "pki")
except Exception as exc:
    error = str(exc)
print(json.dumps({"malform": kj.KJ_MALFORM, "meta": meta, "error": error}, ensure_ascii=False))
"""


def _run_with_env(value: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KJ_MALFORM": value, "XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}
    return subprocess.run([sys.executable, "-c", NN_ENV_SCRIPT], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=120)


def _descriptions(meta: dict[str, Any]) -> list[str]:
    return [t for f in meta["functions"] for t in (f["description"], *(p["description"] for p in f["parameters"]))]


def test_the_classic_add_in_takes_its_malform_from_the_environment():
    r = _run_with_env("nn")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["malform"] == "nn"
    assert out["error"] == "Tal på helsepersonell må vere eit heiltal, fekk 12,5"
    texts = _descriptions(out["meta"])
    cost = next(f for f in out["meta"]["functions"] if f["name"] == "KJ_COST")
    assert cost["description"] == ("Eingongskostnad i faste kroner for innføring av kjernejournal (NHN-notatet juni "
                                   "2020), utan EPJ-modulen.")
    assert [t for t in texts if bokmaal_only_words(t)] == []
    nb = officejs.server_mode().custom_functions_meta(kj)  # this process: KJ_MALFORM unset, bokmål
    assert [i18n.tr(t, "nn") for t in _descriptions(nb)] == texts  # the same texts, each translated
    assert all(t in NN for t in _descriptions(nb))


def test_a_malform_the_add_in_does_not_know_stops_the_import_with_a_message_naming_it():
    r = _run_with_env("engelsk")
    assert r.returncode != 0 and "KJ_MALFORM" in r.stderr and "nb (bokmål) or nn (nynorsk)" in r.stderr


# ----------------------------------------------------------------------------- xlwings Lite in nynorsk


def _load_main(source: str, folder: Path) -> Any:
    name = f"kj_lite_main_nn_{abs(hash(source))}"
    (folder / f"{name}.py").write_text(source, encoding="utf-8")
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(folder))


def test_lite_main_py_in_nynorsk_answers_in_nynorsk_through_office_js(tmp_path):
    server = officejs.server_mode()
    main_py = lite.lite_main_py(malform="nn")
    assert "KJ_MALFORM = 'nn'" in main_py and "Målform: nynorsk" in main_py
    assert "KJ_MALFORM = 'nb'" in lite.lite_main_py()
    module = _load_main(main_py, tmp_path)

    def call(name: str, *args: Any) -> Any:
        return asyncio.run(officejs.acall(module, name, *args))

    with pytest.raises(XlwingsError, match="^Tal på helsepersonell må vere eit heiltal, fekk 12,5$"):
        call("kj_cost", 12.5, "pki")
    with pytest.raises(XlwingsError, match="^ukjend e-ID «kort»: bruk PKI-kort; BankID; BankID på mobil$"):
        call("kj_cost", 100, "kort")
    label_nn = EST.text_in(EST.item("planning_helseid").label, "nn")
    assert call("kj_cost", 100, "PKI-kort", None, label_nn) == call("kj_cost", 100, "pki", None, "planning_helseid")
    assert call("kj_cost", 100, "pki", None, "vikarar") == [[model.one_off(EST, 100, "pki").item("standin").kr]]
    rows = call("kj_breakdown", 100, "PKI-kort")
    assert rows[0] == ["Linje", "Spor", "Type", "Timar", "kr"] and rows[-1][0] == "Sum eingongskostnad"
    meta = server.custom_functions_meta(module)
    texts = _descriptions(meta)
    assert texts == [i18n.tr(t, "nn") for t in _descriptions(server.custom_functions_meta(kj))]
    assert [t for t in texts if bokmaal_only_words(t)] == []


def test_lite_main_py_refuses_a_malform_it_does_not_know():
    with pytest.raises(ValueError, match="nb \\(bokmål\\) or nn \\(nynorsk\\)"):
        lite.lite_main_py(malform="se")
