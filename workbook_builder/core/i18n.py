"""The målform: every text a person reads is written in bokmål in the code (the message id) and looked
up in the catalog of the målform asked for. Standard library only (gettext's .mo reader), so the model
and the Excel functions translate the same way in Python, in the classic add-in and in xlwings Lite
(whose main.py embeds the catalog as a dict: EMBEDDED_CATALOGS).

The catalogs are gettext .po files managed with Babel (`python3 dev.py catalogs`: extract, update,
compile), one per målform and domain under workbook_builder/core/locale/<målform>/LC_MESSAGES/: the
domain `core` holds the model's and the Excel functions' messages (core/, udfs/), `sheets` the
workbook's (sheets/, cells.py, workbook.py), `texts` the documents' and the command line's (templates/,
services/, cli/). Bokmål is the source language, so its text is the message id and a nynorsk message
must be translated: a test checks that every message has its nynorsk form.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Callable
from pathlib import Path

MALFORMS = {"nb": "bokmål", "nn": "nynorsk"}
DEFAULT_MALFORM = "nb"
DOMAINS = ("core", "sheets", "texts")
LOCALE_DIR = Path(__file__).with_name("locale")
EMBEDDED_CATALOGS: dict[str, dict[str, str]] | None = None  # set in xlwings Lite's main.py

_LOOKUPS: dict[str, Callable[[str], str]] = {}


def lookup(malform: str) -> Callable[[str], str]:
    """The function that gives a message id's text in `malform` (the id itself where none is found)."""
    if malform not in MALFORMS:
        raise ValueError(f"unknown målform {malform!r}: use {' or '.join(MALFORMS)}")
    if malform not in _LOOKUPS:
        if malform == DEFAULT_MALFORM:
            _LOOKUPS[malform] = str
        elif EMBEDDED_CATALOGS is not None:
            embedded = EMBEDDED_CATALOGS.get(malform, {})
            _LOOKUPS[malform] = lambda text: embedded.get(text) or text
        else:
            chain = _gettext.NullTranslations()  # a message no catalog has stays as it is
            for domain in reversed(DOMAINS):
                mo = LOCALE_DIR / malform / "LC_MESSAGES" / f"{domain}.mo"
                if mo.exists():
                    with mo.open("rb") as fh:
                        found: _gettext.NullTranslations = _gettext.GNUTranslations(fh)
                    found.add_fallback(chain)  # gettext's own chain: this domain, then the ones after it
                    chain = found  # so the first domain (core) is asked first, as in messages()
            _LOOKUPS[malform] = chain.gettext
    return _LOOKUPS[malform]


def messages(malform: str) -> dict[str, str]:
    """Every message of `malform`'s catalogs as msgid → text (what xlwings Lite's main.py embeds)."""
    out: dict[str, str] = {}
    for domain in reversed(DOMAINS):  # as lookup(): the first domain wins
        mo = LOCALE_DIR / malform / "LC_MESSAGES" / f"{domain}.mo"
        if mo.exists():
            with mo.open("rb") as fh:
                found = _gettext.GNUTranslations(fh)
            # the catalog the .mo file holds (GNUTranslations keeps it as _catalog; there is no public getter)
            out.update({k: v for k, v in found._catalog.items() if isinstance(k, str) and k and v})  # type: ignore[attr-defined]
    return out


def tr(text: str, malform: str = DEFAULT_MALFORM, /, **values: object) -> str:
    """`text` (bokmål, the message id) in `malform`, with {placeholders} filled from `values` (a value that
    is a Message is read in the same målform)."""
    return _filled(text if malform == DEFAULT_MALFORM else lookup(malform)(text), malform, values)


def _filled(text: str, malform: str, values: dict[str, object]) -> str:
    """`text` with its {placeholders} filled from `values`, a value that is a Message read in `malform` (THE rule
    for which form of a label a text shows: the Norwegian messages' and the English sentences' alike)."""
    if not values:
        return text
    return text.format(**{k: v.text(malform) if isinstance(v, Message) else v for k, v in values.items()})


class Message:
    """A text to be read later in either målform: a bokmål message id with its values (each value may be a
    Message itself), looked up in the catalog when read; or, made with `Message.known`, a text whose
    nynorsk form is known already (an estimates file's label and its label_nn).

    An InputError carries one, so the same refusal reads in the workbook's målform, the Excel functions'
    and the command line's."""

    __slots__ = ("msgid", "nn", "values")

    def __init__(self, msgid: str, /, **values: object) -> None:
        self.msgid, self.values = msgid, values
        self.nn: str | None = None

    @classmethod
    def known(cls, nb: str, nn: str) -> Message:
        """A text given in both forms (no catalog lookup)."""
        out = cls(nb)
        out.nn = nn
        return out

    def text(self, malform: str = DEFAULT_MALFORM) -> str:
        if self.nn is not None:
            lookup(malform)  # refuses an unknown målform as tr does
            return self.nn if malform == "nn" else self.msgid
        return tr(self.msgid, malform, **self.values)

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        extra = f", nn={self.nn!r}" if self.nn is not None else "".join(f", {k}={v!r}" for k, v in self.values.items())
        return f"Message({self.msgid!r}{extra})"

    def __eq__(self, other: object) -> bool:
        # a message of another kind (an InputError's Detail) reads otherwise, so it is not equal
        return (isinstance(other, Message) and type(other) is type(self)
                and (self.msgid, self.nn, self.values) == (other.msgid, other.nn, other.values))

    def __hash__(self) -> int:
        return hash((self.msgid, self.nn))

    def __getstate__(self) -> tuple[str, str | None, dict[str, object]]:
        return self.msgid, self.nn, self.values

    def __setstate__(self, state: tuple[str, str | None, dict[str, object]]) -> None:
        self.msgid, self.nn, self.values = state


class English(Message):
    """A sentence of the command line's own (English, never looked up in a catalog) whose values may be messages:
    an input's label, a list's labels, a reason. They are read in the målform of the text that shows the sentence,
    as the Norwegian messages read them, so an English reason about a nynorsk workbook quotes its labels as the
    workbook shows them («'høg' is the list value 'Høg'»), and about a bokmål one as it always did.

        English("{label}: must be at most {limit} characters", label=Message(N_("Kommune")), limit=100)

    The sentence is a template (a value's own braces are safe); one with no values is the text as it stands."""

    __slots__ = ()

    def text(self, malform: str = DEFAULT_MALFORM) -> str:
        lookup(malform)  # refuses an unknown målform as tr does
        return _filled(self.msgid, malform, self.values)

    def __repr__(self) -> str:
        return f"English({super().__repr__().removeprefix('Message(')}"


def parse_malform(value: object) -> str:
    """'nb' / 'nn' from the id or the name, any case ('Nynorsk', 'NN'); ValueError otherwise."""
    text = str(value or "").strip().lower()
    for key, name in MALFORMS.items():
        if text in (key, name):
            return key
    raise ValueError(f"målform must be nb (bokmål) or nn (nynorsk), got {value!r}")


def N_(text: str) -> str:  # noqa: N802 - gettext's name for «mark for translation, translate later»
    """Marks a message for extraction where it is defined (a table of labels) and translated later."""
    return text
