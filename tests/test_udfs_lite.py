"""xlwings Lite embedding: the generated main.py is self-contained, the workbook carries it where
Excel and Lite look for it, the workbook still opens in openpyxl and LibreOffice, and main.py
taken back out of the workbook gives the same results in a fresh interpreter, through the same
xlwings code path, without this project importable."""

from __future__ import annotations

import ast
import asyncio
import datetime as dt
import importlib
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import defusedxml.ElementTree as SafeET
import lo
import openpyxl
import pytest
import xlsxwriter
import xlwings

from udfs import kj, officejs
from workbook_builder.core import model
from workbook_builder.core.estimates import EstimatesError, default_estimates_path, parse_estimates
from workbook_builder.xlsx import lite

ROOT = Path(__file__).resolve().parents[1]
NS = {"ct": lite.NS_CONTENT_TYPES, "rel": lite.NS_RELS, "we": lite.NS_WE, "wetp": lite.NS_WETP}
R_ID = f"{{{lite.NS_R}}}id"


def minimal_xlsx() -> bytes:
    """A small workbook as the builder writes them (XlsxWriter): values, a formula, a number format."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Budsjett")
    wb.set_properties({"created": dt.datetime(2026, 11, 28, 12, 0)})  # the same bytes every time it is built
    kr = wb.add_format({"num_format": '#,##0" kr"'})
    ws.write_string("A1", "Antall helsepersonell")
    ws.write_number("B1", 100)
    ws.write_string("A2", "Engangskostnad")
    ws.write_formula("B2", "=B1*2423.5", kr, 242_350)
    wb.close()
    return buf.getvalue()


@pytest.fixture(scope="module")
def main_py() -> str:
    return lite.lite_main_py()


@pytest.fixture(scope="module")
def embedded(main_py) -> bytes:
    return lite.embed_lite(minimal_xlsx(), main_py, lite.requirements_txt())


def parts(xlsx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        return {name: z.read(name) for name in z.namelist()}


def lite_settings(xlsx: bytes) -> dict[str, object]:
    """The web extension's properties, decoded as Office.js decodes its document settings."""
    root = SafeET.fromstring(parts(xlsx)[lite.PART_WEBEXTENSION])
    return {p.get("name"): json.loads(p.get("value")) for p in root.iterfind("we:properties/we:property", NS)}


# ----------------------------------------------------------------------------- main.py


def test_main_py_imports_nothing_of_this_project(main_py):
    imports = [line.strip() for line in main_py.splitlines() if re.match(r"\s*(from|import)\s", line)]
    assert not [i for i in imports if re.match(r"(from|import)\s+(\.|workbook_builder|udfs)", i)]
    assert {i.split()[1] for i in imports} <= {"__future__", "bisect", "hashlib", "math", "tomllib", "dataclasses",
                                               "pathlib", "typing", "datetime", "collections.abc", "decimal",
                                               "contextlib", "functools", "re", "stat", "xlwings", "gettext"}
    assert lite.EMBED_SKIP not in main_py


def test_main_py_has_the_future_import_once_as_its_first_statement(main_py):
    tree = ast.parse(main_py)
    assert isinstance(tree.body[0], ast.Expr)  # the module docstring
    first = tree.body[1]
    assert isinstance(first, ast.ImportFrom) and first.module == "__future__"
    assert main_py.count("from __future__ import annotations") == 1


def test_main_py_inlines_estimates_model_functions_and_the_estimates_text(main_py):
    tree = ast.parse(main_py)
    defined = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    for name in ("parse_estimates", "Estimates", "one_off", "resolve", "benefit", *(f.lower() for f in lite.FUNCTIONS)):
        assert defined.count(name) == 1, name
    consts = {n.targets[0].id: n.value for n in tree.body if isinstance(n, ast.Assign) and len(n.targets) == 1
              and isinstance(n.targets[0], ast.Name)}
    assert ast.literal_eval(consts["EMBEDDED_ESTIMATES"]) == default_estimates_path().read_text(encoding="utf-8")


