"""Sub-commands of `kj-budget`; each module has `register(subparsers)`."""

from . import batch, build, check, collect, cost, estimates, lines, memo, notice

COMMANDS = (build, check, estimates, cost, memo, notice, lines, batch, collect)
