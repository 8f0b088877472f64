"""Malformed estimates files are refused with a message naming the file, the item and the problem."""

from __future__ import annotations

import re

import pytest

from workbook_builder.core.estimates import EstimatesError, default_estimates_path, load_estimates, parse_estimates

DEFAULT = default_estimates_path().read_text(encoding="utf-8")


def broken(old: str, new: str, count: int = 1) -> str:
    assert old in DEFAULT, old
    return DEFAULT.replace(old, new, count)


def test_default_file_loads_with_every_number_sourced(est):
    assert est.id == "nhn-2020-06" and est.sizes.values == (30, 100, 400)
    assert [i.id for i in est.items] == ["planning_kj", "training", "standin", "eid", "planning_helseid",
                                         "tech_assistance", "vendor_module"]
    for item in est.items:
        assert item.source and item.unit and item.track and item.kind
        assert item.kind == "hours" or item.kind == "standin" or item.art  # new money has a KOSTRA art
    for fig in [est.reader_kr, est.renewal_years, *est.hourly_rate.values(), *est.benefits.values(),
                est.standin_share, est.deflator.forecast_deflator, est.deflator.forecast_wage,
                est.accounting.investment_threshold_kr, est.accounting.mva_share]:
        assert fig.source and fig.unit
    for y in est.deflator.years:
        assert y.source and y.status in ("regnskap", "anslag")
    for thing in [*est.pay.roles, *est.employer_tax.zones, *est.groups, *est.vendors]:
        assert thing.source
    assert est.price_year == 2020 and est.pay.price_year == 2023 and est.pay.date == "1.12.2023"
    assert len(est.employer_tax.municipalities) == 357  # every municipality from 2024
    assert len(est.sha256) == 64


