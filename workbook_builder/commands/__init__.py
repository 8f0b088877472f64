"""Sub-commands of `kj-budget`; each module has `register(subparsers)`."""

from . import batch, build, collect, cost, estimates, memo, notice

COMMANDS = (build, estimates, cost, memo, notice, batch, collect)
