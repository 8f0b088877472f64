"""The one output rule: every file a command writes is checked here, all of them before any is written.

A command lists its targets (each with the kind of file it writes there) and the files it reads in the
same run, and calls :func:`check_targets`; then :func:`write_outputs` writes them all. The rule:

1. **Never an input of the same run**: not the same path, not a symbolic link to it, not a hard link to
   it (same device and inode), not even with ``--force``.
2. **Never an existing file that kj-budget did not write**, unless ``--force``. An existing file that
   is *our own earlier output of the same kind* may be replaced; how each kind is recognised is in its
   :class:`Kind` (``how``), and the README lists them. A kind may add a condition (a budget workbook that
   holds filled-in inputs this run would not write again is replaced only with ``--force``).
3. **Every file the command writes** (the PDF beside the memo's HTML, the CSV beside the overview) is a
   target and is checked the same way, before anything is written.
4. **Atomic writes**: each file is written to a temporary file in its folder, flushed to disk, and all
   of them are renamed over their targets only when every one was written (``files.atomic_write_many``).
5. **Errors name the target** (never a temporary file) and exit with code 3 (``errors.EXIT_WRITE``).

Adding a command that writes (``lines``, …) is: make its ``Target``s, call ``check_targets`` and
``write_outputs``. Nothing here imports an Excel library at import time.
"""

from __future__ import annotations

import os
import re
import stat
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from workbook_builder.core.errors import EXIT_WRITE, CliError
from workbook_builder.core.i18n import MALFORMS, N_, tr
from workbook_builder.xlsx.files import atomic_write_many

GENERATOR = "kj-budget"
SNIFF_BYTES = 4096  # how much of a text file is read to recognise it
MAX_SNIFF_PDF_BYTES = 20 * 2**20  # a memo PDF is a few hundred KB; a bigger file is not ours


@dataclass(frozen=True)
class Kind:
    """A kind of file kj-budget writes, and how an existing file is recognised as our own earlier one."""

    name: str  # e.g. "budget workbook", for messages
    how: str  # how it is recognised, in one sentence (README, messages)
    recognise: Callable[[Path], bool]


@dataclass(frozen=True)
class Target:
    """One file a command will write.

    ``label`` says how the user named it (``--out oversikt.xlsx``, ``the CSV beside it``);
    ``keeps`` may refuse to replace our own earlier output without ``--force`` (it returns the reason,
    or "" when replacing loses nothing)."""

    path: Path
    kind: Kind
    label: str = ""
    keeps: Callable[[Path], str] | None = None

    def __str__(self) -> str:
        return self.label or str(self.path)


# ----------------------------------------------------------------------------- recognising our own files


def _head(path: Path, n: int = SNIFF_BYTES) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(n)
    except OSError:
        return b""




# The follow-up note's generator says so after the version (services/followup_memo.GENERATOR_KIND), in its
# HTML head and so in its PDF's /Creator: a budget memo and a follow-up note are two kinds of file.
FOLLOWUP_MARK = b"follow-up note"
_GENERATOR_CONTENT = re.compile(rb'<meta\s+name="generator"\s+content="kj-budget[ "][^"]*"', re.IGNORECASE)


def _html_generator(path: Path) -> bytes | None:
    """The content of a kj-budget generator meta in the file's head (None when there is none)."""
    found = _GENERATOR_CONTENT.search(_head(path))
    return found.group(0) if found else None


def _pdf_creator(path: Path) -> bytes | None:
    """The part of a PDF that holds kj-budget's /Creator (WeasyPrint copies the HTML's generator into it,
    inside a compressed object stream), or None when the file is not such a PDF."""
    try:
        if path.stat().st_size > MAX_SNIFF_PDF_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(b"%PDF-"):
        return None
    marker = b"kj-budget "
    if marker in data:
        return data
    for m in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", m.end())
        if end < 0:
            break
        try:
            d = zlib.decompressobj()
            chunk = d.decompress(data[m.end():end], 2**20)
        except zlib.error:
            continue
        if b"/Creator" in chunk and marker in chunk:
            return chunk
    return None


def _ours(mark_of: Callable[[Path], bytes | None], followup: bool) -> Callable[[Path], bool]:
    """Whether a file is our memo (`followup` False) or our follow-up note (True): `mark_of` finds kj-budget's
    generator in it (the HTML's meta, the PDF's /Creator), and the follow-up note's says so (FOLLOWUP_MARK)."""
    def recognise(path: Path) -> bool:
        mark = mark_of(path)
        return mark is not None and (FOLLOWUP_MARK in mark) == followup
    return recognise


_is_memo_html, _is_followup_html = _ours(_html_generator, False), _ours(_html_generator, True)
_is_memo_pdf, _is_followup_pdf = _ours(_pdf_creator, False), _ours(_pdf_creator, True)


