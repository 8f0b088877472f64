"""The message catalogs (issue 13): every text a person reads is a message in bokmål, the source language,
and has its nynorsk form. Babel extracts the messages from the code and the templates exactly as
`python3 dev.py catalogs` does, and the tests compare them with the .po files and the compiled .mo files
the program reads:

- every message of the code is in each målform's catalog, and the catalogs hold no message the code no
  longer has (run `python3 dev.py catalogs` after changing a text);
- every domain (core, sheets, texts) has messages, and every nynorsk message is translated (not empty, not
  fuzzy), keeps the placeholders of its bokmål message, so a number or a name never goes missing, and differs
  from the bokmål text where that has a bokmål-only word form (tests/malform_words.py);
- the .mo files are what the .po files compile to.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from malform_words import OTHER, forms_found

from workbook_builder.core import i18n

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"tr": None, "N_": None, "_": None, "gettext": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*(?:[:!][^}]*)?\}|%\([a-z_][a-z0-9_]*\)[sd]")


def extracted(domain: str) -> set[str]:
    cfg = (i18n.LOCALE_DIR / f"{domain}.cfg").read_text(encoding="utf-8")
    method_map, options_map = parse_mapping_cfg(io.StringIO(cfg))
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True):
        found.add(message if isinstance(message, str) else message[0])
    return found


def catalog(malform: str, domain: str):
    with (i18n.LOCALE_DIR / malform / "LC_MESSAGES" / f"{domain}.po").open("rb") as fh:
        return read_po(fh, locale=malform, domain=domain)


@pytest.fixture(scope="module", params=i18n.DOMAINS)
def domain(request) -> tuple[str, set[str]]:
    return request.param, extracted(request.param)


@pytest.mark.parametrize("malform", list(i18n.MALFORMS))
def test_the_catalogs_hold_exactly_the_codes_messages(domain, malform):
    name, messages = domain
    ids = {m.id for m in catalog(malform, name) if m.id}
    assert messages - ids == set(), f"{name}: not in the {malform} catalog: run python3 dev.py catalogs"
    assert ids - messages == set(), f"{name}: the {malform} catalog has messages the code no longer has"


def test_every_nynorsk_message_is_translated_with_its_placeholders(domain):
    name, _ = domain
    missing, fuzzy, placeholders = [], [], []
    for m in catalog("nn", name):
        if not m.id:
            continue
        text = m.string if isinstance(m.string, str) else m.string[0]
        msgid = m.id if isinstance(m.id, str) else m.id[0]
        if not text:
            missing.append(msgid)
        elif m.fuzzy:
            fuzzy.append(msgid)
        elif sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(msgid)):
            placeholders.append((msgid, text))
    assert missing == [] and fuzzy == [] and placeholders == []


def test_every_domain_has_messages_and_no_nynorsk_message_keeps_a_bokmaal_word(domain):
    """A nynorsk text left as its bokmål id (or with a bokmål word in it) is caught, domain by domain; a text
    spelled the same in both (Sum, Kontroll, «Helsepersonell») may stay as it is."""
    name, messages = domain
    assert len(messages) >= 20, f"{name}: the domain has no messages: is its Babel mapping right?"
    kept, bokmaal = [], []
    for m in catalog("nn", name):
        if not m.id:
            continue
        msgid = m.id if isinstance(m.id, str) else m.id[0]
        text = m.string if isinstance(m.string, str) else m.string[0]
        if forms_found([msgid], OTHER["nn"]):
            if text == msgid:
                kept.append(msgid)
            elif found := forms_found([text], OTHER["nn"]):
                bokmaal.append((text, sorted(found)))
    assert kept == [] and bokmaal == []


@pytest.mark.parametrize("malform", list(i18n.MALFORMS))
def test_the_compiled_catalogs_are_up_to_date(domain, malform):
    name, _ = domain
    buf = io.BytesIO()
    write_mo(buf, catalog(malform, name))
    mo = i18n.LOCALE_DIR / malform / "LC_MESSAGES" / f"{name}.mo"
    assert mo.read_bytes() == buf.getvalue(), f"{mo}: run python3 dev.py catalogs"


def test_a_message_is_looked_up_in_the_nynorsk_catalog_and_formatted():
    nn = {m.id: m.string for d in i18n.DOMAINS for m in catalog("nn", d) if m.id and m.string}
    msgid, text = next((k, v) for k, v in nn.items() if isinstance(k, str) and "{" not in k and k != v)
    assert i18n.tr(msgid, "nn") == text != msgid
    assert i18n.tr(msgid, "nb") == msgid
    assert i18n.tr("Ingen slik melding {n}", "nn", n=3) == "Ingen slik melding 3"  # unknown: the bokmål text


def test_malform_names_and_ids_are_parsed_and_anything_else_refused():
    assert [i18n.parse_malform(v) for v in ("nb", "NN", " Nynorsk ", "bokmål")] == ["nb", "nn", "nn", "nb"]
    for bad in ("", "en", None, "nynorsk2"):
        with pytest.raises(ValueError, match="nb \\(bokmål\\) or nn \\(nynorsk\\)"):
            i18n.parse_malform(bad)


def test_a_message_in_two_domains_has_one_nynorsk_form():
    """`tr` looks a message up in core, then sheets, then texts, and the first catalog that has it wins: a
    message id in two domains with two nynorsk forms would read one way in the workbook and another in the
    memo depending on where it happens to be found first."""
    forms: dict[str, dict[str, str]] = {}
    for domain in i18n.DOMAINS:
        for m in catalog("nn", domain):
            if m.id and m.string:
                forms.setdefault(m.id, {})[domain] = m.string
    differing = {msgid: by_domain for msgid, by_domain in forms.items() if len(set(by_domain.values())) > 1}
    assert differing == {}
