"""Errors the command line reports on one line, and the exit codes scripts can trust."""

from __future__ import annotations

from workbook_builder.core.i18n import DEFAULT_MALFORM, Message  # kj:embed-skip

EXIT_OK = 0  # done; for `check`: every check passed and the totals match
EXIT_CHECK_FAILED = 1  # a check found a problem
EXIT_USAGE = 2  # bad arguments or a bad input file; nothing was written
EXIT_WRITE = 3  # an output could not be written


class CliError(Exception):
    """An error to report on one line, with the exit code to use."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


class InputError(ValueError):
    """A bad input: the message in English (`en`, the command line) and in Norwegian as a message template
    with its values (`message`), read in either målform: `text("nn")`, `text("nb")` (= `nb`).

    The English may be given as an `English` sentence whose values are messages (a list's labels): `english`
    keeps it, `en_in(malform)` reads its labels in `malform` (the workbook's, where a workbook's value was
    refused), and `en` is it read in bokmål, as the command line has always shown it.

        InputError("staff", "staff must be a whole number, got 12.5",
                   N_("{what} må være et heltall, fikk {value}"), what=Message(N_("Antall helsepersonell")),
                   value="12,5")

    The template is a bokmål message id (marked with N_ where it is written, so Babel extracts it); a value
    that is a Message (a label) is read in the same målform, any other value is inserted as it is. A
    finished bokmål text with no values is accepted too (it is looked up in the catalog as it stands), as is
    a Message in place of the template."""

    def __init__(self, field: str, en: str | Message, nb: str | Message, /, **values: object) -> None:
        self.field, self.english = field, en
        self.en = self.en_in(DEFAULT_MALFORM)
        self.message = nb if isinstance(nb, Message) else Message(nb, **values)
        super().__init__(self.en)

    def en_in(self, malform: str = DEFAULT_MALFORM) -> str:
        """The English message, the labels it quotes in `malform`."""
        return self.english.text(malform) if isinstance(self.english, Message) else self.english

    @property
    def nb(self) -> str:
        """The Norwegian message in bokmål."""
        return self.message.text("nb")

    def text(self, malform: str = DEFAULT_MALFORM) -> str:
        """The Norwegian message in `malform` (nb or nn)."""
        return self.message.text(malform)

    @property
    def reason(self) -> Detail:
        """The message without the input's name in front, as a message read later in either målform (for a
        note that names the input already)."""
        return Detail(self.message)

    def detail(self, malform: str = DEFAULT_MALFORM) -> str:
        """The message without the input's name in front, for a note that names the input already:
        «må vere eit heiltal, fekk 12,5» for «Tal på helsepersonell må vere eit heiltal, fekk 12,5»."""
        return self.reason.text(malform)

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str | Message, Message]]:
        return InputError, (self.field, self.english, self.message)  # one picklable form (worker processes)


class Detail(Message):
    """An InputError's message without the input's name (its value `what`) in front, read in either målform:
    «må vere eit heiltal, fekk 12,5» for «Tal på helsepersonell må vere eit heiltal, fekk 12,5». A reader of a
    filled workbook names the input beside it already."""

    __slots__ = ()

    def __init__(self, message: Message, /) -> None:
        super().__init__(message.msgid, **message.values)
        self.nn = message.nn

    def text(self, malform: str = DEFAULT_MALFORM) -> str:
        text = super().text(malform)
        what = self.values.get("what")
        name = what.text(malform) if isinstance(what, Message) else "" if what is None else str(what)
        if name and text.startswith(name):
            text = text[len(name):].lstrip(":").lstrip()
        return text

    def __repr__(self) -> str:
        return f"Detail({super().__repr__()})"
