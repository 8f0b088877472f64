"""Small helpers that the type checks (mypy, run by `python3 dev.py test`) brought in or changed."""

from __future__ import annotations

import io

import pytest
import xlsxwriter
from xlsxwriter.chart import Chart

from workbook_builder.sheets.base import new_chart
from workbook_builder.xlsx.filled_reader import Ref, _Names


def test_new_chart_names_an_unknown_chart_type_instead_of_returning_none():
    wb = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    assert isinstance(new_chart(wb, {"type": "column", "subtype": "stacked"}), Chart)
    with pytest.warns(UserWarning), pytest.raises(ValueError, match="no chart type 'columns'"):
        new_chart(wb, {"type": "columns"})  # XlsxWriter only warns and returns None
    with pytest.warns(UserWarning), pytest.raises(ValueError, match="no chart type None"):
        new_chart(wb, {})


def test_defined_names_get_a_range_none_for_a_bad_one_and_the_default_for_a_missing_one():
    names = _Names({"kj_a": "'Inndata'!$B$5", "kj_bad": "#REF!"})
    assert names.get("kj_a") == Ref("Inndata", (4, 1), (4, 1), "'Inndata'!$B$5")
    assert names.get("kj_bad") is None and "kj_bad" in names
    assert names.get("kj_missing") is None and "kj_missing" not in names
    assert names.get("kj_missing", names["kj_a"]) == names["kj_a"]
