"""The one municipality-number rule. Standard library only (embedded with the model in xlwings Lite).

A Norwegian municipality number (kommunenummer) is four digits, the first two the county's: 0301 Oslo,
3405 Lillehammer, 5601 Alta. It is text, not a number: its leading zero is part of it.

The rule, the same for `kj-budget build --municipality-number`, a batch CSV's «kommunenummer», the reader
of filled workbooks (and so `check`, memo, notice, lines and collect), the model (which chooses the
employer's tax zone by it) and the estimates file's table of municipalities:

- spaces around it are ignored (``" 3405 "`` is 3405); blank means no number;
- otherwise it is exactly four ASCII digits; anything else is refused with a message saying what to write.
- **Fewer digits are refused, not padded.** A spreadsheet turns 0301 into the number 301, and a CSV it
  saves keeps «301»; the message then says to write 0301. We do not pad silently: «31» could be 3101 or a
  typing error, and a wrong number would choose a wrong employer's tax zone without anyone seeing it.

The workbook's twin is :func:`excel_municipality_number_ok`: Inndata's data validation, its status cell
and the default zone's lookup all use that formula, and a LibreOffice test checks that it agrees with
:func:`is_municipality_number` on the same texts.
"""

from __future__ import annotations

from workbook_builder.core.errors import InputError  # kj:embed-skip
from workbook_builder.core.i18n import N_, English, Message  # kj:embed-skip

MUNICIPALITY_DIGITS = 4
_DIGITS = "0123456789"
# The refusals (InputError templates, read in either målform): {what} is the input's name.
MUNICIPALITY_WHAT = N_("Kommunenummer")
MSG_MUNICIPALITY_NOT_TEXT = N_("{what} må være fire sifre, fikk «{text}»")
MSG_MUNICIPALITY_DIGITS = N_("{what} må være fire sifre, f.eks. 3405 eller 0301, fikk «{text}»")
MSG_MUNICIPALITY_ZERO = N_("{what} må være fire sifre, f.eks. 3405 eller 0301, fikk «{text}» (et regneark fjerner "
                           "en null foran: skriv {padded})")


def _canonical(text: str) -> str:
    """The text with the spaces around it removed (only spaces, as Excel's TRIM)."""
    return text.strip(" ")


def is_municipality_number(text: object) -> bool:
    """Whether `text` is a municipality number by the rule (spaces around it allowed)."""
    if not isinstance(text, str):
        return False
    t = _canonical(text)
    return len(t) == MUNICIPALITY_DIGITS and all(ch in _DIGITS for ch in t)


def parse_municipality_number(text: object, subject: str | Message = "municipality_number",
                              what_nb: str = MUNICIPALITY_WHAT) -> str:
    """The municipality number in `text` as four digits, or "" for a blank; raises InputError whose
    English message starts with `subject` (an option, a column; or a message, an input's label, read in the
    målform of what shows the English) and whose Norwegian one with `what_nb` (a bokmål message id: the input's
    name, read in the målform of the message)."""
    if text is None:
        return ""
    what = Message(what_nb)
    if not isinstance(text, str):
        raise InputError("municipality_number", English("{subject} must be four digits as text, got {text!r}",
                                                        subject=subject, text=text),
                         MSG_MUNICIPALITY_NOT_TEXT, what=what, text=str(text))
    t = _canonical(text)
    if not t:
        return ""
    if is_municipality_number(t):
        return t
    if len(t) == MUNICIPALITY_DIGITS - 1 and all(ch in _DIGITS for ch in t):  # 0301 saved as a number: 301
        padded = t.zfill(MUNICIPALITY_DIGITS)
        raise InputError("municipality_number", English("{subject} must be four digits, got {text!r} (Excel drops a "
                                                        "leading zero: write {padded})", subject=subject, text=text,
                                                        padded=padded),
                         MSG_MUNICIPALITY_ZERO, what=what, text=text, padded=padded)
    raise InputError("municipality_number", English("{subject} must be four digits, got {text!r}", subject=subject,
                                                    text=text), MSG_MUNICIPALITY_DIGITS, what=what, text=text)


def municipality_number_or_none(text: object) -> str | None:
    """The municipality number in `text` when it is one by the rule, else None (blank or invalid)."""
    return _canonical(text) if isinstance(text, str) and is_municipality_number(text) else None


def excel_municipality_number_ok(ref: str) -> str:
    """The rule as an Excel formula (no leading '='): TRUE when the cell `ref` holds a municipality number
    (a number typed into it counts by its digits: 3405 is 3405, 301 is not 0301). Native functions only
    (TRIM, LEN, MID, FIND), which Excel 2010+, Excel on the web and LibreOffice compute alike; FALSE
    for an error value in the cell."""
    t = f"TRIM({ref})"
    digits = ",".join(f'ISNUMBER(FIND(MID({t},{k},1),"{_DIGITS}"))' for k in range(1, MUNICIPALITY_DIGITS + 1))
    return f"IFERROR(AND(LEN({t})={MUNICIPALITY_DIGITS},{digits}),FALSE)"
