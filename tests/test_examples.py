"""The examples in examples/ run, and print the model's numbers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import lo

from workbook_builder.core.estimates import load_estimates
from workbook_builder.core.model import one_off

EXAMPLES = Path(__file__).parent.parent / "examples"


def run(script: str, *args: str) -> str:
    r = subprocess.run([sys.executable, str(EXAMPLES / script), *args], capture_output=True, text=True,
                       cwd=EXAMPLES.parent)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_one_off_cost_example():
    expected = one_off(load_estimates(), 120, "pki", vendor_module_kr=60_000)
    out = run("one_off_cost.py")
    assert f"Total: {expected.total_kr:,.0f} kr".replace(",", " ") in out
    assert "370 internal hours, 22 card readers" in out


def test_phased_budget_example_writes_a_workbook(tmp_path):
    out = run("phased_budget.py", str(tmp_path / "ringebu.xlsx"))
    assert "New money 2027–2030: 185 392 kr; one-off in all: 336 457 kr; master check: Merknad" in out
    book = lo.read_book(tmp_path / "ringebu.xlsx")
    assert book.value("kj_total_kr") == 336_457
    assert book.value("kj_year_renewal_kr") == [0, 0, 0, 31 * 969]  # 2027's cards are renewed in 2030
    assert book.value("kj_municipality") == "Ringebu"
