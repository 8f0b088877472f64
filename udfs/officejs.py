"""Call the Excel functions the way Excel does through Office.js (xlwings Lite / Server), on any OS.

For the tests, the benchmark and an IT person's smoke test: it builds the payload Excel sends
(every argument a 2-D list, empty cells as None) and runs it through xlwings' own
``custom_functions_call``, the code path Lite runs in the browser. That path exists only when
``XLWINGS_ON_SERVER=true`` and a licence key are set before xlwings is first imported
(``noncommercial`` works offline; see the README on what the licences mean).
"""

from __future__ import annotations

import asyncio
import os
import sys
from types import ModuleType
from typing import Any

CALLER = "[Budsjett.xlsx]Ark1!C5"


def server_mode() -> ModuleType:
    """xlwings.server, with xlwings imported in server mode; fails if it was imported otherwise."""
    if "xlwings" not in sys.modules:
        os.environ.setdefault("XLWINGS_ON_SERVER", "true")
        os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    import xlwings

    if not xlwings.on_server:
        raise RuntimeError("xlwings was imported before XLWINGS_ON_SERVER=true was set: "
                           "its decorators are no-ops, so there is no Office.js code path to call")
    import xlwings.server

    return xlwings.server


def excel_arg(value: Any) -> list[list[Any]]:
    """One argument as Excel sends it: always 2-D (a cell is [[v]], a row [[a, b]], a column [[a], [b]])."""
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], (list, tuple)):
            return [list(row) for row in value]
        return [list(value)]
    return [[value]]


def payload(func_name: str, *args: Any, caller: str = CALLER) -> dict[str, Any]:
    """The body xlwings' Office.js client builds for one custom-function call (its keys and
    shapes; the values of a Norwegian Excel: culture nb-NO, dates dd.mm.yyyy)."""
    import xlwings

    return {
        "client": "Office.js",
        "func_name": func_name,
        "args": [excel_arg(a) for a in args],
        "caller_address": caller,
        "session_id": "kj-budget-test",
        "culture_info_name": "nb-NO",
        "date_format": "dd.mm.yyyy",
        "version": xlwings.__version__,
        "runtime": "1.4",
    }


async def acall(module: ModuleType, func_name: str, *args: Any) -> Any:
    """Run one call through xlwings' Office.js code path; returns what Excel would receive."""
    server = server_mode()
    return await server.custom_functions_call(payload(func_name, *args), module)


def call(module: ModuleType, func_name: str, *args: Any) -> Any:
    """`acall` for code without an event loop."""
    return asyncio.run(acall(module, func_name, *args))
