"""Jinja2 templates for every text a person reads (welcome sheet, memo, vendor notice)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2


def templates_dir() -> Path:
    """The repository's templates/ folder, or the copy an installed wheel carries."""
    local = Path(__file__).resolve().parent.parent / "templates"
    if local.is_dir():
        return local
    import kj_budget_templates  # installed from templates/ (see pyproject.toml)

    return Path(kj_budget_templates.__file__).resolve().parent


TEMPLATES = templates_dir()


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(name: str, **context: object) -> str:
    return environment().get_template(name).render(**context)
