"""The default workbook, part by part, against a reviewed reference (as XlsxWriter's own tests do).

Only what is volatile is ignored: the dates in docProps/core.xml. When a change to the workbook is
intended, rebuild the reference and review the diff:
    KJ_UPDATE_REFERENCE=1 python3 -m pytest tests/test_workbook_reference.py
"""

from __future__ import annotations

import difflib
import io
import os
import re
import zipfile
from pathlib import Path

from conftest import TODAY

from workbook_builder.core.model import Inputs, Step
from workbook_builder.workbook import build_bytes

REFERENCE = Path(__file__).parent / "reference" / "lillehammer.xlsx"
INPUTS = Inputs(municipality="Lillehammer", municipality_number="3405", vendor="Gerica", first_year=2027,
                steps=(Step(12, "a", "Sykehjemsleger"), Step(45, "b", "KAD/ØHD"), Step(60, "c", "Sone nord", 2028)),
                admissions_short_term=900, admissions_home_care=1400)
VOLATILE = re.compile(r"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        out = {name: z.read(name).decode("utf-8") for name in z.namelist()}
    out["docProps/core.xml"] = VOLATILE.sub("", out["docProps/core.xml"])
    return out


def test_the_workbook_equals_the_reference_part_by_part(est):
    data = build_bytes(est, INPUTS, today=TODAY).data
    if os.environ.get("KJ_UPDATE_REFERENCE"):
        REFERENCE.parent.mkdir(exist_ok=True)
        REFERENCE.write_bytes(data)
    got, want = parts(data), parts(REFERENCE.read_bytes())
    assert sorted(got) == sorted(want), "the workbook has other parts than the reference"
    for name in sorted(want):
        if got[name] != want[name]:
            diff = "\n".join(difflib.unified_diff(want[name].replace("><", ">\n<").splitlines(),
                                                  got[name].replace("><", ">\n<").splitlines(), "reference", "built",
                                                  lineterm="", n=1))
            raise AssertionError(f"{name} differs from the reference:\n{diff[:3000]}")
