"""Jinja2 templates for every text a person reads (welcome sheet, memo, vendor notice).

A template's texts are messages: `{% trans %}…{% endtrans %}` blocks and `_("…")` (jinja2's i18n extension,
extracted by Babel with the same `trimmed` policy), translated into the målform a template is rendered in.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from workbook_builder.core.i18n import DEFAULT_MALFORM, lookup


def templates_dir() -> Path:
    """The repository's templates/ folder, or the copy an installed wheel carries."""
    local = Path(__file__).resolve().parent.parent / "templates"
    if local.is_dir():
        return local
    import kj_budget_templates  # installed from templates/ (see pyproject.toml)

    return Path(kj_budget_templates.__file__).resolve().parent


TEMPLATES = templates_dir()


@cache
def environment(malform: str = DEFAULT_MALFORM) -> jinja2.Environment:
    """The templates' environment for one målform: its i18n extension looks messages up in that målform's
    catalogs (one environment per målform, so rendering in one never changes another's texts)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True  # as the Babel mapping extracts them (trimmed = true)
    gettext = lookup(malform)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    env.install_gettext_callables(gettext, ngettext)  # type: ignore[attr-defined]  # added by the extension
    return env


def render(name: str, malform: str = DEFAULT_MALFORM, **context: object) -> str:
    """Render a template with its messages in `malform`."""
    return environment(malform).get_template(name).render(**context)
