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
    # Ringebu is in zone II (10,6 %): 788 225,25 kr (661 000 × 1,052 × 1,046 × 1,041 × 1,041) × 1,2028462 × 1,106
    # ÷ 1 698,75 hours = 617,29 → 617 kr an hour in 2027; with 2025's wage growth at 4,4 % (before TBU's 4,6 %)
    # 786 718,13 kr gave 616,11 → 616 kr. One krone more on each of
    # the 54 stand-in hours (20,5 + 18,5 + 15: half the training increase at 31, 61 and 86 persons) and the 294
    # internal hours (96 + 108 + 90 at 86 persons): 185 392 + 54 = 185 446 kr; 336 457 + 54 + 294 = 336 805 kr
    assert "New money 2027–2030: 185 446 kr; one-off in all: 336 805 kr; master check: Merknad" in out
    book = lo.read_book(tmp_path / "ringebu.xlsx")
    assert book.value("kj_total_kr") == 336_805
    assert book.value("kj_year_renewal_kr") == [0, 0, 0, 31 * 969]  # 2027's cards are renewed in 2030
    assert book.value("kj_municipality") == "Ringebu"
