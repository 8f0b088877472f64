"""The command line answers at once: only the module of the command that runs is imported, so
`kj-budget cost` and `kj-budget --version` never load pandas, XlsxWriter, openpyxl or WeasyPrint.
(How fast it starts is measured by bench/bench_cli.py, not here: no timed tests.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workbook_builder.cli.commands import HELP
from workbook_builder.cli.main import main

ROOT = Path(__file__).parent.parent
HEAVY = {"pandas", "numpy", "xlsxwriter", "openpyxl", "weasyprint", "jinja2", "python_calamine", "defusedxml",
         "xlwings", "udfs"}

PROBE = """
import json, sys
from workbook_builder.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(m.split(".")[0] for m in sys.modules)}))
"""


def imported(*argv: str) -> tuple[int, set[str]]:
    r = subprocess.run([sys.executable, "-c", PROBE, *argv], cwd=ROOT, capture_output=True, text=True, timeout=60)
    last = json.loads(r.stdout.strip().splitlines()[-1])
    return last["code"], set(last["modules"])


@pytest.mark.parametrize("argv", [["cost", "--staff", "65", "--eid", "pki", "--json"],
                                  ["cost", "--staff", "65", "--eid", "pki"]])
def test_cost_imports_no_excel_library_and_no_pandas(argv):
    code, modules = imported(*argv)
    assert code == 0 and not modules & HEAVY, modules & HEAVY


def test_collect_imports_no_pandas(tmp_path):
    """collect reads with python-calamine and writes with XlsxWriter: pandas (0.4–0.6 s to import, most of a
    regional collect's start) is not loaded, neither by the command nor by a worker (workers are forked)."""
    assert main(["build", "--municipality", "Gausdal", "--out", str(tmp_path / "a.xlsx")]) == 0
    code, modules = imported("collect", str(tmp_path), "--out", str(tmp_path / "oversikt.xlsx"))
    assert code == 0 and (tmp_path / "oversikt.xlsx").exists()
    assert "pandas" not in modules and "numpy" not in modules, sorted(modules & HEAVY)


def test_version_imports_no_command_and_not_the_model():
    code, modules = imported("--version")
    assert code == 0 and not modules & HEAVY
    r = subprocess.run([sys.executable, "-c", "import sys; from workbook_builder.cli import main; main(['--version']);"
                        " print([m for m in sys.modules if m.startswith('workbook_builder.')])"], cwd=ROOT,
                       capture_output=True, text=True, timeout=60)
    loaded = eval(r.stdout.strip().splitlines()[-1])  # noqa: S307 - our own probe's list literal
    commands = {m for m in loaded if m.startswith("workbook_builder.cli.")} - {"workbook_builder.cli.main",
                                                                                "workbook_builder.cli.commands"}
    assert "workbook_builder.core.model" not in loaded and not commands


def test_help_lists_every_command_without_importing_them(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name, text in HELP.items():
        assert name in out and text[:40] in out


def test_each_command_still_has_its_full_help(capsys):
    for name in HELP:
        assert main([name, "--help"]) == 0
        assert f"usage: kj-budget {name}" in capsys.readouterr().out


def test_a_usage_error_is_one_line_and_exit_2(capsys):
    assert main(["cost", "--staff"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "(see kj-budget cost --help)" in err


def test_a_number_beginning_with_a_dash_is_explained_not_just_missing(capsys):
    """argparse takes «-1,5» for an option (its rule for negative numbers knows only -5 and -0.5): say how to
    give it; a missing value before the next option gets no such hint."""
    assert main(["cost", "--staff", "-1,5", "--eid", "pki"]) == 2
    err = capsys.readouterr().err
    assert "argument --staff: expected one argument: '-1,5' begins with '-'; write --staff=-1,5" in err
    assert main(["cost", "--staff", "--eid", "pki"]) == 2
    err = capsys.readouterr().err
    assert "expected one argument (see kj-budget cost --help)" in err and "begins with" not in err
    assert main(["cost", "--staff=-1,5", "--eid", "pki"]) == 2  # the value reaches the number rule
    assert "must be a whole number, got '-1,5'" in capsys.readouterr().err


def test_a_reader_that_goes_away_is_no_traceback():
    """`kj-budget estimates --json | head -1`: the reader of the output has gone; the command ends quietly (141)."""
    import os

    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody reads: every write fails with a broken pipe
    try:
        r = subprocess.run([sys.executable, "-m", "workbook_builder.cli", "estimates", "--json"], cwd=ROOT,
                           stdout=write_end, stderr=subprocess.PIPE, timeout=60)
    finally:
        os.close(write_end)
    assert r.returncode == 141 and r.stderr == b""
