"""Shared fixtures: the packaged estimates, and the scenario workbooks recalculated once in LibreOffice."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

# The Excel-function tests run xlwings' Office.js code path (what xlwings Lite runs). It exists
# only if these are set before xlwings is first imported (nothing above imports it).
os.environ.setdefault("XLWINGS_ON_SERVER", "true")
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import lo  # noqa: E402
import pytest  # noqa: E402
import scenarios  # noqa: E402

from workbook_builder.core.estimates import Estimates, load_estimates  # noqa: E402
from workbook_builder.core.model import Budget, Inputs  # noqa: E402
from workbook_builder.workbook import build_workbook  # noqa: E402

TODAY = dt.date(2026, 11, 28)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-snapshots", action="store_true",
                     help="rewrite the reviewed snapshots in tests/snapshots/ instead of comparing them")


@pytest.fixture
def update_snapshots(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-snapshots"))


@pytest.fixture(scope="session")
def est() -> Estimates:
    return load_estimates()


@dataclass
class Case:
    name: str
    inputs: Inputs
    budget: Budget
    built: Path
    cached: lo.Book
    recalculated: lo.Book


@pytest.fixture(scope="session")
def recalculated_cases(est, tmp_path_factory) -> dict[str, Case]:
    """Every scenario built, then recalculated by LibreOffice in one call."""
    root = tmp_path_factory.mktemp("scenarios")
    built = {}
    for name, inputs in scenarios.scenarios().items():
        path = root / "built" / f"{name}.xlsx"
        built[name] = (inputs, build_workbook(path, est, inputs, today=TODAY).budget, path)
    outs = lo.recalc([p for _, _, p in built.values()], root / "recalculated")
    return {name: Case(name, inputs, budget, path, lo.read_book(path), lo.read_book(out))
            for (name, (inputs, budget, path)), out in zip(built.items(), outs)}