def _top_level_names(source: str) -> tuple[set[str], set[str]]:
    """(names a module defines, names it imports) at its top level."""
    defined, imported = set(), set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            defined |= {t.id for t in targets if isinstance(t, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            imported |= {a.asname or a.name for a in node.names}
    return defined, imported


def test_the_inlined_modules_do_not_overwrite_each_others_names():
    """main.py is one namespace: no inlined module defines a name another defines, and no module's
    imports re-bind a name another module defines."""
    paths = [f"workbook_builder/core/{name}" for name in lite.CORE_EMBED] + ["udfs/kj.py"]
    names = {path: _top_level_names(lite.embeddable((ROOT / path).read_text(encoding="utf-8"))) for path in paths}
    for path, (defined, imported) in names.items():
        for other, (o_defined, _) in names.items():
            if other != path:
                assert not defined & o_defined, (path, other, defined & o_defined)
                assert not imported & o_defined, (path, other, imported & o_defined)


def test_a_marked_multi_line_import_is_dropped_whole():
    src = "import os\nfrom x import (  # kj:embed-skip\n    a,\n    b,\n)\nvalue = (1 +\n         2)\n"
    assert lite.embeddable(src) == "import os\nvalue = (1 +\n         2)\n"


def test_an_unmarked_project_import_is_refused():
    with pytest.raises(RuntimeError, match="not marked"):
        lite.embeddable("from workbook_builder import model\n")


def test_other_estimates_are_embedded_and_used(tmp_path):
    text = default_estimates_path().read_text(encoding="utf-8")
    text = text.replace("annual_kr = 661000", "annual_kr = 720000").replace('version = "2020-06.4"',
                                                                              'version = "test.1"')
    custom = parse_estimates(text)
    module = _load_main(lite.lite_main_py(text), tmp_path)
    expected = model.one_off(custom, 100, "pki").total_kr
    assert expected != model.one_off(parse_estimates(default_estimates_path().read_text()), 100, "pki").total_kr
    assert asyncio.run(officejs.acall(module, "kj_cost", 100, "pki")) == [[expected]]
    assert asyncio.run(officejs.acall(module, "kj_estimates")) == [[custom.name, "test.1"]]


def test_a_bad_estimates_text_is_refused_when_building_not_in_excel():
    with pytest.raises(EstimatesError):
        lite.lite_main_py("format = 1\n")


def _load_main(source: str, folder: Path):
    """Import a generated main.py as xlwings Lite does: as a module of its own."""
    name = f"kj_lite_main_{abs(hash(source))}"
    (folder / f"{name}.py").write_text(source, encoding="utf-8")
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(folder))


# ----------------------------------------------------------------------------- requirements, xlwings.conf


def test_requirements_pin_the_xlwings_whose_code_path_the_tests_run():
    first = lite.requirements_txt().splitlines()[0]
    assert first == f"xlwings=={xlwings.__version__}  # required" == "xlwings==0.37.8  # required"


def test_udf_config_names_the_module_with_the_functions():
    rows = lite.udf_config_rows()
    assert rows == [("UDF Modules", "udfs.kj")]
    module = importlib.import_module(rows[0][1])
    assert {f.lower() for f in lite.FUNCTIONS} <= {n for n in dir(module) if hasattr(getattr(module, n), "__xlfunc__")}


def test_the_builder_package_never_imports_udfs():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "workbook_builder").rglob("*.py")
                 if "commands" not in p.parts and re.search(r"^\s*(from|import)\s+udfs\b", p.read_text(), re.M)]
    assert offenders == []


# ----------------------------------------------------------------------------- the workbook parts


