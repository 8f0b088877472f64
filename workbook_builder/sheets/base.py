"""What every sheet module shares: the build context and a thin writer over an XlsxWriter sheet."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

from xlsxwriter.chart import Chart
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from workbook_builder.cells import Register
from workbook_builder.core.estimates import Estimates
from workbook_builder.core.i18n import tr
from workbook_builder.core.model import Budget, Inputs
from workbook_builder.core.textinput import xml_safe
from workbook_builder.sheets.styles import Formats


@dataclass
class Context:
    """Everything a sheet needs: the workbook, the estimates, the user's inputs and the model's budget."""

    wb: Workbook
    est: Estimates
    inputs: Inputs
    budget: Budget
    fmt: Formats
    register: Register
    today: dt.date
    version: str
    password: str | None = None
    municipality_header: str = ""
    # Notes shown beside inputs, e.g. a value a regeneration could not carry: input name (or
    # "kj_step_staff#3" for a step row, 1-based) → the note in the workbook's målform.
    input_notes: dict[str, str] = field(default_factory=dict)

    @property
    def malform(self) -> str:
        return self.budget.params.malform

    def tr(self, text: str, /, **values: object) -> str:
        """`text` (a bokmål message id) in the workbook's målform."""
        return tr(text, self.malform, **values)

    def text(self, text: str) -> str:
        """A text of the estimates file (a label, unit or source) in the workbook's målform."""
        return self.est.text_in(text, self.malform)

    def sheet_name(self, sheet: str) -> str:
        """A sheet's name in the workbook's målform, from its id (the bokmål name, a module's SHEET)."""
        return tr(sheet, self.malform)

    def sheet_ref(self, sheet: str, row: int, col: int, absolute: bool = False) -> str:
        """A reference to a cell of another sheet, by the sheet's name in the workbook's målform."""
        return f"'{self.sheet_name(sheet)}'!{cell(row, col, absolute)}"

    def template(self, template: str, formulas: dict[str, str], **values: Any) -> tuple[str, str]:
        """A message (a bokmål id with {placeholders}) as a formula that builds it in the workbook's målform
        and the model's text of it: the same template gives both (`template_formula`). `values` hold every
        placeholder's model value; those named in `formulas` are computed by the formula in the workbook."""
        text = self.tr(template)
        return template_formula(text, formulas, values), text.format(**values)


# Functions XlsxWriter would prefix with _xlfn. (Excel 365's dynamic arrays and newer functions). The
# workbook uses none of them (a test checks the function list), so a formula without any is written as it
# is: XlsxWriter otherwise runs about 30 regular expressions over every formula, most of a build's time.
_NEWER_FUNCTIONS = re.compile(
    r"\b(?:ANCHORARRAY|BYCOL|BYROW|CHOOSECOLS|CHOOSEROWS|DROP|EXPAND|FILTER|HSTACK|LAMBDA|MAKEARRAY|MAP|RANDARRAY|"
    r"REDUCE|SCAN|SINGLE|SEQUENCE|SORT|SORTBY|SWITCH|TAKE|TEXTSPLIT|TOCOL|TOROW|UNIQUE|VSTACK|WRAPCOLS|WRAPROWS|"
    r"XLOOKUP)\(")


class FastWorksheet(Worksheet):
    """An XlsxWriter worksheet (passed as `worksheet_class`, XlsxWriter's own extension point) that skips the
    future-function expansion for formulas that use no such function."""

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        stripped = formula[1:] if formula.startswith("=") else formula
        if not stripped.startswith("{") and not self.use_future_functions and not expand_future_functions \
                and _NEWER_FUNCTIONS.search(stripped) is None:
            return stripped
        prepared: str = super()._prepare_formula(formula, expand_future_functions)  # untyped in XlsxWriter
        return prepared


def new_chart(wb: Workbook, options: dict[str, Any]) -> Chart:
    """`wb.add_chart(options)`, which returns None (and only warns) for a missing or unknown chart type."""
    chart = wb.add_chart(options)
    if chart is None:
        raise ValueError(f"XlsxWriter has no chart type {options.get('type')!r}")
    return chart


def cell(row: int, col: int, absolute: bool = False) -> str:
    return xl_rowcol_to_cell(row, col, row_abs=absolute, col_abs=absolute)


def excel_text(text: str) -> str:
    """A string literal inside a formula."""
    return '"' + text.replace('"', '""') + '"'


_PLACEHOLDER = re.compile(r"(\{[a-z_]+\})")


