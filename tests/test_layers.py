"""The project's layers, read from the source: every import points down, never up or sideways, and the
model's core is standard-library Python (xlwings Lite runs it embedded whole in main.py).

    core      workbook_builder/core: estimates, model, numbers, vocabulary, errors, textinput
    base      workbook_builder/__init__ (the version), templating, cells (the register of names)
    xlsx      workbook_builder/xlsx: writing files safely, reading workbooks, the Lite embedding
    sheets    workbook_builder/sheets: one module per sheet
    workbook  workbook_builder/workbook.py: the sheets put together
    services  workbook_builder/services: regenerate, memo, notice, batch, collect
    cli       workbook_builder/cli: the command line
    udfs      udfs/: the Excel functions, on top of the core only
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ORDER = ("core", "base", "xlsx", "sheets", "workbook", "services", "cli")


def layer(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "udfs":
        return "udfs"
    assert parts[0] == "workbook_builder", module
    if len(parts) == 1 or parts[1] in ("templating", "cells"):
        return "base"
    if parts[1] == "workbook":
        return "workbook"
    return parts[1]


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """Every module `path` imports (top level and inside functions), absolute."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: relative import (the project imports absolutely)"
            found.append((node.lineno, node.module or ""))
            # `from workbook_builder import x` may name a submodule
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names
                      if (ROOT / Path(*f"{node.module}.{a.name}".split("."))).with_suffix(".py").exists()
                      or (ROOT / Path(*f"{node.module}.{a.name}".split("."))).is_dir()]
    return found


SOURCES = sorted([*(ROOT / "workbook_builder").rglob("*.py"), *(ROOT / "udfs").rglob("*.py")])
OURS = ("workbook_builder", "udfs")


def wrong_imports(path: Path, module: str) -> list[str]:
    """What is wrong with the imports of `path` (as module `module`): an import up or sideways, the
    Excel functions using more than the core, the core using more than the standard library."""
    me, problems = layer(module), []
    for line, name in imports(path):
        where = f"{module}:{line} imports {name}"
        top = name.split(".")[0]
        if top not in OURS:
            if me == "core" and top not in sys.stdlib_module_names and top != "__future__":
                problems.append(f"{where}, not in the standard library (xlwings Lite embeds the core)")
            continue
        other = layer(name)
        if me == "udfs":
            if other not in ("core", "udfs"):
                problems.append(f"{where}: the Excel functions use the core only")
        elif other == "udfs":
            problems.append(f"{where}: nothing calls the Excel functions")
        elif ORDER.index(other) > ORDER.index(me):
            problems.append(f"{where}: {me} may not import {other} (a higher layer)")
    return problems


def test_the_layout_has_every_layer():
    assert {layer(module_name(p)) for p in SOURCES} == {*ORDER, "udfs"}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down_and_the_core_is_standard_library(path):
    assert wrong_imports(path, module_name(path)) == []


@pytest.mark.parametrize(("module", "source", "expected"), [
    ("workbook_builder.core.model", "from workbook_builder.sheets import base\n", "core may not import sheets"),
    ("workbook_builder.core.model", "import numpy as np\n", "not in the standard library"),
    ("workbook_builder.xlsx.filled_reader", "def f():\n    from workbook_builder.services import memo\n",
     "xlsx may not import services"),
    ("workbook_builder.sheets.budsjett", "from workbook_builder import workbook\n", "sheets may not import workbook"),
    ("udfs.kj", "from workbook_builder.cells import INPUTS\n", "the Excel functions use the core only"),
    ("workbook_builder.services.memo", "import udfs.kj\n", "nothing calls the Excel functions"),
])
def test_the_rule_catches_a_wrong_import(tmp_path, module, source, expected):
    probe = tmp_path / "probe.py"
    probe.write_text(source, encoding="utf-8")
    problems = wrong_imports(probe, module)
    assert problems and all(expected in p for p in problems)


def test_a_right_import_passes(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import math\nfrom workbook_builder.core.numbers import nb_kr\n", encoding="utf-8")
    assert wrong_imports(probe, "workbook_builder.core.model") == []
    assert wrong_imports(probe, "udfs.kj") == []


BLOCKED_IMPORT = """
import sys

class Block:
    def find_spec(self, name, path=None, target=None):
        top = name.split(".")[0]
        if top not in sys.stdlib_module_names and top != "workbook_builder":
            raise ImportError(f"blocked: {name}")
        return None

sys.meta_path.insert(0, Block())
import importlib, pkgutil
import workbook_builder.core as core
for m in pkgutil.iter_modules(core.__path__):
    importlib.import_module(f"workbook_builder.core.{m.name}")
from workbook_builder.core.estimates import load_estimates
from workbook_builder.core.model import Inputs, Step, budget
b = budget(load_estimates(), Inputs(steps=(Step(120, group="a", year=2027),), eid="pki"))
ours = [k for k in sys.modules if k.split(".")[0] not in sys.stdlib_module_names and k != "__main__"]
print(b.one_off.total_kr, sorted(ours))
"""


def test_the_core_runs_with_every_other_library_blocked():
    """Import every core module and compute a budget with only the standard library importable."""
    r = subprocess.run([sys.executable, "-S", "-c", BLOCKED_IMPORT], cwd=ROOT, capture_output=True, text=True,
                       timeout=60, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr
    total, loaded = r.stdout.split(" ", 1)
    assert float(total) > 0
    assert all(m.startswith("workbook_builder") for m in eval(loaded))  # noqa: S307 - our own probe's list