def test_content_types_and_package_relationship_announce_the_parts(embedded):
    p = parts(embedded)
    overrides = {o.get("PartName"): o.get("ContentType")
                 for o in SafeET.fromstring(p["[Content_Types].xml"]).iterfind("ct:Override", NS)}
    assert overrides["/xl/webextensions/taskpanes.xml"] == "application/vnd.ms-office.webextensiontaskpanes+xml"
    assert overrides["/xl/webextensions/webextension1.xml"] == "application/vnd.ms-office.webextension+xml"
    rels = SafeET.fromstring(p["_rels/.rels"]).findall("rel:Relationship", NS)
    assert len({r.get("Id") for r in rels}) == len(rels)
    pane = [r for r in rels if r.get("Type") == "http://schemas.microsoft.com/office/2011/relationships/"
            "webextensiontaskpanes"]
    assert [r.get("Target") for r in pane] == ["xl/webextensions/taskpanes.xml"]


def test_the_task_pane_opens_with_the_workbook_and_points_at_the_web_extension(embedded):
    p = parts(embedded)
    pane = SafeET.fromstring(p[lite.PART_TASKPANES]).find("wetp:taskpane", NS)
    assert pane.get("visibility") == "1" and pane.get("dockstate") == "right"
    rid = pane.find("wetp:webextensionref", NS).get(R_ID)
    rel = next(r for r in SafeET.fromstring(p[lite.PART_TASKPANES_RELS]).iterfind("rel:Relationship", NS)
               if r.get("Id") == rid)
    assert rel.get("Type") == "http://schemas.microsoft.com/office/2011/relationships/webextension"
    assert rel.get("Target") == "webextension1.xml"


def test_the_web_extension_is_xlwings_lite_from_the_store_with_the_code(embedded, main_py):
    root = SafeET.fromstring(parts(embedded)[lite.PART_WEBEXTENSION])
    assert root.tag == f"{{{lite.NS_WE}}}webextension" and re.fullmatch(r"\{[0-9A-F-]{36}\}", root.get("id"))
    ref = root.find("we:reference", NS)
    assert (ref.get("id"), ref.get("version"), ref.get("store"), ref.get("storeType")) == (
        "wa200008175", "1.0.0.0", "en-US", "OMEX")
    settings = lite_settings(embedded)
    assert settings["main.py"] == main_py
    assert settings["requirements.txt"] == lite.requirements_txt()
    assert settings["pyodideVersion"] == lite.LITE_PYODIDE_VERSION
    assert settings["addinVersion"] == lite.LITE_ADDIN_VERSION
    assert settings["Office.AutoShowTaskpaneWithDocument"] is True


def test_every_original_part_is_kept_unchanged_and_in_order(embedded):
    before, after = parts(minimal_xlsx()), parts(embedded)
    assert list(after)[: len(before)] == list(before)
    changed = {n for n in before if before[n] != after[n]}
    assert changed == {"[Content_Types].xml", "_rels/.rels"}


def test_openpyxl_reads_the_embedded_workbook(embedded):
    ws = openpyxl.load_workbook(io.BytesIO(embedded))["Budsjett"]
    assert (ws["A1"].value, ws["B1"].value, ws["B2"].value) == ("Antall helsepersonell", 100, "=B1*2423.5")
    cached = openpyxl.load_workbook(io.BytesIO(embedded), data_only=True)["Budsjett"]
    assert cached["B2"].value == 242_350


@pytest.mark.libreoffice
def test_libreoffice_opens_the_embedded_workbook(embedded, tmp_path):
    (tmp_path / "Budsjett.xlsx").write_bytes(embedded)
    pdf = lo.render_pdf(tmp_path / "Budsjett.xlsx", tmp_path / "pdf", single_page_sheets=False)  # checks it exists
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000


def test_the_same_code_gives_the_same_workbook(main_py):
    xlsx = minimal_xlsx()
    assert lite.embed_lite(xlsx, main_py, lite.requirements_txt()) == lite.embed_lite(xlsx, main_py,
                                                                                     lite.requirements_txt())


def test_a_workbook_that_already_has_add_in_parts_is_refused(embedded, main_py):
    with pytest.raises(ValueError, match="already has Office add-in parts"):
        lite.embed_lite(embedded, main_py, lite.requirements_txt())


