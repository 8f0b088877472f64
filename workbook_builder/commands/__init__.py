"""Sub-commands of `kj-budget`; each module has `register(subparsers)`."""

from . import build, check, cost, estimates

COMMANDS = (build, check, estimates, cost)
