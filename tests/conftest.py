"""Shared fixtures: the packaged estimates, loaded once."""

from __future__ import annotations

import pytest

from workbook_builder.estimates import Estimates, load_estimates


@pytest.fixture(scope="session")
def est() -> Estimates:
    return load_estimates()
