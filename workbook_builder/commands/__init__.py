"""Sub-commands of `kj-budget`; each module has `register(subparsers)`."""

from . import batch, build, check, collect, cost, estimates, memo, notice

COMMANDS = (build, check, estimates, cost, memo, notice, batch, collect)
