"""`build --from` on the terminal: the command line's own sentences are English, and every value of the workbook it
shows is in the new workbook's målform, as that workbook's Regenerering sheet and its lists show it.

A nynorsk workbook whose list inputs were filled in (e-ID, EPJ vendor, pay role, uncertainty, a step's group; some
by their nynorsk label, some by an id or a product name) is regenerated; the report on the terminal names each
carried list value by its nynorsk label, the value the new workbook holds. A bokmål workbook keeps its bokmål
labels, and `--malform` switches the labels with the workbook.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import TODAY
from filling import changed_estimates, filled_in_each_malform

from workbook_builder.cells import INPUT_BY_NAME
from workbook_builder.cli.main import main
from workbook_builder.core.i18n import tr
from workbook_builder.core.model import choice_label

CARRIED = "  carried      "


def typed(est, malform: str) -> dict[str, Any]:
    """List values typed as users type them: the workbook's own label, an id, a product name, a label in any case;
    and two values that cannot be carried (a group not on the list, a vendor name too long)."""
    return {"kj_municipality": "Voss", "kj_municipality_number": "4621",
            "kj_eid": "pki", "kj_vendor": "other", "kj_vendor_other": "x" * 120, "kj_pay_role": "sykepleier",
            "kj_uncertainty": choice_label(est, "level", "hoy", malform).lower(),
            "kj_step_group#1": choice_label(est, "group", "a", malform), "kj_step_staff#1": 12,
            "kj_step_group#2": "b", "kj_step_staff#2": 3,
            "kj_step_group#3": "x", "kj_step_staff#3": 4}


@pytest.fixture(scope="module")
def filled_in(est, tmp_path_factory) -> dict[str, Path]:
    return filled_in_each_malform(est, tmp_path_factory.mktemp("terminal"), typed, TODAY)


def rebuilt(source: Path, out: Path, capsys, *more: str) -> list[str]:
    """`kj-budget build --from SOURCE --out OUT [more]`: the lines it prints."""
    assert main(["build", "--from", str(source), "--out", str(out), *more]) == 0
    return capsys.readouterr().out.splitlines()


def carried_values(lines: list[str]) -> dict[str, str]:
    """The terminal's carried values by key: `  carried      kj_eid = 'PKI-kort' (changed: …)`."""
    out = {}
    for line in lines:
        if line.startswith(CARRIED):
            key, _, rest = line.removeprefix(CARRIED).partition(" = ")
            out[key] = rest[1:rest.index("'", 1)]
    return out


def sheet_values(path: Path) -> dict[str, str]:
    """The Regenerering sheet's «Verdi nå» (value now) by key."""
    ws = openpyxl.load_workbook(path)["Regenerering"]
    return {row[1]: row[3] for row in ws.iter_rows(values_only=True) if isinstance(row[1], str) and row[3]}


def is_list_input(key: str) -> bool:
    spec = INPUT_BY_NAME.get(key.split("#")[0])
    return spec is not None and spec.kind == "choice"


NN_CARRIED = {
    "kj_eid": "PKI-kort",
    "kj_vendor": "Annan leverandør",
    "kj_pay_role": "Sjukepleiar",
    "kj_uncertainty": "Høg",
    "kj_step_group#1": "a: Sjukeheimslegar",
    "kj_step_group#2": "b: Legemiddelansvarlege, korttidsavdelingar",
}
NB_CARRIED = {
    "kj_eid": "PKI-kort",
    "kj_vendor": "Annen leverandør",
    "kj_pay_role": "Sykepleier",
    "kj_uncertainty": "Høy",
    "kj_step_group#1": "a: Sykehjemsleger",
    "kj_step_group#2": "b: Legemiddelansvarlige, korttidsavdelinger",
}


def test_the_terminal_names_each_carried_list_value_of_a_nynorsk_workbook_in_nynorsk(filled_in, tmp_path, capsys):
    lines = rebuilt(filled_in["nn"], tmp_path / "ny.xlsx", capsys)
    values = carried_values(lines)
    assert {k: v for k, v in values.items() if is_list_input(k)} == NN_CARRIED
    assert f"{CARRIED}kj_step_group#1 = 'a: Sjukeheimslegar'" in lines  # typed as the list shows it: not changed
    assert any(line.startswith(f"{CARRIED}kj_vendor = 'Annan leverandør' (changed: ") for line in lines)


def test_the_terminal_names_each_carried_list_value_of_a_bokmaal_workbook_as_it_always_did(filled_in, tmp_path,
                                                                                            capsys):
    values = carried_values(rebuilt(filled_in["nb"], tmp_path / "ny.xlsx", capsys))
    assert {k: v for k, v in values.items() if is_list_input(k)} == NB_CARRIED


@pytest.mark.parametrize(("old", "new"), [("nn", "nn"), ("nb", "nb"), ("nn", "nb"), ("nb", "nn")])
def test_the_terminal_and_the_regenerering_sheet_show_a_carried_value_alike(filled_in, tmp_path, capsys, old, new):
    """Whatever the old workbook's målform and the new one's (`--malform`), the terminal shows each carried list
    value as the new workbook's Regenerering sheet and its list do."""
    out = tmp_path / "ny.xlsx"
    values = carried_values(rebuilt(filled_in[old], out, capsys, "--malform", new))
    sheet = sheet_values(out)
    listed = {k: v for k, v in values.items() if is_list_input(k)}
    assert listed == {k: sheet[k] for k in listed}
    assert listed == {"nn": NN_CARRIED, "nb": NB_CARRIED}[new]


