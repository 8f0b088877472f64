"""The words the model reports in: check statuses, the one table of check severities, the one table of
checks and their messages. Each text is a message id in bokmål (i18n.tr gives it in the målform asked
for); {placeholders} are filled by the model with values and by the workbook with formulas, so both say
the same. Standard library only."""

from __future__ import annotations

from workbook_builder.core.i18n import N_  # kj:embed-skip

# Status ids (the bokmål words): the model compares and counts these; what a person reads is
# i18n.tr(status, målform), e.g. «Ikkje utfylt» in a nynorsk workbook.
OK, NOTE, EMPTY, ERROR = N_("OK"), N_("Merknad"), N_("Ikke utfylt"), N_("Feil")
# The one table of check severities: a status's rank decides the master check (the worst wins).
# «Ikke utfylt» (nothing entered yet) is neutral: an untouched template is not an error.
SEVERITY = {OK: 0, NOTE: 1, EMPTY: 2, ERROR: 3}



# The one table of checks: id → (status when failing, title). Kontroll, the memo, `check` and the
# regional overview all read it.
CHECKS: dict[str, tuple[str, str]] = {
    "staff": (EMPTY, N_("Helsepersonell lagt inn")),
    "steps": (ERROR, N_("Innføringstrinn komplette")),
    "inputs": (ERROR, N_("Gyldige verdier på Inndata")),
    "years": (ERROR, N_("Budsjettårene summerer til totalen")),
    "lines": (ERROR, N_("Budsjettlinjene summerer til nye midler")),
    "basis": (NOTE, N_("Innenfor notatets estimatgrunnlag")),
    "vendor": (NOTE, N_("EPJ-leverandør valgt")),
    "vendor_price": (NOTE, N_("Pris for modul fra EPJ-leverandør")),
    "eid_price": (NOTE, N_("Pris for valgt e-ID")),
    "eid_current": (NOTE, N_("Valgt e-ID tilbys fortsatt")),
    "price_level": (NOTE, N_("Prisnivå fra publiserte tall")),
    "investment": (NOTE, N_("Drift eller investering (KRS 4)")),
    "running": (NOTE, N_("Driftskostnader fylt inn")),
    "benefits": (NOTE, N_("Pasientmottak for gevinst")),
    "benefit_groups": (NOTE, N_("Gevinst og grupper henger sammen")),
}
CHECK_TITLES = {k: title for k, (_, title) in CHECKS.items()}
CHECK_OK_MESSAGE = N_("I orden.")
# The message of a failing check. Placeholders: staff, low, high (the reference sizes), groups (the
# group ids as «a, b eller c»), first, last (the plan's years), last_published (the deflator's last
# published year), eid (the e-ID's label), threshold (kr), life (years), short, home (group ids).
CHECK_MESSAGES: dict[str, str] = {
    "staff": N_("Ingen helsepersonell er lagt inn ennå: fyll inn innføringstrinnene på Inndata."),
    "steps": N_("Et innføringstrinn mangler gruppe ({groups}) eller antall helsepersonell."),
    "inputs": N_("En eller flere verdier på Inndata er ugyldige og er ikke brukt: rett de merkede feltene."),
    "years": N_("Budsjettårene summerer ikke til totalen: et trinn starter utenfor økonomiplanperioden "
                "{first}–{last}."),
    "lines": N_("Budsjettlinjene summerer ikke til behovet for nye midler på arket Budsjett."),
    "basis": N_("{staff} helsepersonell er utenfor notatets estimatgrunnlag ({low}–{high}): tallene er forlenget "
                "lineært og er mer usikre."),
    "vendor": N_("EPJ-leverandør er ikke valgt (eller navnet på annen leverandør mangler)."),
    "vendor_price": N_("Pris for modul fra EPJ-leverandøren mangler: be leverandøren om pris (modulen er ikke med "
                       "i totalen)."),
    "eid_price": N_("Valgt e-ID koster 0 kr per person: en antakelse, notatet har ingen pris. Sjekk kommunens "
                    "kostnad."),
    "eid_current": N_("{eid} er avviklet og kan ikke bestilles lenger: velg en annen e-ID (se Estimater)."),
    "price_level": N_("Prisene for {first} bygger på en prognose (publiserte tall til og med {last_published}): "
                      "bruk deflatoren fra statsbudsjettet når den er kjent."),
    "investment": N_("Et kjøp koster minst {threshold} inkl. mva og varer minst {life} år: vurder om det er en "
                     "investering (KRS 4) som hører hjemme i investeringsbudsjettet."),
    "running": N_("Driftskostnadene er ikke fylt inn (notatet har ingen tall): legg inn det kommunen venter."),
    "benefits": N_("Ingen pasientmottak er lagt inn: gevinsten blir 0."),
    "benefit_groups": N_("Pasientmottak er lagt inn for en tjeneste uten innføringstrinn i tilhørende gruppe "
                         "({short}: korttidsavdelinger, {home}: hjemmetjenesten): den gevinsten blir 0."),
}
# The master check as a sentence. Placeholders: errors, notes (counts), noun (NOTE_ONE or NOTE_MANY).
MASTER_MESSAGES: dict[str, str] = {
    ERROR: N_("Feil: {errors} feil og {notes} {noun}. Se arket Kontroll."),
    EMPTY: N_("Ikke utfylt: legg inn innføringstrinnene (gruppe, antall helsepersonell, startår) på Inndata."),
    NOTE: N_("Merknad: {notes} {noun}. Se arket Kontroll."),
    OK: N_("OK: alle kontroller er i orden."),
}
NOTE_ONE, NOTE_MANY = N_("merknad"), N_("merknader")
