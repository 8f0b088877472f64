"""Cell formats of the workbook: one input colour, locked workings, Norwegian number formats.

Number formats use `#,##0`: Excel and LibreOffice show the grouping of the user's locale
(a space in nb-NO), so 1234567 reads `1 234 567 kr`. The space before a unit sits inside the
quoted literal (`#,##0" kr"`, `0" "%`): LibreOffice in nb-NO saves a bare space after the digits
as a thousands-scaling comma (`#,##0,"kr"`), which then shows 1 234 567 as `1 235kr`.
"""

from __future__ import annotations

import re
from typing import Any

from xlsxwriter.workbook import Workbook

from workbook_builder.core.i18n import DEFAULT_MALFORM, N_, tr
from workbook_builder.core.vocabulary import EMPTY, ERROR, NOTE, OK, STATUSES

FONT = "Calibri"
INPUT_FILL = "#FFF2CC"  # light yellow: the only cells a user types into
INPUT_BORDER = "#BF9000"
HEAD_FILL = "#1F4E79"  # dark blue headings
SECTION_FILL = "#DDEBF7"
KEY_FILL = "#E2EFDA"  # key outputs
OK_FILL, NOTE_FILL, ERROR_FILL = "#C6EFCE", "#FFEB9C", "#FFC7CE"
OK_TEXT, NOTE_TEXT, ERROR_TEXT = "#006100", "#9C5700", "#9C0006"
EMPTY_FILL, EMPTY_TEXT = "#EDEDED", "#404040"  # «Ikke utfylt»: neutral, an untouched template is no error

NUM = {
    "kr": '#,##0" kr"',
    "kr2": '#,##0.00" kr"',
    "hours": '#,##0" t"',
    "count": "#,##0",
    "amount": "#,##0",  # kroner beside an Enhet column that says «kr» (Inndata)
    "number": "#,##0.0#",  # never a bare decimal separator: "#,##0.##" shows 52 as «52,» in Excel
    "decimal": "#,##0.00",
    "decimal1": "#,##0.0",
    "general": "General",
    "percent": '0" "%',
    "percent1": '0.0" "%',
    "factor": "0.0000",
    "index": "0.0000",
    "thousand": '#,##0',
    "year": "0",
    "year_left": "0",  # a year left-aligned under its column head, never read as an amount beside a unit
    "years": '0.0" år"',
    "text": "@",
    "flag": '"Ja";"Ja";"Nei"',
    "size": '"ca "0',
}


# The words inside number formats' quoted literals ("kr", "t" for timer, "år", "Ja"/"Nei", "ca"): each is a
# message, so a nynorsk workbook's formats show its own words (a test checks every literal is listed here).
FORMAT_WORDS = (N_("kr"), N_("t"), N_("år"), N_("Ja"), N_("Nei"), N_("ca"))
_QUOTED = re.compile(r'"([^"]*)"')


def localized(num_format: str, malform: str) -> str:
    """A number format with the words of its quoted literals in `malform` (`'#,##0" kr"'`, `'"ca "0'`)."""
    def one(m: re.Match[str]) -> str:
        literal = m.group(1)
        word = literal.strip()
        return f'"{literal.replace(word, tr(word, malform))}"' if word else m.group(0)
    return _QUOTED.sub(one, num_format)


class Formats:
    """Creates each combination of (role, number format) once and hands it out by name."""

    def __init__(self, wb: Workbook, malform: str = DEFAULT_MALFORM) -> None:
        self.wb, self.malform = wb, malform
        self._cache: dict[tuple, Any] = {}
        base = {"font_name": FONT, "font_size": 11, "valign": "top"}
        self.roles: dict[str, dict[str, Any]] = {
            "text": {**base},
            "wrap": {**base, "text_wrap": True},
            "muted": {**base, "font_color": "#595959", "text_wrap": True, "font_size": 10},
            "note": {**base, "font_color": "#595959", "font_size": 10},
            "title": {**base, "bold": True, "font_size": 16, "font_color": HEAD_FILL},
            "subtitle": {**base, "italic": True, "font_color": "#404040"},
            "h2": {**base, "bold": True, "font_size": 12, "font_color": "#FFFFFF", "bg_color": HEAD_FILL},
            "section": {**base, "bold": True, "bg_color": SECTION_FILL},
            "colhead": {**base, "bold": True, "bg_color": SECTION_FILL, "text_wrap": True, "bottom": 1},
            "colhead_r": {**base, "bold": True, "bg_color": SECTION_FILL, "text_wrap": True, "bottom": 1,
                          "align": "right"},
            "label": {**base, "text_wrap": True},
            "bold": {**base, "bold": True},
            "unit": {**base, "font_color": "#595959"},
            "calc": {**base},
            "total": {**base, "bold": True, "top": 1},
            "key": {**base, "bold": True, "bg_color": KEY_FILL, "border": 1, "border_color": "#A9D08E"},
            "constant": {**base, "font_color": "#1F4E79"},
            "input": {**base, "bg_color": INPUT_FILL, "border": 1, "border_color": INPUT_BORDER, "locked": False},
            "status": {**base, "font_color": ERROR_TEXT, "italic": True, "text_wrap": True},
            "check": {**base, "bold": True, "align": "center", "border": 1},
            "legend_input": {**base, "bg_color": INPUT_FILL, "border": 1, "border_color": INPUT_BORDER},
            "legend_calc": {**base, "border": 1},
            "legend_key": {**base, "bold": True, "bg_color": KEY_FILL, "border": 1, "border_color": "#A9D08E"},
            "legend_constant": {**base, "font_color": "#1F4E79", "border": 1},
        }

    def __call__(self, role: str, num: str | None = None, **extra: Any) -> Any:
        extra = {k: v for k, v in extra.items() if v}  # indent=0 is the role's own format
        if "indent" in extra and "align" not in extra and "align" not in self.roles[role]:
            extra["align"] = "left"  # LibreOffice (and Excel) indent only text aligned left, not «general»
        key = (role, num, tuple(sorted(extra.items())))
        if key not in self._cache:
            props = dict(self.roles[role])
            if num:
                props["num_format"] = localized(NUM.get(num, num), self.malform)
            if num == "year_left":
                props["align"] = "left"
            props.update(extra)
            self._cache[key] = self.wb.add_format(props)
        return self._cache[key]

    def status_rules(self, malform: str) -> list[tuple[str, Any]]:
        """Conditional formats for the check statuses (vocabulary.STATUSES), as the workbook's målform spells
        them: OK green, Merknad yellow, Ikke utfylt grey, Feil red (the colour only repeats the word: it is
        never the only sign)."""
        colours = {OK: (OK_FILL, OK_TEXT), NOTE: (NOTE_FILL, NOTE_TEXT), EMPTY: (EMPTY_FILL, EMPTY_TEXT),
                   ERROR: (ERROR_FILL, ERROR_TEXT)}
        return [(tr(s.word, malform), self.wb.add_format({"bg_color": colours[s.word][0],
                                                          "font_color": colours[s.word][1]}))
                for s in STATUSES]
