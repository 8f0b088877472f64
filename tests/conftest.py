"""Shared fixtures: the packaged estimates, and the scenario workbooks recalculated once in LibreOffice.

Two switches live here:
- the `libreoffice` marker, put on every test that starts LibreOffice, so `pytest -m "not libreoffice"` is the
  fast loop. A test is marked when it uses one of LIBREOFFICE_FIXTURES (directly or through another fixture) or
  carries the mark itself; a test that starts soffice without the mark fails (`lo.soffice` checks), so the list
  cannot fall behind.
- `--update-golden`: the one way to rewrite the golden files (tests/reference/, tests/snapshots/, docs/images/)
  instead of comparing with them; review the diff afterwards.
"""

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
from hypothesis import settings  # noqa: E402

# Property tests explore new examples on every run at a desk (a found example is then pinned with @example);
# in CI (.ci/run sets CI) they draw the same examples every time, so a submission lands or not on its merits.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

from workbook_builder.core.estimates import Estimates, load_estimates  # noqa: E402
from workbook_builder.core.model import Budget, Inputs  # noqa: E402
from workbook_builder.workbook import build_workbook  # noqa: E402

TODAY = dt.date(2026, 11, 28)


# Fixtures that start LibreOffice: every test that uses one (even through another fixture) is marked `libreoffice`.
LIBREOFFICE_FIXTURES = frozenset({
    "recalculated_cases",  # conftest: the scenario workbooks recalculated
    "region",  # test_batch_collect_roundtrip: the regional overview recalculated
    "saved_by_libreoffice",  # test_check_command
    "regenerated",  # test_regenerate_report: saved by LibreOffice, regenerated, recalculated
    "via_libreoffice",  # test_regenerate_roundtrip
    "recalculated_bad_inputs",  # test_workbook_bad_inputs
})


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files (tests/reference/lillehammer.xlsx, tests/snapshots/, docs/images/) "
                          "instead of comparing with them; then review the diff")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    parallel = config.pluginmanager.hasplugin("xdist")
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if LIBREOFFICE_FIXTURES.intersection(fixtures):
            item.add_marker(pytest.mark.libreoffice)
        if parallel:  # with --dist loadgroup: a module's tests on one worker (its fixtures made once), and every
            # test of the scenario workbooks on one worker (LibreOffice recalculates them once)
            group = "recalculated_cases" if "recalculated_cases" in fixtures else item.nodeid.split("::")[0]
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before any fixture of the test runs: may it start LibreOffice?"""
    lo.MARKED = item.get_closest_marker("libreoffice") is not None
    lo.RUNNING = item.nodeid


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True with --update-golden: a test that compares with a golden file rewrites it instead."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def est() -> Estimates:
    return load_estimates()


@pytest.fixture(autouse=True)
def _own_collect_cache(monkeypatch, tmp_path_factory) -> None:
    """Each test its own (empty) collect cache, never the user's (~/.cache/kj-budget): a test reads every
    workbook it collects unless it collects twice (tests/test_collect_cache.py)."""
    monkeypatch.setenv("KJ_BUDGET_CACHE_DIR", str(tmp_path_factory.mktemp("collect-cache")))


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
