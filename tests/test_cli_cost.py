"""`kj-budget cost` and `kj-budget estimates`, run as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from workbook_builder.cli.main import main
from workbook_builder.core.errors import InputError
from workbook_builder.core.estimates import default_estimates_path, load_estimates
from workbook_builder.services.cost import one_off_cost


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workbook_builder.cli", *args], capture_output=True, text=True)


def test_the_notes_example_in_its_own_prices_json():
    r = run("cost", "--staff", "100", "--eid", "pki", "--hourly-rate", "438", "--price-year", "2020", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert (data["price_year"], data["price_factor"]) == (2020, 1.0)
    assert data["total_hours"] == 325
    assert data["total_purchase_kr"] == 100_000
    assert data["standin_hours"] == 62.5 and data["standin_kr"] == 62.5 * 438
    assert data["cash_kr"] == 100_000 + 62.5 * 438 and data["internal_kr"] == 325 * 438
    assert data["vendor_module_missing"] is True
    assert data["outside_basis"] is False
    assert data["estimates_version"] == "2020-06.4"
    assert data["total_kr"] == 325 * 438 + 100_000 + 62.5 * 438
    items = {i["id"]: i for i in data["items"]}
    assert items["eid"]["kr"] == 80_000 and items["tech_assistance"]["kr"] == 20_000
    assert set(items["training"]) >= {"id", "track", "kind", "hours", "kr", "cash_kr"}


def test_the_price_year_lifts_the_notes_prices_and_says_so():
    r = run("cost", "--staff", "100", "--eid", "pki", "--price-year", "2026", "--json")
    data = json.loads(r.stdout)
    factor = 1.044 * 1.067 * 1.043 * 1.050 * 1.047 * 1.041  # the deflator rows 2021–2026 of the estimates file
    assert data["price_year"] == 2026 and data["price_factor"] == pytest.approx(factor, rel=1e-12)
    assert {i["id"]: i["kr"] for i in data["items"]}["tech_assistance"] == round(20_000 * factor)
    default = json.loads(run("cost", "--staff", "100", "--eid", "pki", "--json").stdout)
    import datetime

    assert default["price_year"] == datetime.date.today().year + 1  # the workbook's default first budget year


def test_vendor_price_and_rate_flow_into_the_totals(capsys):
    assert main(["cost", "--staff", "30", "--eid", "BankID", "--hourly-rate", "500", "--vendor-module-kr",
                 "40 000", "--price-year", "2020", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total_purchase_kr"] == 15_000 + 40_000
    assert data["total_kr"] == 170 * 500 + 55_000 + 40 * 0.5 * 500  # half the 40 training hours at the same rate
    assert data["vendor_module_missing"] is False


def test_table_output_has_norwegian_numbers(capsys):
    assert main(["cost", "--staff", "400", "--eid", "PKI-kort", "--price-year", "2020"]) == 0
    out = capsys.readouterr().out
    assert "300 000 kr" in out and "1000" in out.replace(" ", "") and "fixed 2020" in out
    assert "Vendor module: no price given" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--staff", "-5", "--eid", "pki"], "argument --staff: must be 0 to 100000, got -5"),
        (["--staff", "12.5", "--eid", "pki"], "argument --staff: must be a whole number, got '12.5'"),
        (["--staff", "mange", "--eid", "pki"], "argument --staff: must be a whole number, got 'mange'"),
        (["--staff", "10", "--eid", "visa"], "--eid: unknown e-ID 'visa'"),
        (["--staff", "10", "--eid", "pki", "--hourly-rate", "-1"],
         "argument --hourly-rate: must be 0 to 10000, got -1"),
        (["--eid", "pki"], "the following arguments are required: --staff"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(args, message):
    r = run("cost", *args)
    assert r.returncode == 2
    assert message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_bad_estimates_file_is_named(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(default_estimates_path().read_text().replace("values = [80, 100, 200]", "values = [80, 100]"))
    r = run("cost", "--staff", "10", "--eid", "pki", "--estimates", str(bad))
    assert r.returncode == 2
    assert f"estimates file {bad}: items.planning_kj.values: needs 3 numbers" in r.stderr


def test_estimates_export_round_trip(tmp_path, capsys):
    out = tmp_path / "mine.toml"
    assert main(["estimates", "--export", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == default_estimates_path().read_text(encoding="utf-8")
    assert main(["estimates", "--export", str(out)]) == 0  # the same file again: nothing is lost
    out.write_text(out.read_text().replace("values = [15000, 20000, 40000]", "values = [15000, 25000, 40000]"))
    capsys.readouterr()
    edited = out.read_text()
    assert main(["estimates", "--export", str(out)]) == 3  # edited: the user's work, refused without --force
    assert "exists and is not an estimates file written by kj-budget; pass --force" in capsys.readouterr().err
    assert out.read_text() == edited
    assert main(["cost", "--staff", "100", "--eid", "pki", "--json", "--estimates", str(out), "--price-year",
                 "2020"]) == 0
    assert json.loads(capsys.readouterr().out)["total_purchase_kr"] == 105_000
    assert main(["estimates", "--export", str(out), "--estimates", str(out)]) == 3  # its own input: never
    assert "is a file this run reads" in capsys.readouterr().err


def test_estimates_table(capsys):
    assert main(["estimates"]) == 0
    out = capsys.readouterr().out
    import datetime

    year = datetime.date.today().year + 1
    assert "300 000" in out and f"kr per hour in {year}" in out and "nhn-2020-06" in out
    assert "2022 6,7 / 3,7 %" in out  # the municipal deflator and its wage component


def test_a_refusal_named_by_its_option_keeps_its_message_in_either_malform():
    """`cost` names the option in English; the Norwegian message stays a message, readable in either målform."""
    with pytest.raises(InputError) as err:
        one_off_cost(load_estimates(), -1, "pki")
    assert err.value.en == "--staff must be 0 to 100000, got -1"
    assert err.value.nb == "Antall helsepersonell må være fra 0 til 100000, fikk -1"
    assert err.value.text("nn") == "Tal på helsepersonell må vere frå 0 til 100000, fekk -1"
