"""Sub-commands of `kj-budget`; each module has `register(subparsers)`."""

from . import build, cost, estimates

COMMANDS = (build, estimates, cost)
