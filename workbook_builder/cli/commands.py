"""Sub-commands of `kj-budget`: one module per command, each with `register(subparsers)` and `run(args)`.

The command line imports only the module of the command that runs (`cli.py`), so `kj-budget cost` and
`kj-budget --version` start without pandas, XlsxWriter or WeasyPrint. The one-line help of every command
is here, so `kj-budget --help` lists them all without importing any.
"""

HELP = {
    "build": "write the budget workbook (.xlsx), or rebuild a filled one with new estimates (--from)",
    "check": "check a filled workbook: its inputs, Kontroll, and whether its totals match the model",
    "estimates": "show the estimates the budget is built from, or export them to edit",
    "cost": "one-off cost for N health personnel (line items, hours, kr, totals)",
    "memo": "write the budget memo (Norwegian, HTML and optionally PDF) from a filled workbook",
    "notice": "write the message to the EPJ vendor (copy to the national project) from a filled workbook",
    "lines": "write the budget lines (year × KOSTRA function × art) of a filled workbook as CSV",
    "batch": "build one pre-filled workbook per municipality from a CSV file",
    "collect": "read many filled workbooks and write a regional overview (.xlsx and .csv)",
}
ORDER = tuple(HELP)  # build, check, estimates, cost, memo, notice, lines, batch, collect
