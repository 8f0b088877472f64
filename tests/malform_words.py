"""The one word search of the målform tests (issue 13): tests/data/malform_words.toml's lists of word forms that
are only bokmål or only nynorsk, looked for as whole words in any case, outside «quotations» (a document title
or a phrase quoted as its source wrote it) and outside texts a test names as exempt (the estimates file's sources
that have no nynorsk text yet)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

WORDS = tomllib.loads((Path(__file__).parent / "data" / "malform_words.toml").read_text(encoding="utf-8"))
QUOTED = re.compile(r"«[^»]*»")  # a quoted document title or phrase stays as its source wrote it
OTHER = {"nn": "bokmaal_only", "nb": "nynorsk_only"}  # a text in this målform must have none of these forms


def word_pattern(kind: str) -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(re.escape(w["word"]) for w in WORDS[kind]) + r")\b", re.IGNORECASE)


def untranslated_sources(est_file: Path) -> list[str]:
    """The estimates file's source texts that have no nynorsk text beside them (`source` without
    `source_nn`, and the other *source keys): references quoted as the file gives them, in bokmål, until
    someone writes their nynorsk text. Everything else in the file is a label, unit or list value a
    nynorsk text must show in nynorsk."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key.endswith("source") and isinstance(value, str) and f"{key}_nn" not in node:
                    found.append(value)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(tomllib.loads(est_file.read_text(encoding="utf-8")))
    return sorted(set(found), key=len, reverse=True)


def forms_found(texts: list[str], kind: str, exempt: list[str] | tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Word form → the texts it occurs in (whole words, any case), outside «…» and the exempt texts."""
    pattern = word_pattern(kind)
    out: dict[str, list[str]] = {}
    for text in texts:
        rest = QUOTED.sub(" ", text)
        for quoted in exempt:
            rest = rest.replace(quoted, " ")
        for m in pattern.finditer(rest):
            out.setdefault(m.group(1).lower(), []).append(text[:160])
    return out