def bokmaal_labels(est) -> list[str]:
    """Every list label and input label of the workbook whose nynorsk form differs from its bokmål one."""
    options = [*est.eid_options, *est.vendors, *est.groups, *est.pay.roles, *est.employer_tax.zones,
               *est.uncertainty.levels]
    labels = [o.label for o in options] + [spec.label for spec in INPUT_BY_NAME.values()]
    return [nb for nb in labels if est.text_in(nb, "nn") != nb or tr(nb, "nn") != nb]


def test_the_terminals_reasons_name_list_values_and_inputs_in_a_nynorsk_workbooks_malform(est, filled_in, tmp_path,
                                                                                          capsys):
    """The reasons are English sentences; the list values and input labels they quote are the workbook's."""
    lines = rebuilt(filled_in["nn"], tmp_path / "ny.xlsx", capsys)
    report = [line for line in lines if line.startswith(("  carried", "  NOT CARRIED", "  DROPPED"))]
    found = {nb: [line for line in report if nb in line] for nb in bokmaal_labels(est)}
    assert {nb: where for nb, where in found.items() if where} == {}


@pytest.mark.parametrize(("old", "new"), [("nb", "nn"), ("nn", "nb")])
def test_a_malform_switch_is_not_an_estimate_change(est, filled_in, tmp_path, capsys, old, new):
    """`build --from OLD --malform` writes the lists in the other målform: not a change of the estimates (it was
    reported as seven: the lists of roles, levels, groups and vendors, the default role, the functions and the arts).
    A figure that did change is still named, as in a regeneration that keeps the målform."""
    lines = rebuilt(filled_in[old], tmp_path / "ny.xlsx", capsys, "--malform", new)
    assert "Estimates changed: 0" in lines
    changed = tmp_path / "nye.toml"
    changed.write_text(changed_estimates(est).text, encoding="utf-8")
    named = {}
    for malform in (old, new):
        out = tmp_path / f"ny-{malform}.xlsx"
        lines = rebuilt(filled_in[old], out, capsys, "--malform", malform, "--estimates", str(changed))
        named[malform] = [line.split(":")[0].strip() for line in lines[lines.index(next(
            line for line in lines if line.startswith("Estimates changed: "))) + 1:] if line.startswith("  kj_")]
    assert named[old] and named[new] == named[old]


def reasons(lines: list[str]) -> list[str]:
    """The report's lines that give a reason: a changed value, a value not carried or dropped."""
    return [line for line in lines if " (changed: " in line or line.startswith(("  NOT CARRIED", "  DROPPED"))]


@pytest.mark.parametrize(("old", "new"), [("nn", "nb"), ("nb", "nn")])
def test_the_terminals_reasons_quote_the_new_workbooks_labels_after_a_malform_switch(est, filled_in, tmp_path,
                                                                                     capsys, old, new):
    """With `--malform`, the reasons quote the lists and inputs as the new workbook shows them, as its carried values
    do: the other målform's labels are not in them."""
    shown = reasons(rebuilt(filled_in[old], tmp_path / "ny.xlsx", capsys, "--malform", new))
    labels = {"nn": bokmaal_labels(est), "nb": [tr(nb, "nn") if tr(nb, "nn") != nb else est.text_in(nb, "nn")
                                               for nb in bokmaal_labels(est)]}[new]
    assert len(shown) >= 6
    assert {label: where for label in labels if (where := [line for line in shown if label in line])} == {}


def test_the_terminals_reasons_for_a_bokmaal_workbook_are_the_same_as_before(filled_in, tmp_path, capsys):
    """Byte for byte what kj-budget printed before the reasons were read in the new workbook's målform."""
    shown = reasons(rebuilt(filled_in["nb"], tmp_path / "ny.xlsx", capsys))
    assert shown == [
        "  carried      kj_vendor = 'Annen leverandør' (changed: 'other' is the list value 'Annen leverandør')",
        "  carried      kj_eid = 'PKI-kort' (changed: 'pki' is the list value 'PKI-kort')",
        "  carried      kj_step_group#2 = 'b: Legemiddelansvarlige, korttidsavdelinger' (changed: 'b' is the list "
        "value 'b: Legemiddelansvarlige, korttidsavdelinger')",
        "  carried      kj_pay_role = 'Sykepleier' (changed: 'sykepleier' is the list value 'Sykepleier')",
        "  carried      kj_uncertainty = 'Høy' (changed: 'høy' is the list value 'Høy')",
        f"  NOT CARRIED  kj_vendor_other = {'x' * 120!r}: Navn på annen leverandør: must be at most 100 characters, "
        "has 120; kept as a note beside the input (Inndata, column J), the input is blank",
        "  NOT CARRIED  kj_step_group#3 = 'x': unknown rollout group 'x' (use one of: a, b, c, or a: Sykehjemsleger; "
        "b: Legemiddelansvarlige, korttidsavdelinger; c: Hjemmesykepleie og tjenestekontor); kept as a note beside "
        "the input (Inndata, column J), the input is blank",
    ]
