"""The README's console examples run: each `$ kj-budget ...` line is run, and the lines shown under it
must appear in its output, in order (`...` stands for lines left out)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).parent.parent / "README.md"


def examples() -> list[tuple[str, list[str]]]:
    found = []
    for block in re.findall(r"```console\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S):
        command, expected = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command:
                    found.append((command, expected))
                command, expected = line[2:], []
            elif command is not None:
                expected.append(line)
        if command:
            found.append((command, expected))
    return found


def test_the_readme_has_console_examples():
    assert len(examples()) >= 2


@pytest.mark.parametrize(("command", "expected"), examples(), ids=[c for c, _ in examples()])
def test_readme_example(command, expected, tmp_path):
    args = shlex.split(command)
    assert args[0] == "kj-budget"
    r = subprocess.run([sys.executable, "-m", "workbook_builder.cli", *args[1:]], capture_output=True, text=True,
                       cwd=tmp_path, env={"COLUMNS": "80", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(README.parent)})
    assert r.returncode == 0, r.stderr
    lines = [line.rstrip() for line in r.stdout.splitlines()]
    pos = 0
    for want in expected:
        if want.strip() in ("...", ""):
            continue
        for k in range(pos, len(lines)):
            if lines[k] == want.rstrip():
                pos = k + 1
                break
        else:
            pytest.fail(f"{command}: line not found (in order): {want!r}\n--- output ---\n{r.stdout}")
