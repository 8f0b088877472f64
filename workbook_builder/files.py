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
    """Rename each temporary file over its target (an OSError names the target; the temporary files not
    yet renamed are removed)."""
    for k, (tmp, target) in enumerate(temps):
        try:
            os.replace(tmp, target)
        except OSError as exc:
            discard(temps[k:])
            raise OSError(exc.errno, exc.strerror, str(target)) from None


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
