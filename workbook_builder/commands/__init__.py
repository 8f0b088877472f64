"""Sub-commands of `kj-budget`; each module has `register(subparsers)`."""

from . import cost, estimates

COMMANDS = (estimates, cost)