def _is_notice(path: Path) -> bool:
    """The vendor notice: a plain-text message whose first lines are its headers (Til, Kopi, Emne about
    kjernejournal), as ``templates/notice.txt.j2`` writes them."""
    try:
        lines = _head(path).decode("utf-8").splitlines()[:6]
    except UnicodeDecodeError:
        return False
    return bool(lines) and lines[0].startswith("Til: ") and any(
        ln.startswith("Emne: ") and "jernejournal" in ln for ln in lines)


def _workbook_properties(path: Path) -> dict[str, str] | None:
    """The custom document properties of an .xlsx (None when it is not a readable workbook)."""
    from workbook_builder.xlsx.filled_reader import UnreadableWorkbook, WorkbookFile

    try:
        with WorkbookFile(path) as wb:
            props = wb.custom_properties()
            props["_names"] = " ".join(n for n in wb.names if n.startswith("kj_"))
            return props
    except (UnreadableWorkbook, OSError):
        return None


def _is_budget_workbook(path: Path) -> bool:
    props = _workbook_properties(path)
    if props is None:
        return False
    names = props["_names"].split()
    return props.get("kj_kind", "budsjett") == "budsjett" and (
        props.get("kj_tool") == GENERATOR or any(n.startswith("kj_meta_") for n in names))


def _is_overview_workbook(path: Path) -> bool:
    props = _workbook_properties(path)
    return props is not None and props.get("kj_tool") == GENERATOR and props.get("kj_kind") == "oversikt"


def csv_header_kind(first_columns: Sequence[str]) -> Callable[[Path], bool]:
    """A CSV we write is recognised by its header line: our first columns, in order, in either målform (each
    column a message id; a BOM, quotes and either separator allowed, as a spreadsheet may save it again)."""
    wants = {tuple(tr(column, malform) for column in first_columns) for malform in MALFORMS}
    n = len(first_columns)

    def recognise(path: Path) -> bool:
        import csv

        head = _head(path).decode("utf-8", errors="replace").lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
        delimiter = ";" if head.count(";") >= head.count(",") else ","
        fields = next(csv.reader([head], delimiter=delimiter), [])
        return tuple(fields[:n]) in wants

    return recognise


def _is_estimates_export(text: str) -> Callable[[Path], bool]:
    def recognise(path: Path) -> bool:
        try:
            return path.stat().st_size == len(text.encode("utf-8")) and path.read_text(encoding="utf-8") == text
        except (OSError, UnicodeDecodeError):
            return False

    return recognise


BUDGET_WORKBOOK = Kind(
    "budget workbook",
    "a workbook with kj-budget's document property kj_tool = kj-budget (or its hidden Byggeinfo names kj_meta_*)",
    _is_budget_workbook)
OVERVIEW_WORKBOOK = Kind(
    "regional overview workbook", "a workbook with the document properties kj_tool = kj-budget, kj_kind = oversikt",
    _is_overview_workbook)
MEMO_HTML = Kind("budget memo (HTML)", 'an HTML file whose head has <meta name="generator" content="kj-budget …">',
                 _is_memo_html)
MEMO_PDF = Kind("budget memo (PDF)", "a PDF whose Creator (from the memo's generator) names kj-budget",
                _is_memo_pdf)
FOLLOWUP_HTML = Kind("follow-up note (HTML)", 'an HTML file whose head has <meta name="generator" '
                     'content="kj-budget … follow-up note">', _is_followup_html)
FOLLOWUP_PDF = Kind("follow-up note (PDF)", "a PDF whose Creator (from the note's generator) names kj-budget and "
                    "follow-up note", _is_followup_pdf)
NOTICE = Kind("vendor notice", "a text file that starts with the notice's headers: «Til: », «Kopi: » and an «Emne: » "
              "about kjernejournal", _is_notice)


def workbook_keeps(data: bytes) -> Callable[[Path], str]:
    """For a budget workbook about to be replaced by `data`: why not without --force (it holds input
    values a user typed that `data` would not write again), or "" when an untouched template, or one
    holding only what this build writes, so a quick start can run twice."""

    def keeps(path: Path) -> str:
        from workbook_builder.core.numbers import same_figure
        from workbook_builder.xlsx.filled_reader import UnreadableWorkbook, filled_values, raw_text

        try:
            old = filled_values(path)
        except UnreadableWorkbook:
            return "cannot be read as a kj-budget workbook; pass --force to replace it, or choose another name"
        new = filled_values(data)
        lost = [k for k, v in old.items() if not same_figure(new.get(k), v)]
        if not lost:
            return ""
        first = lost[0]
        return (f"holds {len(lost)} filled-in input value(s) this build would not keep (e.g. {first} = "
                f"{raw_text(old[first])!r}); pass --force to replace it, choose another output name, or carry "
                f"them with --from {path}")

    return keeps


