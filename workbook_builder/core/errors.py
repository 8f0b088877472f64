"""Errors the command line reports on one line, and the exit codes scripts can trust."""

from __future__ import annotations

EXIT_OK = 0  # done; for `check`: every check passed and the totals match
EXIT_CHECK_FAILED = 1  # a check found a problem
EXIT_USAGE = 2  # bad arguments or a bad input file; nothing was written
EXIT_WRITE = 3  # an output could not be written


class CliError(Exception):
    """An error to report on one line, with the exit code to use."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


class InputError(ValueError):
    """A bad input, with the message in English (command line) and bokmål (workbook, UDFs)."""

    def __init__(self, field: str, en: str, nb: str) -> None:
        self.field, self.en, self.nb = field, en, nb
        super().__init__(en)
