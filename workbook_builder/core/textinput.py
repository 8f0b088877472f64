"""The one text-input rule, for names and units (municipality, ward or zone, a signature), and the one
rule for text we export to a spreadsheet (CSV).

- **Command line and CSV**: a control character (U+0000–U+001F, U+007F–U+009F), a line or paragraph
  separator (U+2028, U+2029) or a bidirectional override (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F)
  is refused with a message naming the option or column and the character.
- **A filled workbook**: the same characters are removed (a line break becomes a space) and a note says
  so; the value is otherwise carried (a person pressed Alt+Enter, or pasted from a web page).
- **Exports a spreadsheet opens (CSV)**: a text field that starts with ``=``, ``+``, ``-``, ``@``, a tab
  or a carriage return (or their full-width forms) gets a leading ``'``, and every text field is quoted,
  as OWASP's CSV-injection guidance says, so Excel and LibreOffice show it as text and never run it.
- **Headers of the notice and the memo**: every value placed in a header line goes through
  :func:`one_line`, so no value can add a header line (``Kopi:``) or break the memo's page header.

Standard library only.
"""

from __future__ import annotations

import re
import unicodedata

_BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_LINE_BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"
# Every character the rule refuses or removes: C0 and C1 controls (tab and line breaks included), DEL,
# the Unicode line and paragraph separators and the bidirectional controls.
_REFUSED = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
_BREAKS = re.compile(f"[{_LINE_BREAKS}\t]+")
FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


class TextRefused(ValueError):
    """A text value with a character the rule refuses; the message is English, one line."""


def _describe(ch: str) -> str:
    name = {"\n": "a line break", "\r": "a carriage return", "\t": "a tab", "\x00": "a NUL character",
            "\u2028": "a line separator", "\u2029": "a paragraph separator"}.get(ch)
    if name:
        return f"{name} (U+{ord(ch):04X})"
    if ch in _BIDI:
        return f"a bidirectional control character (U+{ord(ch):04X} {unicodedata.name(ch, '')})".replace(" )", ")")
    return f"a control character (U+{ord(ch):04X})"


def refused_character(text: str) -> str | None:
    """A description of the first refused character in `text`, or None when there is none."""
    m = _REFUSED.search(text)
    return None if m is None else f"{_describe(m.group())} at position {m.start() + 1}"


def check_text(text: str, what: str, max_chars: int | None = None) -> str:
    """`text` stripped of surrounding spaces; raises TextRefused naming `what` (an option or a column)."""
    bad = refused_character(text)
    if bad:
        raise TextRefused(f"{what}: has {bad}; a name is one line of plain text")
    text = text.strip()
    if max_chars is not None and len(text) > max_chars:
        raise TextRefused(f"{what}: at most {max_chars} characters, has {len(text)}")
    return text


def cli_text(text: str, option: str, max_chars: int | None = 100) -> str:
    """A name from the command line: refused (CliError, exit 2) when the rule refuses it."""
    from workbook_builder.core.errors import CliError

    try:
        return check_text(text, option, max_chars)
    except TextRefused as exc:
        raise CliError(str(exc)) from None


def clean_text(text: str) -> tuple[str, bool]:
    """(the text with line breaks and tabs as single spaces and other refused characters removed,
    whether anything was changed). For text read from a workbook: carried, with a note."""
    if not _REFUSED.search(text):
        return text, False
    cleaned = _REFUSED.sub("", _BREAKS.sub(" ", text))
    return re.sub(" {2,}", " ", cleaned).strip(), True


def one_line(text: str) -> str:
    """A value for a header line (notice To/Cc/Subject, the memo's page header): never more than one line."""
    return clean_text(text)[0].strip()


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula (a leading =, +, -, @, tab or carriage return, or their
    full-width forms) with a leading ' so it shows as text (OWASP, CSV injection)."""
    return "'" + text if text.startswith(FORMULA_LEAD) else text


def csv_text(text: str) -> str:
    """A text field for a CSV a spreadsheet opens, neutralised and quoted (OWASP, CSV injection)."""
    text = neutralise(text)
    return '"' + text.replace('"', '""') + '"'


def xml_safe(text: str) -> str:
    """Text for a cell's XML value: characters XML 1.0 cannot hold written as Excel's _xHHHH_ escapes
    (and a literal "_x" that would read as one escaped as _x005F_), as Excel itself writes them."""
    if "_x" not in text and not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", text):
        return text
    text = re.sub(r"_(x[0-9A-Fa-f]{4}_)", r"_x005F_\1", text)
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", lambda m: f"_x{ord(m.group()):04X}_", text)