# The budget lines CSV of `kj-budget lines` (issue 9): recognised by its header, like the overview's.
BUDGET_LINES_CSV = Kind("budget lines (CSV)", "a CSV whose header starts with År;Ansvar;Funksjon;Funksjonsnavn",
                        csv_header_kind([N_("År"), N_("Ansvar"), N_("Funksjon"), N_("Funksjonsnavn")]))


def overview_csv_kind(first_columns: Sequence[str]) -> Kind:
    return Kind("regional overview (CSV)", f"a CSV whose header starts with {';'.join(first_columns)}",
                csv_header_kind(first_columns))


def estimates_kind(text: str) -> Kind:
    """An exported estimates file is replaced without --force only when it holds exactly what would be
    written (anything edited in it is the user's work)."""
    return Kind("estimates file", "a file identical to what is written (an edited estimates file needs --force)",
                _is_estimates_export(text))


# ----------------------------------------------------------------------------- the rule


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _same_file(a: Path, b: Path) -> bool:
    ia, ib = _identity(a), _identity(b)
    if ia is not None and ib is not None:
        return ia == ib  # both exist: the same file (a link, a hard link, another spelling) or two files
    if (ia is None) != (ib is None) and not os.path.lexists(a if ia is None else b):
        return False  # one exists and the other is nowhere, not even a dangling link: not the same file
    try:
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):
        return os.path.abspath(a) == os.path.abspath(b)


def check_targets(targets: Sequence[Target], inputs: Iterable[Path | None], *, force: bool) -> None:
    """Check every target before anything is written; raises CliError (exit 3) naming the first target
    that may not be written, and why."""
    ins = [Path(p) for p in inputs if p is not None]
    for k, t in enumerate(targets):
        path = t.path
        for inp in ins:
            if _same_file(path, inp):
                what = f" ({inp})" if str(inp) != str(path) else ""
                raise CliError(f"{t}: is a file this run reads{what}; kj-budget never overwrites its input, not "
                               "even with --force: choose another output name", EXIT_WRITE)
        for other in targets[:k]:
            if _same_file(path, other.path):
                raise CliError(f"{t}: is the same file as {other}; choose another output name", EXIT_WRITE)
        try:
            st = path.lstat()
        except FileNotFoundError:
            st = None
        except NotADirectoryError:
            raise CliError(f"cannot write {path}: {_blocker(path.parent)} is a file, not a folder",
                           EXIT_WRITE) from None
        except OSError as exc:
            raise CliError(f"cannot write {path}: {exc.strerror or exc}", EXIT_WRITE) from None
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise CliError(f"{t}: is a folder; give a file name", EXIT_WRITE)
        folder = _existing_folder(path.parent)
        if folder is None:
            raise CliError(f"cannot write {path}: {_blocker(path.parent)} is a file, not a folder", EXIT_WRITE)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise CliError(f"cannot write {path}: the folder {folder} is not writable (permission denied)",
                           EXIT_WRITE)
        if st is None or force:
            continue
        if not stat.S_ISREG(st.st_mode) and not stat.S_ISLNK(st.st_mode):
            raise CliError(f"{t}: exists and is not a regular file; pass --force to replace it, or choose another "
                           "output name", EXIT_WRITE)
        if not t.kind.recognise(path):
            raise CliError(f"{t}: exists and is not {_a(t.kind.name)} written by kj-budget; pass --force to replace "
                           "it, or choose another output name", EXIT_WRITE)
        reason = t.keeps(path) if t.keeps else ""
        if reason:
            raise CliError(f"{t}: {reason}", EXIT_WRITE)


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _blocker(folder: Path) -> Path:
    """The part of a folder path that exists but is not a folder."""
    p = folder
    while not (p.exists() or p.is_symlink()) and p.parent != p:
        p = p.parent
    return p


def _existing_folder(folder: Path) -> Path | None:
    """The folder itself, or the nearest existing parent that writing will create it under; None when a
    file stands in the way."""
    p = folder if str(folder) else Path(".")
    while True:
        if p.is_dir():
            return p
        if p.exists() or p.is_symlink():
            return None
        if p.parent == p:
            return None
        p = p.parent


def write_outputs(items: Sequence[tuple[Target, bytes]]) -> None:
    """Write every target atomically, all or none; an error names the target and exits 3."""
    try:
        atomic_write_many([(t.path, data) for t, data in items])
    except OSError as exc:
        failed = next((t for t, _ in items if exc.filename and str(t.path) == str(exc.filename)), items[0][0]
                      if len(items) == 1 else None)
        name = str(failed.path) if failed is not None else ", ".join(str(t.path) for t, _ in items)
        raise CliError(f"cannot write {name}: {exc.strerror or exc}", EXIT_WRITE) from None


def write_checked(targets_data: Sequence[tuple[Target, bytes]], inputs: Iterable[Path | None], *,
                  force: bool) -> None:
    """`check_targets` then `write_outputs`: the whole rule for a command that has its bytes ready."""
    check_targets([t for t, _ in targets_data], inputs, force=force)
    write_outputs(targets_data)
