"""`kj-budget build` never loses a workbook: it never overwrites its input file, never leaves a
half-written output (a build killed while writing leaves the old output whole), and replaces an
existing workbook with filled-in inputs only with --force; an untouched template is simply replaced."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import TODAY
from filling import fill

from workbook_builder.cli.main import main
from workbook_builder.core.model import Inputs, Step
from workbook_builder.workbook import build_workbook
from workbook_builder.xlsx import files
from workbook_builder.xlsx.filled_reader import read_workbook

ROOT = Path(__file__).resolve().parent.parent


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def filled(filled_once, tmp_path) -> Path:
    """A workbook a project leader has filled in (a fresh copy for each test)."""
    path = tmp_path / "gausdal.xlsx"
    path.write_bytes(filled_once)
    return path


@pytest.fixture(scope="module")
def filled_once(est, tmp_path_factory) -> bytes:
    """Built and filled in (openpyxl) once for the module: the same bytes each test starts from."""
    root = tmp_path_factory.mktemp("filled")
    build_workbook(root / "mal.xlsx", est, Inputs(), today=TODAY)
    return fill(root / "mal.xlsx", {"kj_municipality": "Gausdal", "kj_step_group#1": "a: Sykehjemsleger",
                                    "kj_step_staff#1": 25}, root / "gausdal.xlsx").read_bytes()


def test_an_untouched_template_is_simply_replaced_so_the_quick_start_runs_twice(tmp_path, capsys):
    out = tmp_path / "build" / "kjernejournal-budsjett.xlsx"
    assert main(["build", "--out", str(out)]) == 0
    assert main(["build", "--out", str(out)]) == 0
    assert main(["build", "--out", str(out), "--municipality", "Gausdal"]) == 0
    assert main(["build", "--out", str(out), "--municipality", "Gausdal"]) == 0  # only what it writes itself
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]


def test_a_workbook_with_filled_in_inputs_is_replaced_only_with_force(filled, est, capsys):
    before = sha(filled)
    assert main(["build", "--out", str(filled)]) == 3
    err = capsys.readouterr().err
    assert "holds 3 filled-in input value(s) this build would not keep" in err and "--force" in err
    assert sha(filled) == before
    assert main(["build", "--out", str(filled), "--force"]) == 0
    assert read_workbook(filled, est).inputs == Inputs()


def test_a_file_that_is_not_a_kj_workbook_is_replaced_only_with_force(tmp_path, capsys):
    out = tmp_path / "notes.xlsx"
    out.write_text("my notes")
    assert main(["build", "--out", str(out)]) == 3
    assert "exists and is not a budget workbook written by kj-budget; pass --force" in capsys.readouterr().err
    assert out.read_text() == "my notes"
    assert main(["build", "--out", str(out), "--force"]) == 0
    assert zipfile.is_zipfile(out)


def test_the_input_file_is_never_overwritten_even_with_force(filled, capsys):
    before = sha(filled)
    for extra in ([], ["--force"]):
        assert main(["build", "--from", str(filled), "--out", str(filled), *extra]) == 3
        assert "is a file this run reads; kj-budget never overwrites its input, not even with --force" \
            in capsys.readouterr().err
    same_file_other_spelling = filled.parent / "." / filled.name
    assert main(["build", "--from", str(filled), "--out", str(same_file_other_spelling), "--force"]) == 3
    assert sha(filled) == before


def test_from_writes_next_to_the_old_workbook_and_may_replace_its_own_untouched_output(filled, est, capsys):
    assert main(["build", "--from", str(filled)]) == 0
    out = filled.with_name("gausdal-regenerert.xlsx")
    assert "Wrote " + str(out) in capsys.readouterr().out
    assert read_workbook(out, est).inputs.steps == (Step(25, "a"),)
    assert main(["build", "--from", str(filled)]) == 0  # nothing typed into the output since: replaced
    fill(out, {"kj_hourly_rate": 500}, out)  # now someone types into it
    assert main(["build", "--from", str(filled)]) == 3
    assert "kj_hourly_rate = '500'" in capsys.readouterr().err
    assert main(["build", "--from", str(out), "--out", str(filled.with_name("again.xlsx"))]) == 0


def test_from_refuses_inputs_on_the_command_line(filled, capsys):
    assert main(["build", "--from", str(filled), "--municipality", "Lillehammer"]) == 2
    assert "cannot be combined with --from" in capsys.readouterr().err


class _HalfThenFail:
    """A file whose write stores half the bytes, then fails as a full disk does."""

    def __init__(self, fh) -> None:
        self.fh = fh

    def write(self, data: bytes) -> int:
        self.fh.write(data[: len(data) // 2])
        self.fh.flush()
        raise OSError(28, "No space left on device")

    def __getattr__(self, name):
        return getattr(self.fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.fh.close()


def test_a_write_that_fails_half_way_leaves_the_old_output_whole_and_no_temporary_file(filled, monkeypatch, capsys):
    out = filled.with_name("budsjett.xlsx")
    assert main(["build", "--from", str(filled), "--out", str(out)]) == 0
    before = sha(out)
    real = os.fdopen
    monkeypatch.setattr(files.os, "fdopen", lambda fd, mode: _HalfThenFail(real(fd, mode)))
    assert main(["build", "--from", str(filled), "--out", str(out), "--force"]) == 3
    err = capsys.readouterr().err
    assert "cannot write" in err and "No space left on device" in err
    assert sha(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["budsjett.xlsx", "gausdal.xlsx"]


KILLED_WRITER = """
import os, sys, time
from workbook_builder.xlsx import files
from workbook_builder.cli import main