def test_something_that_is_not_a_workbook_is_refused(main_py):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hei")
    with pytest.raises(ValueError, match=r"not an \.xlsx workbook"):
        lite.embed_lite(buf.getvalue(), main_py, lite.requirements_txt())


# ----------------------------------------------------------------------------- main.py from the workbook, run fresh

RUNNER = r"""
import asyncio, importlib.abc, json, sys

class NoProject(importlib.abc.MetaPathFinder):
    # kj-budget is installed on this machine: make sure main.py gets nothing from it
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("workbook_builder", "udfs"):
            raise ImportError(f"main.py imported {name}")
        return None

sys.meta_path.insert(0, NoProject())
sys.path.insert(0, sys.argv[1])
import main
import xlwings.server as server

out = {"meta": server.custom_functions_meta(main), "results": []}
for payload in json.loads(sys.stdin.read()):
    try:
        out["results"].append({"value": asyncio.run(server.custom_functions_call(payload, main))})
    except Exception as exc:
        out["results"].append({"error": f"{type(exc).__name__}: {exc}"})
out["project_modules"] = sorted(m for m in sys.modules if m.split(".")[0] in ("workbook_builder", "udfs"))
print(json.dumps(out, ensure_ascii=False))
"""

CALLS = [
    ("kj_cost", 30, "PKI-kort"), ("kj_cost", 100, "PKI-kort"), ("kj_cost", 400, "PKI-kort"),
    ("kj_cost", 100, "bankid", "612,5"), ("kj_cost", [[30, None], ["1 234", 7]], "BankID på mobil"),
    ("kj_cost", 250, "pki", None, "opplæring"), ("kj_hours", 64), ("kj_hours", [[12], [400]], "HelseID"),
    ("kj_eid_cost", [[30], [100], [401]], "pki", "650", None), ("kj_benefit", 800, "300", None, 5),
    ("kj_breakdown", 100, "PKI-kort"), ("kj_estimates",),
    ("kj_cost", 12.5, "pki"), ("kj_cost", 100, "kort"), ("kj_cost", [[1], ["x"]], "pki"),
    ("kj_hours", 100, "e-ID"), ("kj_cost", 100, "pki", "612.5"), ("kj_cost", 100, "PKI-kort", 438, None, 2020),
]


def test_main_py_from_the_workbook_runs_in_a_fresh_interpreter_like_the_project(embedded, tmp_path, server_mode):
    code_dir, cwd = tmp_path / "lite", tmp_path / "empty"
    code_dir.mkdir()
    cwd.mkdir()
    (code_dir / "main.py").write_text(lite_settings(embedded)["main.py"], encoding="utf-8")
    payloads = [officejs.payload(name, *args) for name, *args in CALLS]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial")
    r = subprocess.run([sys.executable, "-I", "-c", RUNNER, str(code_dir)], input=json.dumps(payloads),
                       capture_output=True, text=True, cwd=cwd, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    fresh = json.loads(r.stdout)
    assert fresh["project_modules"] == []
    assert fresh["meta"] == json.loads(json.dumps(server_mode.custom_functions_meta(kj)))

    here = []
    for payload in payloads:
        try:
            here.append({"value": asyncio.run(server_mode.custom_functions_call(payload, kj))})
        except Exception as exc:
            here.append({"error": f"{type(exc).__name__}: {exc}"})
    assert fresh["results"] == json.loads(json.dumps(here, ensure_ascii=False))

    est = parse_estimates(default_estimates_path().read_text(encoding="utf-8"))
    results = fresh["results"]
    assert [results[i]["value"] for i in range(3)] == [[[model.one_off(est, n, "pki").total_kr]]
                                                       for n in (30, 100, 400)]
    assert results[17]["value"] == [[325 * 438 + 100_000 + 125 * 0.5 * 438]]
    assert results[12] == {"error": "XlwingsError: Antall helsepersonell må være et heltall, fikk 12,5"}


@pytest.fixture(scope="module")
def server_mode():
    return officejs.server_mode()