@pytest.mark.parametrize(
    ("text", "item", "problem"),
    [
            (broken('[items.standin]\nlabel', '[items.other]\nlabel'), "items.standin",
         "is missing (the model computes it)"),
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
        (broken("format = 2", "format = 2\nauthor = \"meg\""), "author", "unknown key"),
        (broken('track = "organisering"', 'track = "økonomi"'), "items.planning_kj.track",
         "must be one of organisering, teknisk, drift"),
        (broken("annual_kr = 661000", "annual_kr = true"), "pay.roles.sykepleier.annual_kr",
         "must be a number, found True"),
        (broken("deflator = 0.067", "deflator = 67"), "deflator.years.2022.deflator",
         "must be a yearly rate between -0.5 and 0.5, found 67"),
        (broken("[deflator.years.2023]", "[deflator.years.2024x]"), "deflator.years.2024x",
         "the years must follow each other from 2021 (expected 2023)"),
        (broken('"3405" = { zone = "1", name = "Lillehammer" }', '"3405" = { zone = "9", name = "Lillehammer" }'),
         "employer_tax.municipalities.3405.zone", "'9' is not one of the zones"),
        # one rule for a table of named entries and its default (uncertainty levels, pay roles, tax zones)
        (broken('default_role = "sykepleier"', 'default_role = "lege"'), "pay.default_role",
         "'lege' is not one of the roles (sykepleier, "),
        (broken('default_zone = "1"', 'default_zone = "6"'), "employer_tax.default_zone",
         "'6' is not one of the zones (1, 1a, 2, 3, 4, 4a, 5)"),
        (broken('default_level = "middels"', 'default_level = "enorm"'), "uncertainty.default_level",
         "'enorm' is not one of the levels ("),
        (broken('art = "270"', 'art = "999"'), "items.tech_assistance.art", "'999' is not a code under [accounting]"),
        (broken("price_year = 2023", "price_year = 2031"), "pay.price_year",
         "2031 is not covered by the deflator table (2020–2026)"),
        (broken('function = "254"', 'function = "12"'), "groups.c.function", "is not a code under [accounting]"),
        (broken("value = 100000", "value = 1e308"), "accounting.investment_threshold_kr.value", "must be at most"),
        (broken("value = 0.8", "value = 80"), "share_short_term.value", "is a share and must be between 0 and 1"),
        (broken("values = [8, 20, 40]", "values = [8, 20.5, 40]"), "eid.readers.values",
         "20.5 is not a whole number of readers"),
        (broken("readers = true", 'readers = "ja"'), "eid.options.pki.readers", "must be true or false"),
        (broken("format = 2", "format = 1"), "format", "must be 2, found 1 (a file from an older kj-budget"),
        ("a = " + "[" * 100_000 + "]" * 100_000, "file", "nests deeper than 8 levels"),
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
    from workbook_builder.core import model

    path = tmp_path / "dyrere.toml"
    path.write_text(DEFAULT.replace("kr_per_person = 700", "kr_per_person = 750"), encoding="utf-8")
    mine = load_estimates(path)
    assert model.one_off(mine, 100, "pki", price_year=2020).item("eid").purchase_kr == 100 * 750 + 20 * 500
    assert mine.sha256 != est.sha256


def without_nynorsk(text: str) -> str:
    """An estimates text with its nynorsk texts taken out (every `x_nn = …` line and `[x_nn]` table)."""
    text = re.sub(r"^\w+_nn = .*\n", "", text, flags=re.M)
    out = re.sub(r"^\[[\w.]+_nn\]\n(?:.+\n)*\n", "", text, flags=re.M)
    assert not re.search(r"^[^#]*_nn\b", out, flags=re.M)
    return out


def test_a_text_in_nynorsk_beside_its_bokmal_text_is_read_and_used_for_lists():
    """`label_nn` beside `label` (any text key + _nn; a code table's _nn table): the file's nynorsk texts,
    used by a nynorsk workbook, and either form is accepted where a list value is typed."""
    from workbook_builder.core.model import choice_label, parse_group

    text = without_nynorsk(default_estimates_path().read_text(encoding="utf-8"))
    text = text.replace('label = "c: Hjemmesykepleie og tjenestekontor"',
                        'label = "c: Hjemmesykepleie og tjenestekontor"\n'
                        'label_nn = "c: Heimesjukepleie og tenestekontor"')
    text = text.replace('254 = "Helse- og omsorgstjenester til hjemmeboende"',
                        '254 = "Helse- og omsorgstjenester til hjemmeboende"\n\n[accounting.functions_nn]\n'
                        '254 = "Helse- og omsorgstenester til heimebuande"', 1)
    est = parse_estimates(text)
    assert est.text_in("c: Hjemmesykepleie og tjenestekontor", "nn") == "c: Heimesjukepleie og tenestekontor"
    assert est.text_in("c: Hjemmesykepleie og tjenestekontor", "nb") == "c: Hjemmesykepleie og tjenestekontor"
    assert est.text_in("Helse- og omsorgstjenester til hjemmeboende", "nn") == (
        "Helse- og omsorgstenester til heimebuande")
    assert est.text_in("a: Sykehjemsleger", "nn") == "a: Sykehjemsleger"  # no nynorsk text: as written
    assert parse_group(est, "C: heimesjukepleie og tenestekontor") == parse_group(est, "c") == "c"
    assert choice_label(est, "group", "c", "nn") == "c: Heimesjukepleie og tenestekontor"
    for bad, problem in [("label_nn = 3", "groups.c.label_nn: must be non-empty text"),
                         ('kind_nn = "x"', "groups.c.kind_nn: unknown key")]:
        with pytest.raises(EstimatesError, match=problem):
            parse_estimates(text.replace('label_nn = "c: Heimesjukepleie og tenestekontor"', bad))
    # one bokmål text (the unit «timer» of two items) may not get two nynorsk texts
    twice = text.replace('values = [80, 100, 200]', 'values = [80, 100, 200]\nunit_nn = "timar"').replace(
        'values = [40, 125, 500]', 'values = [40, 125, 500]\nunit_nn = "timer"')
    with pytest.raises(EstimatesError, match="«timer» has another nynorsk text elsewhere in the file: «timar»"):
        parse_estimates(twice)
# ----------------------------------------------------------------------------- one place judges a file


@pytest.mark.parametrize(("old", "new", "item", "problem"), [
    ("kr_per_person = 700", "kr_per_person = 1e308", "eid.options.pki.kr_per_person",
     "must be at most 1 000 000 000 (every figure in an estimates file has this upper bound), found 1e+308"),
    ("kr_per_person = 700", "kr_per_person = 1000000001", "eid.options.pki.kr_per_person",
     "must be at most 1 000 000 000 (every figure in an estimates file has this upper bound), found 1e+09"),
    ("kr_per_person = 700", "kr_per_person = inf", "eid.options.pki.kr_per_person",
     "must be a finite number, found inf"),
    ("kr_per_person = 700", "kr_per_person = nan", "eid.options.pki.kr_per_person",
     "must be a finite number, found nan"),
    ("kr_per_person = 700", "kr_per_person = -1e12", "eid.options.pki.kr_per_person",
     "must not be negative, found -1e+12"),
])
def test_every_figure_is_bounded_by_the_one_validation(tmp_path, capsys, old, new, item, problem):
    """parse_estimates, load_estimates and the command line's --estimates give the same one message."""
    from workbook_builder.cli.main import main

    text = broken(old, new)
    with pytest.raises(EstimatesError) as parsed:
        parse_estimates(text, file="e.toml")
    assert (parsed.value.item, parsed.value.problem) == (item, problem)
    path = tmp_path / "e.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EstimatesError) as loaded:
        load_estimates(path)
    assert (loaded.value.item, loaded.value.problem) == (item, problem)
    assert main(["cost", "--staff", "10", "--eid", "pki", "--estimates", str(path)]) == 2
    assert capsys.readouterr().err == f"kj-budget cost: error: estimates file {path}: {item}: {problem}\n"


def test_a_file_too_large_is_refused_before_it_is_read_and_its_text_by_the_parser(tmp_path):
    from workbook_builder.core.estimates import MAX_ESTIMATES_BYTES

    path = tmp_path / "big.toml"
    path.write_text(DEFAULT + "#" * MAX_ESTIMATES_BYTES + "\n", encoding="utf-8")
    mb = f"{path.stat().st_size / 2**20:.1f}"  # 1 MB of comment and the packaged file (1,0 or 1,1 MB by its length)
    assert mb in ("1.0", "1.1")
    with pytest.raises(EstimatesError, match=rf"big\.toml: file: is {re.escape(mb)} MB; an estimates file is far "
                                             r"smaller \(limit 1 MB\)"):
        load_estimates(path)
    with pytest.raises(EstimatesError,
                       match=r"file: is 1 \d{3} \d{3} characters; an estimates file is far smaller \(limit 1 MB\)"):
        parse_estimates(path.read_text(encoding="utf-8"))


def test_a_folder_is_no_estimates_file(tmp_path):
    with pytest.raises(EstimatesError, match="file: is a folder, not an estimates file"):
        load_estimates(tmp_path)


def test_the_packaged_file_is_within_the_bounds_it_is_judged_by(est):
    from workbook_builder.core.estimates import MAX_ESTIMATES_BYTES, MAX_FIGURE

    assert len(est.text.encode("utf-8")) < MAX_ESTIMATES_BYTES / 10
    numbers = [float(x) for x in re.findall(r"(?m)=\s*(-?\d[\d_]*(?:\.\d+)?(?:e-?\d+)?)\s*(?:#.*)?$", est.text)]
    assert numbers and max(numbers) < MAX_FIGURE / 1000
