"""The estimates as a JSON document for scripts (`kj-budget estimates --json`)."""

from __future__ import annotations

from typing import Any

from workbook_builder.core.estimates import Estimates
from workbook_builder.core.model import Inputs, resolve


def estimates_json(est: Estimates) -> dict[str, Any]:
    """What `kj-budget estimates --json` prints."""
    return {
        "id": est.id, "version": est.version, "name": est.name, "document": est.document, "sha256": est.sha256,
        "sizes": list(est.sizes.values),
        "items": [{"id": i.id, "label": i.label, "track": i.track, "kind": i.kind, "unit": i.unit,
                   "values": list(i.values) if i.values else None,
                   "published": list(i.published) if i.published else None, "source": i.source,
                   "low_share": i.low_share, "high_share": i.high_share, "range_source": i.range_source}
                  for i in est.items],
        "readers": list(est.readers.values),
        "running": [{"id": r.id, "label": r.label, "kind": r.kind, "unit": r.unit, "value": r.value,
                     "low_share": r.low_share, "high_share": r.high_share} for r in est.running],
        "uncertainty": {"default_level": est.uncertainty.default_level, "p85_z": est.uncertainty.p85_z.value,
                        "levels": [{"id": lv.id, "label": lv.label, "factor": lv.factor}
                                   for lv in est.uncertainty.levels]},
        "eid_options": [{"id": o.id, "label": o.label, "kr_per_person": o.kr_per_person, "readers": o.readers}
                        for o in est.eid_options],
        "price_year": est.price_year,
        "hourly_rate": resolve(est, Inputs()).hourly.kr_per_hour,
        "deflator": [{"year": y.year, "deflator": y.deflator, "wage": y.wage, "status": y.status}
                     for y in est.deflator.years],
    }
