"""Regenerating a filled workbook against changed estimates loses nothing: every value a user typed
arrives unchanged, and the new workbook's totals, recalculated by LibreOffice, are the model's for
those inputs and the new estimates. Filled by openpyxl (property test) and saved by LibreOffice."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import lo
import pytest
from compare import same
from conftest import TODAY
from filling import changed_estimates, fill
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from workbook_builder.cells import INPUTS, STEP_ROWS, output_values
from workbook_builder.core.model import Inputs, Step, budget, parse_choice, parse_group
from workbook_builder.services.regenerate import regenerate
from workbook_builder.workbook import build_workbook
from workbook_builder.xlsx.filled_reader import WorkbookFile, read_workbook

TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ0123456789 -=+@.,/()'\"&<>",
               min_size=1, max_size=40).filter(lambda s: s.strip() == s and s != "")


def _number(spec) -> st.SearchStrategy[Any]:
    """A number a person types: whole, or with up to two decimals (shares: a whole percent or a tenth)."""
    lo_, hi = spec.minimum, spec.maximum
    if spec.kind == "whole":
        return st.integers(int(lo_), int(hi))
    if spec.percent:
        return st.integers(int(lo_ * 1000), int(hi * 1000)).map(lambda k: k / 1000)
    return st.integers(int(lo_ * 100), int(min(hi, 10_000_000) * 100)).map(lambda k: k / 100)


@st.composite
def typed(draw, est) -> dict[str, Any]:
    """Random valid values for every input (some left blank), keyed by name or name#row."""
    labels = {"eid": [o.label for o in est.eid_options], "vendor": [v.label for v in est.vendors],
              "group": [g.label for g in est.groups], "role": [r.label for r in est.pay.roles],
              "zone": [z.label for z in est.employer_tax.zones],
              "level": [lv.label for lv in est.uncertainty.levels]}
    values: dict[str, Any] = {}
    for spec in INPUTS:
        if spec.rows > 1:
            continue
        if spec.name == "kj_municipality_number":
            value = draw(st.from_regex(r"\A[0-9]{4}\Z"))
        elif spec.kind == "text":
            value = draw(TEXT)
        elif spec.kind == "choice":
            value = draw(st.sampled_from(labels[spec.choices]))
        elif spec.name == "kj_first_year":
            value = draw(st.integers(est.deflator.base_year, int(spec.maximum)))
        else:
            value = draw(_number(spec))
        if draw(st.integers(0, 4)):  # one in five left blank
            values[spec.name] = value
    for k in range(1, STEP_ROWS + 1):
        if draw(st.booleans()):
            continue
        row = {"kj_step_group": draw(st.none() | st.sampled_from(labels["group"])),
               "kj_step_unit": draw(st.none() | TEXT),
               "kj_step_staff": draw(st.none() | st.integers(1, 5000)),
               "kj_step_year": draw(st.none() | st.integers(2020, 2040))}
        values.update({f"{name}#{k}": v for name, v in row.items() if v is not None})
    return values


def expected_inputs(est, values: dict[str, Any]) -> Inputs:
    """The model's inputs for typed values, built here independently of the reader."""
    scalars: dict[str, Any] = {}
    for spec in INPUTS:
        if spec.rows == 1 and spec.name in values:
            v = values[spec.name]
            scalars[spec.field] = parse_choice(est, spec.choices, v) if spec.kind == "choice" else v
    rows = []
    for k in range(1, STEP_ROWS + 1):
        g = values.get(f"kj_step_group#{k}")
        rows.append(Step(staff=values.get(f"kj_step_staff#{k}", 0), group=parse_group(est, g) if g else None,
                         unit=values.get(f"kj_step_unit#{k}", ""), year=values.get(f"kj_step_year#{k}")))
    while rows and rows[-1] == Step(0):
        rows.pop()
    return Inputs(steps=tuple(rows), **scalars)


def saved_inputs(data: bytes | Path) -> dict[str, Any]:
    """Every non-blank input cell of a workbook, by name (name#row for steps)."""
    out = {}
    with WorkbookFile(data) as wb:
        for spec in INPUTS:
            for k, c in enumerate(wb.cells(spec.name)):
                if c.value not in (None, ""):
                    out[spec.name if spec.rows == 1 else f"{spec.name}#{k + 1}"] = c.value
    return out


