"""Shared fixtures: the packaged estimates, and the scenario workbooks recalculated once in LibreOffice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import lo
import pytest
import scenarios

from workbook_builder.estimates import Estimates, load_estimates
from workbook_builder.model import Budget, Inputs
from workbook_builder.workbook import build_workbook

TODAY = dt.date(2026, 11, 28)


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
