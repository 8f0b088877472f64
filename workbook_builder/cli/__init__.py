"""The command line (argparse and printing only): `main` and one module per sub-command, imported only
when it runs (`commands.py` has the one-line help of each)."""

from workbook_builder.cli.main import main

__all__ = ["main"]