@pytest.fixture(scope="module")
def template(est, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "mal.xlsx"
    build_workbook(path, est, Inputs(), today=TODAY)
    return path


@pytest.fixture(scope="module")
def new_est(est):
    return changed_estimates(est)


@pytest.mark.libreoffice
def test_regenerating_carries_every_typed_value_and_the_new_totals_equal_the_model(est, new_est, template,
                                                                                  tmp_path_factory):
    root = tmp_path_factory.mktemp("property")
    counter = itertools.count()
    done: list[tuple[Path, Inputs, dict[str, Any]]] = []

    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(values=typed(est))
    @example(values={"kj_municipality": "Infinity"})  # text that float() would read as a number
    def one(values: dict[str, Any]) -> None:
        n = next(counter)
        old = fill(template, values, root / f"old-{n}.xlsx")
        reg = regenerate(old, new_est, today=TODAY)
        assert reg.report.problems == [] and reg.report.missing == []
        assert {c.key for c in reg.report.carried} == set(values)
        assert saved_inputs(reg.built.data) == values  # every value arrived, unchanged, in its cell
        inputs = expected_inputs(new_est, values)
        assert reg.old.inputs == inputs
        new = root / f"new-{n}.xlsx"
        new.write_bytes(reg.built.data)
        done.append((new, inputs, values))

    one()
    assert len(done) >= 15
    outs = lo.recalc([p for p, _, _ in done], root / "recalculated")
    for (path, inputs, values), out in zip(done, outs):
        book = lo.read_book(out)
        assert book.errors == [], path
        for name, value in output_values(new_est, budget(new_est, inputs, TODAY)).items():
            assert same(book.value(name), value), (name, book.value(name), value, values)
        assert saved_inputs(out) == values  # and LibreOffice reads them as typed


# Filled with openpyxl, then opened, recalculated and saved by LibreOffice (nb-NO), then regenerated.
BY_HAND: dict[str, dict[str, Any]] = {
    "full": {"kj_municipality": "Lillehammer", "kj_municipality_number": "3405", "kj_vendor": "TietoEVRY (Gerica)",
             "kj_eid": "PKI-kort", "kj_first_year": 2027, "kj_step_group#1": "a: Sykehjemsleger",
             "kj_step_unit#1": "Sykehjemsleger", "kj_step_staff#1": 12, "kj_step_year#1": 2027,
             "kj_step_group#2": "b: Legemiddelansvarlige, korttidsavdelinger", "kj_step_staff#2": 45,
             "kj_step_group#4": "c: Hjemmesykepleie og tjenestekontor", "kj_step_unit#4": "Sone nord",
             "kj_step_staff#4": 160, "kj_step_year#4": 2029, "kj_hourly_rate": 455.75, "kj_vendor_module_kr": 85000,
             "kj_renewal_years": 4, "kj_maintenance_kr_per_year": 12000.5, "kj_followup_hours_per_year": 40,
             "kj_admissions_short_term": 900, "kj_admissions_home_care": 1400, "kj_share_short_term": 0.65,
             "kj_share_home_care": 0.455, "kj_minutes_saved": 4.5},
    "formula-like-text": {"kj_municipality": "=HYPERLINK(\"x\")", "kj_step_unit#1": "+47 avdeling",
                          "kj_step_unit#2": "-sone", "kj_step_unit#3": "@SUM(A1)", "kj_eid": "BankID på mobil",
                          "kj_step_group#1": "a: Sykehjemsleger", "kj_step_staff#1": 30,
                          "kj_step_group#3": "c: Hjemmesykepleie og tjenestekontor", "kj_step_staff#3": 401},
    "number-like-text": {"kj_municipality": "Infinity", "kj_step_unit#1": "NaN", "kj_step_unit#2": "1e999",
                         "kj_step_group#1": "b: Legemiddelansvarlige, korttidsavdelinger", "kj_step_staff#1": 30},
}


@pytest.fixture(scope="module")
def via_libreoffice(est, new_est, template, tmp_path_factory):
    root = tmp_path_factory.mktemp("lo-saved")
    filled = [fill(template, values, root / f"{name}.xlsx") for name, values in BY_HAND.items()]
    saved = lo.recalc(filled, root / "saved-by-libreoffice")
    regs = {name: regenerate(path, new_est, today=TODAY) for name, path in zip(BY_HAND, saved)}
    for name, reg in regs.items():
        (root / "new").mkdir(exist_ok=True)
        (root / "new" / f"{name}.xlsx").write_bytes(reg.built.data)
    outs = lo.recalc([root / "new" / f"{name}.xlsx" for name in regs], root / "recalculated")
    return saved, regs, dict(zip(regs, outs))


def test_a_workbook_saved_by_libreoffice_is_really_libreoffices(via_libreoffice):
    saved, _, _ = via_libreoffice
    for path in saved:
        with WorkbookFile(path) as wb:
            app = wb.pkg.read("docProps/app.xml").decode()
        assert "LibreOffice" in app


@pytest.mark.parametrize("name", list(BY_HAND))
def test_a_workbook_saved_by_libreoffice_regenerates_with_every_value(via_libreoffice, new_est, name):
    _, regs, outs = via_libreoffice
    reg, values = regs[name], BY_HAND[name]
    assert reg.report.problems == []
    assert saved_inputs(reg.built.data) == values
    assert reg.old.inputs == expected_inputs(new_est, values)
    book = lo.read_book(outs[name])
    assert book.errors == []
    for out_name, value in output_values(new_est, budget(new_est, reg.old.inputs, TODAY)).items():
        assert same(book.value(out_name), value), out_name


def test_the_old_totals_are_libreoffices_saved_values_and_the_new_ones_the_models(via_libreoffice, est, new_est):
    _, regs, _ = via_libreoffice
    reg = regs["full"]
    assert reg.report.old_totals == "saved"
    old_model = output_values(est, budget(est, read_workbook(reg.source, est).inputs, TODAY))
    new_model = output_values(new_est, budget(new_est, reg.old.inputs, TODAY))
    for h in reg.report.headlines:
        assert same(h.old, old_model[h.name]), h.name
        assert same(h.new, new_model[h.name]), h.name
    total = next(h for h in reg.report.headlines if h.name == "kj_total_kr")
    assert total.difference == pytest.approx(new_model["kj_total_kr"] - old_model["kj_total_kr"]) != 0
    changed = {e.name for e in reg.report.estimate_changes}
    assert {"kj_est_planning_kj", "kj_est_training", "kj_est_tech_assistance", "kj_est_reader_kr",
            "kj_est_eid_price", "kj_est_role_pay", "kj_calc_hourly_rate", "kj_est_minutes_saved"} <= changed
    assert "kj_est_sizes" not in changed and "kj_list_groups" not in changed
