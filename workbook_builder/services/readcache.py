"""What `collect` read before: a workbook is not read again while its bytes, the estimates and kj-budget are the same.

A regional coordinator runs `collect` again and again as the workbooks come in; most of them have not changed
since the last run. An entry (the workbook's inputs, the model's budget, the findings and notes: what one
`read_one` gives) is kept under

- the SHA-256 of the file's bytes: not its name or time, so a copy, a renamed or a touched file is found, and a
  file with one byte changed is not (it is read again);
- the estimates' SHA-256 (other estimates, other numbers);
- a fingerprint of the code that reads and budgets it: every Python file of this package, kj-budget's and
  python-calamine's versions and Python's (an upgrade, or an edited source, is a new cache);
- the day, for a workbook without a build date (its default first budget year is taken from today).

The entries live in one SQLite file (written in transactions, safe with two runs at once) in the user's cache
folder (platformdirs: ~/.cache/kj-budget on Linux, %LOCALAPPDATA%\\kj-budget\\Cache on Windows, or the folder
KJ_BUDGET_CACHE_DIR names). They are pickles, so the file is used only when it is the user's own, in a folder only
the user may write to (POSIX). A cache that cannot be opened, read or written is passed by: collect then reads
every workbook, as with `--no-cache`. Nothing a user asked for is written there, so the output rule does not
apply; clearing the folder loses nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import os
import pickle
import sqlite3
import stat
import sys
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from workbook_builder import __version__
from workbook_builder.core.estimates import Estimates
from workbook_builder.xlsx.filled_reader import UnreadableWorkbook, file_bytes

if TYPE_CHECKING:
    from workbook_builder.services.collect import Entry

CACHE_ENV = "KJ_BUDGET_CACHE_DIR"
CACHE_FILE = "collect.sqlite3"
MAX_ENTRIES = 20_000  # the oldest beyond this are dropped (a region of 356 municipalities, many versions each)
SCHEMA = ("CREATE TABLE IF NOT EXISTS entries (digest TEXT NOT NULL, code TEXT NOT NULL, estimates TEXT NOT NULL, "
          "day TEXT NOT NULL, stored REAL NOT NULL, entry BLOB NOT NULL, PRIMARY KEY (digest, code, estimates, day))")


def cache_folder() -> Path:
    """Where the cache lives: KJ_BUDGET_CACHE_DIR, else the user's cache folder for kj-budget."""
    named = os.environ.get(CACHE_ENV, "").strip()
    if named:
        return Path(named).expanduser()
    import platformdirs  # only when a cache is opened: it is not needed to start

    return Path(platformdirs.user_cache_dir("kj-budget", appauthor=False))


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The code an entry was made by: this package's Python files (names and bytes), the versions of kj-budget,
    python-calamine and Python. Any difference is another cache, never a stale entry."""
    from importlib import metadata

    h = hashlib.sha256()
    try:
        calamine = metadata.version("python-calamine")
    except metadata.PackageNotFoundError:
        calamine = "-"
    h.update(f"{__version__}|{calamine}|{sys.version_info[:3]}|{pickle.HIGHEST_PROTOCOL}".encode())
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        h.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ReadCache:
    """Entries of workbooks read before, by their bytes; `open` gives None when there is no usable cache."""

    def __init__(self, db: sqlite3.Connection, est: Estimates) -> None:
        self.db, self.est, self.code = db, est, code_fingerprint()
        self.hits = 0

    @classmethod
    def open(cls, est: Estimates, folder: Path | None = None) -> ReadCache | None:
        """The cache in `folder` (default `cache_folder()`), created if need be; None when it cannot be used.
        A file that is not a database of ours (damaged, or another program's) is replaced."""
        folder = folder or cache_folder()
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _private(folder):
                return None
            path = folder / CACHE_FILE
            if path.is_symlink() or (path.exists() and not _private(path, file=True)):
                return None
            for attempt in (1, 2):
                try:
                    db = sqlite3.connect(path, timeout=2.0, isolation_level=None)
                    # A cache need not survive a power cut (a damaged file is replaced): no waiting for the disk.
                    db.execute("PRAGMA synchronous = OFF")
                    db.execute(SCHEMA)
                    db.execute("SELECT digest, code, estimates, day, stored, entry FROM entries LIMIT 1").fetchall()
                    break
                except sqlite3.DatabaseError:
                    if attempt == 2 or not path.is_file():
                        return None
                    db.close()
                    path.unlink()  # damaged, or not ours: a cache loses nothing by starting again
            cache = cls(db, est)
            if db.execute("SELECT 1 FROM entries WHERE code != ? LIMIT 1", (cache.code,)).fetchone():
                with db:  # an older kj-budget's entries: never asked for again
                    db.execute("BEGIN IMMEDIATE")
                    db.execute("DELETE FROM entries WHERE code != ?", (cache.code,))
            return cache
        except (OSError, sqlite3.Error):
            return None

    def get(self, path: Path, today: dt.date) -> tuple[str, Entry | None]:
        """(the digest of the file's bytes, its entry when one was kept, with this path); ("", None) when the
        file cannot be read here (the reader then says why). The caller sets the file's time (`saved_at`)."""
        t = time.perf_counter()
        try:
            digest = digest_of(file_bytes(path))
        except UnreadableWorkbook:
            return "", None
        try:
            row = self.db.execute("SELECT entry FROM entries WHERE digest = ? AND code = ? AND estimates = ? AND "
                                  "day IN ('', ?) LIMIT 1",
                                  (digest, self.code, self.est.sha256, today.isoformat())).fetchone()
            if row is None:
                return digest, None
            entry: Entry = pickle.loads(row[0])
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError,
                ValueError, IndexError):
            return digest, None
        self.hits += 1
        return digest, replace(entry, path=path, seconds=time.perf_counter() - t)

    def put(self, entries: Iterable[Entry]) -> None:
        """Keep the entries read from known bytes (those with a digest); a failure to write is passed by."""
        rows = [(e.digest, self.code, self.est.sha256, e.today.isoformat() if e.today else "", time.time(),
                 pickle.dumps(replace(e, path=Path(e.path.name), saved_at=0.0, seconds=0.0),
                              protocol=pickle.HIGHEST_PROTOCOL))
                for e in entries if e.digest]
        if not rows:
            return
        try:
            with self.db:
                self.db.execute("BEGIN IMMEDIATE")
                self.db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?)", rows)
                self.db.execute("DELETE FROM entries WHERE rowid IN (SELECT rowid FROM entries ORDER BY stored DESC "
                                "LIMIT -1 OFFSET ?)", (MAX_ENTRIES,))
        except sqlite3.Error:
            pass

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.close()


def _private(path: Path, file: bool = False) -> bool:
    """On POSIX: the user's own, and no one else may write to it (a pickle is code). Elsewhere: the user's
    profile folder is the user's."""
    if os.name != "posix":
        return True
    st = path.lstat()
    if file and not stat.S_ISREG(st.st_mode):
        return False
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
