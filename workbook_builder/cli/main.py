"""The `kj-budget` command line: one sub-command per module in `commands/`.

Only the module of the command that runs is imported (`kj-budget cost` never imports pandas, XlsxWriter
or WeasyPrint; `kj-budget --version` imports no command at all); the other commands are listed by their
one-line help from `commands.HELP`.

Exit codes scripts can trust: 0 done (or all checks OK), 1 a check found a problem,
2 bad arguments or a bad input file (nothing written), 3 an output could not be written.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from collections.abc import Sequence
from typing import NoReturn

from workbook_builder import __version__
from workbook_builder.cli.commands import HELP, ORDER
from workbook_builder.core.errors import EXIT_OK, EXIT_USAGE, CliError


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line that points to --help (and, for a value argparse took for an
    option because it begins with '-', says how to write it)."""

    argv: Sequence[str] = ()

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}{_dash_hint(message, self.argv)} "
                              f"(see {self.prog} --help)\n")


def _dash_hint(message: str, argv: Sequence[str]) -> str:
    """`--staff -1,5`: argparse takes «-1,5» for an option and says the value is missing; say how to give it."""
    m = re.fullmatch(r"argument (--[\w-]+)(?:/-\w)?: expected one argument", message)
    if not m:
        return ""
    option = m.group(1)
    for k, arg in enumerate(argv[:-1]):
        if arg == option and re.match(r"-[0-9.,]", argv[k + 1]):  # a number, not the next option
            return f": {argv[k + 1]!r} begins with '-'; write {option}={argv[k + 1]} to give it as the value"
    return ""


def _chosen(argv: Sequence[str]) -> str | None:
    """The sub-command named on the command line (the first argument that is one), if any."""
    for arg in argv:
        if arg == "--":
            return None
        if not arg.startswith("-"):
            return arg if arg in HELP else None
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; the command named in `argv` gets its full arguments (None: every command's)."""
    parser = _Parser(
        prog="kj-budget",
        description=(
            "Plan and budget the introduction of kjernejournal (the national summary care record) "
            "in a municipality's nursing homes and home care, from Norsk helsenett's note of June 2020."
        ),
        epilog="Exit codes: 0 done, 1 a check found a problem, 2 bad arguments or input file, "
        "3 output could not be written. Run 'kj-budget COMMAND --help' for each command.",
    )
    parser.add_argument("--version", action="version", version=f"kj-budget {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    chosen = _chosen(argv) if argv is not None else None
    for name in ORDER:
        if argv is None or name == chosen:
            importlib.import_module(f"workbook_builder.cli.{name}").register(sub)
        else:
            sub.add_parser(name, help=HELP[name])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    _Parser.argv = args_in
    parser = build_parser(args_in)
    try:
        args = parser.parse_args(args_in)
    except SystemExit as exc:  # --help, --version (0) or a usage error (2, one line already printed)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args) or EXIT_OK)
    except CliError as exc:
        print(f"kj-budget {args.command}: error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print(f"kj-budget {args.command}: interrupted; nothing half-written was left behind", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of our output went away (`kj-budget estimates --json | head`)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes
        return 141
    except Exception as exc:
        from workbook_builder.core.errors import InputError
        from workbook_builder.core.estimates import EstimatesError

        if isinstance(exc, EstimatesError):
            print(f"kj-budget {args.command}: error: estimates file {exc}", file=sys.stderr)
            return EXIT_USAGE
        if isinstance(exc, InputError):
            print(f"kj-budget {args.command}: error: {exc.en}", file=sys.stderr)
            return EXIT_USAGE
        raise


if __name__ == "__main__":
    sys.exit(main())