def template_formula(template: str, formulas: dict[str, str], values: dict[str, Any]) -> str:
    """A message template (core.vocabulary) as a formula that builds the same text: a placeholder named
    in `formulas` becomes that formula, any other its value from `values`, the rest literal text."""
    parts: list[str] = []
    literal = ""
    for piece in _PLACEHOLDER.split(template):
        name = piece[1:-1] if _PLACEHOLDER.fullmatch(piece) else None
        if name is not None and name in formulas:
            if literal:
                parts.append(excel_text(literal))
                literal = ""
            parts.append(formulas[name])
        else:
            literal += str(values[name]) if name is not None else piece
    if literal or not parts:
        parts.append(excel_text(literal))
    return "&".join(parts)


class Sheet:
    """A worksheet with helpers that write a formula together with the model's value for it."""

    def __init__(self, ctx: Context, ws: Worksheet) -> None:
        self.ctx, self.ws, self.name = ctx, ws, ws.get_name()
        self.fmt = ctx.fmt

    def text(self, row: int, col: int, value: str, role: str = "text", num: str | None = None,
             **extra: Any) -> None:
        """A string; `extra` are format properties beyond the role's (e.g. `indent=1`: a text column that
        follows a column of right-aligned figures keeps a gap, so «400» and «Kilde» do not run together)."""
        self.ws.write_string(row, col, value, self.fmt(role, num, **extra))

    def number(self, row: int, col: int, value: float, role: str = "constant", num: str | None = "number") -> None:
        self.ws.write_number(row, col, value, self.fmt(role, num))

    def formula(self, row: int, col: int, formula: str, value: Any, role: str = "calc",
                num: str | None = None, **extra: Any) -> None:
        """A native formula with the model's result as its cached value."""
        if isinstance(value, bool):
            value = int(value)
        if value is None:
            value = ""
        value = xml_safe(value) if isinstance(value, str) else value  # issue 11: no control character breaks the XML
        self.ws.write_formula(row, col, formula if formula.startswith("=") else "=" + formula,
                              self.fmt(role, num, **extra), value)

    def define(self, name: str, first: tuple[int, int], last: tuple[int, int] | None = None,
             role: str = "working") -> str:
        self.ctx.register.add(name, self.name, first, last, role)
        self.ctx.wb.define_name(name, "=" + self.ctx.register.names[name].ref)
        return name

    def band(self, row: int, text: str, last_col: int, role: str = "h2", first_col: int = 0) -> None:
        """A heading that colours the whole row from `first_col` to `last_col`."""
        self.text(row, first_col, text, role)
        for c in range(first_col + 1, last_col + 1):
            self.blank(row, c, role)

    def fit_height(self, row: int, *texts: tuple[str, float]) -> None:
        """Make a row tall enough for wrapped texts, given (text, column width in characters).

        Neither Excel nor LibreOffice grows a row for wrapped text that a file sets no height for
        in every case, so the builder sets it."""
        lines = max((math.ceil(len(text) / (width * 1.15)) for text, width in texts if text), default=1)
        if lines > 1:
            self.ws.set_row(row, 14.5 * lines + 1)

    def blank(self, row: int, col: int, role: str = "text", num: str | None = None) -> None:
        self.ws.write_blank(row, col, None, self.fmt(role, num))

    def protect(self, autofilter: bool = False) -> None:
        self.ws.protect(self.ctx.password or "", {"select_locked_cells": True, "select_unlocked_cells": True,
                                                  "format_columns": True, "format_rows": True,
                                                  "autofilter": autofilter, "sort": False})

    def print_setup(self, landscape: bool, last_row: int, last_col: int, title: str | None = None) -> None:
        """A4, fitted to one page wide, with a header naming the municipality and the sheet (its name unless
        `title` says otherwise) and a page footer."""
        title = self.name if title is None else title
        ws = self.ws
        ws.set_paper(9)
        ws.set_landscape() if landscape else ws.set_portrait()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
        ws.print_area(0, 0, last_row, last_col)
        muni = self.ctx.municipality_header.replace("&", "&&")
        tr = self.ctx.tr
        ws.set_header(f'&L&"Calibri,Bold"{muni or "Kjernejournal"}&C{title.replace("&", "&&")}&R&D', {"margin": 0.3})
        # &P and &N are the page number and count (Excel's header codes), kept out of the message
        footer = tr("Kjernejournal – budsjett (kj-budget)").replace("&", "&&")
        page = tr("Side {page} av {pages}", page="&P", pages="&N")
        ws.set_footer(f"&L{footer}&R{page}", {"margin": 0.3})
