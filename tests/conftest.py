"""Shared fixtures: the packaged estimates, loaded once."""

from __future__ import annotations

import os

import pytest

from workbook_builder.estimates import Estimates, load_estimates

# The Excel-function tests run xlwings' Office.js code path (what xlwings Lite runs). It exists
# only if these are set before xlwings is first imported (nothing above imports it); no other
# test uses xlwings.
os.environ.setdefault("XLWINGS_ON_SERVER", "true")
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-snapshots", action="store_true",
                     help="rewrite the reviewed snapshots in tests/snapshots/ instead of comparing them")


@pytest.fixture(scope="session")
def est() -> Estimates:
    return load_estimates()


@pytest.fixture
def update_snapshots(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-snapshots"))
