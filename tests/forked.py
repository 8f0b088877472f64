"""Run kj-budget commands in a process of their own, bounded in time, without paying Python's start-up.

The test process forks; the child runs `workbook_builder.cli.main(argv)` for each command (stdout and
stderr caught per command, as `python -m workbook_builder.cli` would print them) and sends the results
back. A crash of the child (a Rust panic, an abort, a segfault) or a hang past the time bound fails the
test, never the suite; the child never returns into pytest (it leaves with `os._exit`). The modules of
every command are imported once here, before the first fork, so each child starts with them loaded.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import signal
import sys
import tempfile
import time
import traceback

COMMANDS = ("batch", "build", "check", "collect", "cost", "estimates", "lines", "memo", "notice")
_loaded = False


def _preload() -> None:
    global _loaded
    if not _loaded:
        importlib.import_module("workbook_builder.cli.main")
        for name in COMMANDS:
            importlib.import_module(f"workbook_builder.cli.{name}")
        _loaded = True


def _child(commands: list[list[str]], cwd: str | None, result_fd: int) -> None:
    """In the forked child: run each command, write the results as JSON, and leave without returning."""
    code = 70
    try:
        if cwd is not None:
            os.chdir(cwd)
        from workbook_builder.cli.main import main

        out = []
        for argv in commands:
            err, std = io.StringIO(), io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(std):
                try:
                    rc: int | str = main(argv)
                except BaseException:
                    rc, _ = "traceback", traceback.print_exc()
            out.append({"argv": argv, "code": rc, "err": err.getvalue(), "out": std.getvalue()})
        data = memoryview(json.dumps(out).encode())
        while data:
            data = data[os.write(result_fd, data):]
        code = 0
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)


def run_commands(commands: list[list[str]], timeout: float, cwd: str | None = None) -> list[dict]:
    """Each command's {"argv", "code", "err", "out"}; all of them run in one forked process within `timeout`."""
    _preload()
    sys.stdout.flush()
    sys.stderr.flush()
    with tempfile.TemporaryFile() as result, tempfile.TemporaryFile() as crash:
        pid = os.fork()
        if pid == 0:  # the child
            os.dup2(crash.fileno(), 2)  # what a dying child says (Python's or a native library's)
            devnull = os.open(os.devnull, os.O_RDWR)
            os.dup2(devnull, 0)
            os.dup2(devnull, 1)
            _child(commands, cwd, result.fileno())
        deadline = time.monotonic() + timeout
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise AssertionError(f"no answer within {timeout} s: {commands}")
            time.sleep(0.005)
        crash.seek(0)
        said = crash.read().decode(errors="replace")
        code = os.waitstatus_to_exitcode(status)
        assert code == 0, f"the process died ({code}): {said[-2000:]}"
        result.seek(0)
        return json.loads(result.read())
