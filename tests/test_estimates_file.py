"""Malformed estimates files are refused with a message naming the file, the item and the problem."""

from __future__ import annotations

import re

import pytest

from workbook_builder.estimates import EstimatesError, default_estimates_path, load_estimates, parse_estimates

DEFAULT = default_estimates_path().read_text(encoding="utf-8")


def broken(old: str, new: str, count: int = 1) -> str:
    assert old in DEFAULT, old
    return DEFAULT.replace(old, new, count)


def test_default_file_loads_with_every_number_sourced(est):
    assert est.id == "nhn-2020-06" and est.sizes.values == (30, 100, 400)
    assert [i.id for i in est.items] == ["planning_kj", "training", "eid", "planning_helseid", "tech_assistance",
                                         "vendor_module"]
    for item in est.items:
        assert item.source and item.unit and item.track and item.kind
    for fig in [est.reader_kr, est.renewal_years, *est.hourly_rate.values(), *est.benefits.values()]:
        assert fig.source and fig.unit
    assert len(est.sha256) == 64


@pytest.mark.parametrize(
    ("text", "item", "problem"),
    [
        (broken('[items.training]\nlabel = "Opplæring kjernejournal og bruk, helsepersonell"\ntrack = "organisering"'
                '\nkind = "hours"\nunit = "timer"\nvalues = [40, 125, 500]', "[items.other]\nx = 1"),
         "items.training", "is missing"),
        (broken("values = [40, 125, 500]", 'values = [40, "mange", 500]'), "items.training.values[1]",
         "must be a number, found 'mange'"),
        (broken("values = [40, 125, 500]", "values = [40, -125, 500]"), "items.training.values[1]",
         "must not be negative, found -125"),
        (broken("values = [40, 125, 500]", "values = [40, 125]"), "items.training.values",
         "needs 3 numbers, one per reference size, found 2"),
        (broken("values = [30, 100, 400]", "values = [30, 400, 100]"), "sizes.values",
         "reference sizes must increase: 400 then 100"),
        (broken("values = [30, 100, 400]", "values = [30, 30, 400]"), "sizes.values",
         "reference sizes must increase: 30 then 30"),
        (broken('track = "organisering"', 'track = "organisering"\ncolour = "blå"'), "items.planning_kj.colour",
         "unknown key"),
        (broken("format = 1", "format = 1\nauthor = \"meg\""), "author", "unknown key"),
        (broken('track = "organisering"', 'track = "økonomi"'), "items.planning_kj.track",
         "must be one of organisering, teknisk, drift"),
        (broken("value = 661000", "value = true"), "hourly_rate.annual_earnings_kr.value",
         "must be a number, found True"),
        (broken("value = 0.8", "value = 80"), "share_short_term.value", "is a share and must be between 0 and 1"),
        (broken("values = [8, 20, 40]", "values = [8, 20.5, 40]"), "eid.readers.values",
         "20.5 is not a whole number of readers"),
        (broken("readers = true", 'readers = "ja"'), "eid.options.pki.readers", "must be true or false"),
        (broken("format = 1", "format = 2"), "format", "must be 1"),
        ("this is = = not toml", "file", "is not valid TOML"),
    ],
)
def test_malformed_files_are_refused(text, item, problem):
    with pytest.raises(EstimatesError) as err:
        parse_estimates(text, file="mine.toml")
    assert err.value.file == "mine.toml"
    assert err.value.item == item
    assert problem in err.value.problem
    assert str(err.value).startswith(f"mine.toml: {item}: ")


def test_missing_file_is_named(tmp_path):
    with pytest.raises(EstimatesError, match=re.escape(f"{tmp_path / 'nope.toml'}: file: not found")):
        load_estimates(tmp_path / "nope.toml")


def test_a_users_own_file_changes_the_model(tmp_path, est):
    from workbook_builder import model

    path = tmp_path / "dyrere.toml"
    path.write_text(DEFAULT.replace("kr_per_person = 700", "kr_per_person = 750"), encoding="utf-8")
    mine = load_estimates(path)
    assert model.one_off(mine, 100, "pki").item("eid").purchase_kr == 100 * 750 + 20 * 500
    assert mine.sha256 != est.sha256
