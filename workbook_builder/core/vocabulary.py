"""The words the model reports in: check statuses, the one table of check severities and the one
table of checks (bokmål, as the workbook shows them). Standard library only."""

from __future__ import annotations

OK, NOTE, EMPTY, ERROR = "OK", "Merknad", "Ikke utfylt", "Feil"
# The one table of check severities: a status's rank decides the master check (the worst wins).
# «Ikke utfylt» (nothing entered yet) is neutral: an untouched template is not an error.
SEVERITY = {OK: 0, NOTE: 1, EMPTY: 2, ERROR: 3}



# The one table of checks: id → (status when failing, title). Kontroll, the memo, `check` and the
# regional overview all read it.
CHECKS: dict[str, tuple[str, str]] = {
    "staff": (EMPTY, "Helsepersonell lagt inn"),
    "steps": (ERROR, "Innføringstrinn komplette"),
    "inputs": (ERROR, "Gyldige verdier på Inndata"),
    "years": (ERROR, "Budsjettårene summerer til totalen"),
    "lines": (ERROR, "Budsjettlinjene summerer til nye midler"),
    "basis": (NOTE, "Innenfor notatets estimatgrunnlag"),
    "vendor": (NOTE, "EPJ-leverandør valgt"),
    "vendor_price": (NOTE, "Pris for modul fra EPJ-leverandør"),
    "eid_price": (NOTE, "Pris for valgt e-ID"),
    "eid_current": (NOTE, "Valgt e-ID tilbys fortsatt"),
    "price_level": (NOTE, "Prisnivå fra publiserte tall"),
    "investment": (NOTE, "Drift eller investering (KRS 4)"),
    "running": (NOTE, "Driftskostnader fylt inn"),
    "benefits": (NOTE, "Pasientmottak for gevinst"),
    "benefit_groups": (NOTE, "Gevinst og grupper henger sammen"),
}
CHECK_TITLES = {k: title for k, (_, title) in CHECKS.items()}
CHECK_OK_MESSAGE = "I orden."
