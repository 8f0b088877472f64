"""The `kj-budget` command line: one sub-command per module in `commands/`.

Exit codes scripts can trust: 0 done (or all checks OK), 1 a check found a problem,
2 bad arguments or a bad input file (nothing written), 3 an output could not be written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__
from .commands import COMMANDS
from .errors import EXIT_OK, EXIT_USAGE, CliError
from .estimates import EstimatesError
from .model import InputError


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line that points to --help."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
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
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args) or EXIT_OK)
    except CliError as exc:
        print(f"kj-budget {args.command}: error: {exc}", file=sys.stderr)
        return exc.code
    except EstimatesError as exc:
        print(f"kj-budget {args.command}: error: estimates file {exc}", file=sys.stderr)
        return EXIT_USAGE
    except InputError as exc:
        print(f"kj-budget {args.command}: error: {exc.en}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"kj-budget {args.command}: interrupted; nothing half-written was left behind", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
