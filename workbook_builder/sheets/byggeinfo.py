"""Byggeinfo (hidden, protected): what the workbook was built from, so a later tool knows what it reads."""

from __future__ import annotations

from pathlib import Path

from workbook_builder.sheets.base import Context, Sheet

SHEET = "Byggeinfo"


def metadata(ctx: Context, template_version: str) -> dict[str, str]:
    est = ctx.est
    return {
        "tool": "kj-budget",
        "tool_version": ctx.version,
        "template_version": template_version,
        "estimates_id": est.id,
        "estimates_version": est.version,
        "estimates_sha256": est.sha256,
        "estimates_file": Path(est.file).name,
        "built": ctx.today.isoformat(),
        "malform": ctx.malform,
        "default_first_year": str(ctx.budget.params.first_year if ctx.inputs.first_year is None
                                  else ctx.today.year + 1),
    }


def write(ctx: Context, s: Sheet, template_version: str) -> dict[str, str]:
    ws = s.ws
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 70)
    s.text(0, 0, "Byggeinfo – brukes av kj-budget når arbeidsboken lages på nytt", "bold")
    meta = metadata(ctx, template_version)
    for r, (key, value) in enumerate(meta.items(), start=2):
        s.text(r, 0, key, "label")
        s.text(r, 1, value, "text", "text")
        s.define(f"kj_meta_{key}", (r, 1), None, "meta")
    ws.hide()
    s.protect()
    return meta
