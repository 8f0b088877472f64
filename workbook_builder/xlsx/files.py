"""Writing files so that a crash or a kill never leaves a half-written one behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write to a temporary file in the same folder, flush it to disk, then rename over `path`."""
    atomic_write_many([(Path(path), data)])
    return Path(path)


def atomic_write_text(path: str | Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_many(items: Sequence[tuple[Path, bytes]]) -> None:
    """Write several files all or none: each to a temporary file beside its target (flushed to disk),
    and only when every one is written are they renamed over their targets. An OSError names the target
    (``exc.filename``), never the temporary file; no temporary file is left behind."""
    temps: list[tuple[Path, Path]] = []
    try:
        for target, data in items:
            temps.append((write_temp(Path(target), data), Path(target)))
        commit(temps)
        temps = []
    finally:
        discard(temps)


def write_temp(target: Path, data: bytes) -> Path:
    """`data` in a new temporary file beside `target` (``.NAME.*.tmp``), flushed to disk, with the
    permissions `target` has or a new file would get. An OSError names the target."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode_for(target))  # mkstemp makes 0600; a workbook is the user's ordinary file
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OSError(exc.errno, exc.strerror, str(target)) from None
        raise
    return Path(tmp)


def commit(temps: Sequence[tuple[Path, Path]]) -> None:
    """Rename each temporary file over its target, all or none: a file about to be replaced is kept
    under a hard link until every rename is done, so if one rename fails the ones before it are taken
    back (the old files restored, new ones removed). An OSError names the target; no temporary file is
    left behind. (Where hard links are not possible, the renames done before a failure stay.)"""
    done: list[tuple[Path, Path | None]] = []
    try:
        for tmp, target in temps:
            backup = _backup(target) if len(temps) > 1 else None
            try:
                os.replace(tmp, target)
            except OSError as exc:
                if backup is not None:
                    Path(backup).unlink(missing_ok=True)
                raise OSError(exc.errno, exc.strerror, str(target)) from None
            done.append((target, backup))
    except BaseException:
        discard(temps)
        for target, backup in reversed(done):
            try:
                if backup is not None:
                    os.replace(backup, target)
                else:
                    target.unlink(missing_ok=True)
            except OSError:
                pass
        raise
    for _, backup in done:
        if backup is not None:
            Path(backup).unlink(missing_ok=True)


def _backup(target: Path) -> Path | None:
    """A hard link to an existing target (None when there is none, or links are not possible here)."""
    if not target.is_file() or target.is_symlink():
        return None
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".old.tmp", dir=target.parent)
    os.close(fd)
    os.unlink(name)
    try:
        os.link(target, name)
    except OSError:
        return None
    return Path(name)


def temp_files(targets: Sequence[Path]) -> set[Path]:
    """The temporary files `write_temp` (and `commit`'s backups) make beside these targets that exist now:
    ``.NAME.*.tmp``. A writer stopped in the middle (a worker process terminated on Ctrl+C) leaves its
    temporary file behind; the caller compares this set before and after, and removes what it made."""
    found: set[Path] = set()
    for folder, names in _by_folder(targets).items():
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith(".tmp") and any(entry.name.startswith(f".{n}.") for n in names):
                found.add(Path(entry.path))
    return found


def _by_folder(targets: Sequence[Path]) -> dict[Path, set[str]]:
    folders: dict[Path, set[str]] = {}
    for t in targets:
        folders.setdefault(Path(t).parent, set()).add(Path(t).name)
    return folders


def discard(temps: Sequence[tuple[Path, Path]]) -> None:
    for tmp, _ in temps:
        Path(tmp).unlink(missing_ok=True)


def _mode_for(target: Path) -> int:
    """The replaced file's permissions, or what a new file gets under the current umask."""
    try:
        return target.stat().st_mode & 0o777
    except (FileNotFoundError, NotADirectoryError):
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
