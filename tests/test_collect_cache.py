"""collect's cache (workbook_builder.services.readcache): a workbook whose bytes were read before, with the same
estimates and the same code, is not read again; anything else is. The overview is the same either way."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import TODAY

from workbook_builder.cli.main import main
from workbook_builder.core.model import Inputs, Step
from workbook_builder.services import collect as collect_service
from workbook_builder.services.collect import Entry, collect, read_one
from workbook_builder.services.readcache import CACHE_FILE, ReadCache
from workbook_builder.workbook import build_workbook

MUNICIPALITIES = [("3440", "Øyer", 40), ("3405", "Lillehammer", 120), ("3407", "Gjøvik", 90)]


def build(path: Path, est, number: str, name: str, staff: int) -> Path:
    build_workbook(path, est, Inputs(municipality=name, municipality_number=number, vendor="profil",
                                     steps=(Step(staff, "a", "", 2027), Step(staff * 3, "c", "Sone 1", 2028))),
                   today=TODAY)
    return path


@pytest.fixture(scope="module")
def folder(est, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("region")
    for number, name, staff in MUNICIPALITIES:
        build(root / f"{number}.xlsx", est, number, name, staff)
    return root


@pytest.fixture
def region(folder, tmp_path) -> Path:
    """A copy of the three workbooks that a test may change."""
    return Path(shutil.copytree(folder, tmp_path / "region"))


@pytest.fixture
def reads(monkeypatch) -> list[Path]:
    """The workbooks actually read (collect on one process calls read_one for each)."""
    seen: list[Path] = []
    real = collect_service.read_one

    def counting(path, est, today, digest=False):
        seen.append(path)
        return real(path, est, today, digest)

    monkeypatch.setattr(collect_service, "read_one", counting)
    return seen


def run_collect(region: Path, out: Path, *extra: str) -> int:
    return main(["collect", str(region), "--out", str(out), "--workers", "1", "--force", *extra])


def test_a_second_collect_reads_no_unchanged_workbook_and_writes_the_same_overview(region, tmp_path, reads, capsys):
    out = tmp_path / "oversikt.xlsx"
    assert run_collect(region, out) == 0
    first = out.with_suffix(".csv").read_bytes()
    assert len(reads) == 3 and "from the cache" not in capsys.readouterr().out
    assert run_collect(region, out) == 0
    assert len(reads) == 3  # nothing read the second time
    assert "Read 3 of 3 workbook(s) (3 unchanged since an earlier collect, from the cache)" in capsys.readouterr().out
    assert out.with_suffix(".csv").read_bytes() == first


def test_a_changed_workbook_is_read_again_even_with_its_old_size_and_time(est, region, tmp_path, reads):
    out = tmp_path / "oversikt.xlsx"
    assert run_collect(region, out) == 0
    changed = region / "3440.xlsx"
    st = changed.stat()
    build(changed, est, "3440", "Øyer", 41)  # one more person in group a
    os.utime(changed, ns=(st.st_atime_ns, st.st_mtime_ns))
    reads.clear()
    assert run_collect(region, out) == 0
    assert reads == [changed]
    row = next(line for line in out.with_suffix(".csv").read_text("utf-8-sig").splitlines() if "Øyer" in line)
    assert ";41;" in row and ";123;" in row  # group a 41, group c 123: the new workbook's, not the cached one's


def test_a_copy_under_another_name_is_known_by_its_bytes_and_keeps_its_own_name_and_time(est, region, tmp_path):
    cache = ReadCache.open(est, tmp_path / "cache")
    assert cache is not None
    original = region / "3405.xlsx"
    [first] = collect([original], est, workers=1, today=TODAY, cache=cache)
    copy = region / "kopi-lillehammer.xlsx"
    shutil.copyfile(original, copy)
    os.utime(copy, (1_900_000_000, 1_900_000_000))
    [again] = collect([copy], est, workers=1, today=TODAY, cache=cache)
    assert cache.hits == 1
    assert isinstance(first, Entry) and isinstance(again, Entry)
    assert again.path == copy and again.saved_at == 1_900_000_000  # the newer of two copies counts by its time
    assert again.budget == first.budget and again.inputs == first.inputs and again.digest == first.digest


def test_an_entry_is_keyed_by_the_sha256_of_the_bytes_it_was_read_from(est, region):
    path = region / "3407.xlsx"
    entry = read_one(path, est, TODAY, digest=True)
    assert isinstance(entry, Entry)
    assert entry.digest == hashlib.sha256(path.read_bytes()).hexdigest()
    assert read_one(path, est, TODAY).digest == ""  # only when asked for (no cache: no hashing)


def test_other_estimates_read_every_workbook_again(est, region, tmp_path):
    folder = tmp_path / "cache"
    paths = sorted(region.glob("*.xlsx"))
    cache = ReadCache.open(est, folder)
    assert cache is not None
    collect(paths, est, workers=1, today=TODAY, cache=cache)
    other = replace(est, sha256="0" * 64)
    cache_other = ReadCache.open(other, folder)
    assert cache_other is not None
    collect(paths, other, workers=1, today=TODAY, cache=cache_other)
    assert cache_other.hits == 0
    same = ReadCache.open(est, folder)
    assert same is not None
    collect(paths, est, workers=1, today=TODAY, cache=same)
    assert same.hits == 3


def test_a_budget_that_took_today_is_used_on_that_day_only(est, region, tmp_path):
    """A workbook without a build date takes its default first budget year from today: its entry is today's."""
    cache = ReadCache.open(est, tmp_path / "cache")
    assert cache is not None
    path = region / "3440.xlsx"
    entry = read_one(path, est, TODAY, digest=True)
    assert isinstance(entry, Entry) and entry.today is None  # the workbooks kj-budget builds record their date
    cache.put([replace(entry, today=TODAY)])
    assert cache.get(path, TODAY + dt.timedelta(days=1))[1] is None
    hit = cache.get(path, TODAY)[1]
    assert hit is not None and hit.budget == entry.budget


