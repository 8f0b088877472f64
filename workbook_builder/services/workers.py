"""Worker processes for batch and collect that never outlive the command.

- On Linux each worker asks the kernel for SIGTERM when its parent dies (``PR_SET_PDEATHSIG``), so a
  ``kill -9`` of ``kj-budget batch`` takes its workers with it; everywhere a watchdog thread in each
  worker also exits when the parent is gone (its parent process id changes).
- On any exit of the pool's ``with`` block by an exception (Ctrl+C included) the workers are terminated
  at once instead of finishing the queue.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

PR_SET_PDEATHSIG = 1
WATCHDOG_SECONDS = 0.5


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(WATCHDOG_SECONDS)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="kj-budget-parent-watchdog", daemon=True).start()


def _init(parent: int, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    _die_with_parent(parent)
    if initializer is not None:
        initializer(*initargs)


@contextlib.contextmanager
def process_pool(workers: int, initializer: Callable[..., None] | None = None,
                 initargs: tuple[Any, ...] = ()) -> Iterator[ProcessPoolExecutor]:
    """A ProcessPoolExecutor whose workers die with the command, and are terminated on any error."""
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(os.getpid(), initializer, initargs))
    try:
        yield pool
    except BaseException:
        terminate(pool)
        raise
    else:
        pool.shutdown(wait=True)


def terminate(pool: ProcessPoolExecutor) -> None:
    """Stop every worker now (the queue is dropped)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        with contextlib.suppress(Exception):
            p.terminate()
    for p in processes:
        with contextlib.suppress(Exception):
            p.join(timeout=5)