real = os.fdopen
marker = sys.argv[1]

class Slow:
    def __init__(self, fh): self.fh = fh
    def write(self, data):
        self.fh.write(data[: len(data) // 2]); self.fh.flush(); os.fsync(self.fh.fileno())
        open(marker, "w").write(str(len(data) // 2))
        time.sleep(120)
    def __getattr__(self, name): return getattr(self.fh, name)
    def __enter__(self): return self
    def __exit__(self, *exc): self.fh.close()

files.os.fdopen = lambda fd, mode: Slow(real(fd, mode))
sys.exit(main(sys.argv[2:]))
"""


def test_a_build_killed_while_writing_leaves_the_old_output_whole(filled, est, tmp_path):
    out = filled.with_name("budsjett.xlsx")
    assert main(["build", "--from", str(filled), "--out", str(out)]) == 0
    before = sha(out)
    marker = tmp_path / "half-written"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(marker), "build", "--from", str(filled),
                             "--out", str(out), "--force"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "the build never started writing"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    temps = [p for p in out.parent.iterdir() if p.name.startswith(".budsjett.xlsx.") and p.suffix == ".tmp"]
    assert len(temps) == 1 and temps[0].stat().st_size == int(marker.read_text())  # killed half-way
    assert sha(out) == before  # the old output: same bytes
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None
    assert read_workbook(out, est).inputs.steps == (Step(25, "a"),)  # and it opens


def test_a_new_workbook_gets_ordinary_file_permissions(tmp_path):
    import os
    import stat

    from workbook_builder.xlsx.files import atomic_write_bytes

    umask = os.umask(0o022)
    try:
        atomic_write_bytes(tmp_path / "new.xlsx", b"data")
        assert stat.S_IMODE((tmp_path / "new.xlsx").stat().st_mode) == 0o644
        (tmp_path / "shared.xlsx").write_bytes(b"old")
        os.chmod(tmp_path / "shared.xlsx", 0o664)
        atomic_write_bytes(tmp_path / "shared.xlsx", b"new")
        assert stat.S_IMODE((tmp_path / "shared.xlsx").stat().st_mode) == 0o664  # a replaced file keeps its mode
    finally:
        os.umask(umask)