def test_entries_of_another_kj_budget_are_dropped_when_the_cache_is_opened(est, tmp_path):
    folder = tmp_path / "cache"
    cache = ReadCache.open(est, folder)
    assert cache is not None
    cache.db.execute("INSERT INTO entries VALUES ('d', 'an older code', ?, '', 0, x'00')", (est.sha256,))
    cache.close()
    assert ReadCache.open(est, folder) is not None
    with sqlite3.connect(folder / CACHE_FILE) as db:
        assert db.execute("SELECT COUNT(*) FROM entries").fetchone() == (0,)


def test_a_damaged_cache_file_is_replaced_and_collect_goes_on(est, region, tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    (folder / CACHE_FILE).write_bytes(b"this is not a database" * 100)
    cache = ReadCache.open(est, folder)
    assert cache is not None
    collect([region / "3440.xlsx"], est, workers=1, today=TODAY, cache=cache)
    again = ReadCache.open(est, folder)
    assert again is not None
    collect([region / "3440.xlsx"], est, workers=1, today=TODAY, cache=again)
    assert again.hits == 1


def test_a_cache_folder_others_may_write_to_is_not_used(region, tmp_path, monkeypatch, reads, capsys):
    """Entries are pickles (code): a folder anyone may write to could hold someone else's. collect reads every
    workbook instead, and says nothing is wrong."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("KJ_BUDGET_CACHE_DIR", str(shared))
    out = tmp_path / "oversikt.xlsx"
    assert run_collect(region, out) == 0
    assert run_collect(region, out) == 0
    assert len(reads) == 6 and "from the cache" not in capsys.readouterr().out
    assert not (shared / CACHE_FILE).exists()


def test_a_cache_that_cannot_be_created_is_passed_by(region, tmp_path, monkeypatch, reads):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("KJ_BUDGET_CACHE_DIR", str(blocker / "cache"))
    assert run_collect(region, tmp_path / "oversikt.xlsx") == 0
    assert len(reads) == 3


def test_no_cache_reads_every_workbook_and_keeps_nothing(region, tmp_path, monkeypatch, reads):
    folder = tmp_path / "cache"
    monkeypatch.setenv("KJ_BUDGET_CACHE_DIR", str(folder))
    out = tmp_path / "oversikt.xlsx"
    assert run_collect(region, out, "--no-cache") == 0
    assert run_collect(region, out, "--no-cache") == 0
    assert len(reads) == 6 and not folder.exists()


def test_two_workers_fill_the_cache_as_one_does(est, folder, tmp_path):
    """On processes (8 files or more) the workers hash the bytes they read; the entries are kept all the same."""
    paths = []
    for k in range(8):
        paths.append(tmp_path / f"{k}.xlsx")
        shutil.copyfile(folder / "3440.xlsx" if k % 2 else folder / "3407.xlsx", paths[-1])
    cache = ReadCache.open(est, tmp_path / "cache")
    assert cache is not None
    first = collect(paths, est, workers=2, today=TODAY, cache=cache)
    assert all(isinstance(e, Entry) and e.digest for e in first)
    again = collect(paths, est, workers=2, today=TODAY, cache=cache)
    assert cache.hits == 8 and [e.path for e in again] == paths
    assert [e.budget for e in again] == [e.budget for e in first]


def test_two_collects_at_once_share_the_cache_and_both_finish(est, region, tmp_path, monkeypatch):
    """As the docs say: SQLite's transactions let two runs (two coordinators, or a script and a person) use one
    cache at once; each writes its overview, and a third run finds every workbook in the cache."""
    import subprocess
    import sys

    folder = tmp_path / "cache"
    monkeypatch.setenv("KJ_BUDGET_CACHE_DIR", str(folder))
    runs = [subprocess.Popen([sys.executable, "-m", "workbook_builder.cli", "collect", str(region), "--out",
                              str(tmp_path / f"oversikt-{k}.xlsx"), "--workers", "1"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for k in range(2)]
    results = [r.communicate(timeout=120) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], results
    assert (tmp_path / "oversikt-0.csv").read_bytes() == (tmp_path / "oversikt-1.csv").read_bytes()
    cache = ReadCache.open(est, folder)
    assert cache is not None
    hits = [cache.get(p, dt.date.today())[1] for p in sorted(region.glob("*.xlsx"))]
    assert all(h is not None for h in hits)
