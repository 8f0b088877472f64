"""`kj-budget memo FILE.xlsx --oppfolging` (issue 14): the follow-up note for a tertial report.

- every figure of a line is `core.followup.follow_up`'s, formatted by the memo's helpers (1 234 kr, 56 timer);
  one line is checked by hand (stand-ins paid in 2026, brought to 2025 pay by the wage index);
- the status words, the summary in words (lines above P85, «innenfor kostnadsrammen»), a year not ended on the
  note's date read as «hittil i år»;
- the command: beside the workbook (NAME-oppfolging.html, --pdf), a workbook filled as a user fills it, refused
  without actuals (exit 2, one line), its own kind of file under the output rule;
- nynorsk without bokmål-only word forms; the PDF tagged, with its language and the charts' alternatives.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import TODAY
from filling import fill
from malform_words import OTHER, forms_found
from test_memo_accessibility import structure
from test_texts_malform import page_text

from workbook_builder.cli.main import main
from workbook_builder.core.followup import ABOVE, BELOW, HOURS, WITHIN, follow_up, line_label
from workbook_builder.core.i18n import MALFORMS, tr
from workbook_builder.core.model import Actual, Inputs, Step, budget
from workbook_builder.core.numbers import excel_round
from workbook_builder.services.followup_memo import NoActuals, render_followup_html, signed, signed_pct
from workbook_builder.services.memo import hours, html_to_pdf, kr, parse_nb, pct
from workbook_builder.workbook import build_workbook

NBSP = "\u00a0"
# 2025 is over on the note's date (TODAY, 28.11.2026); 2026 is the year so far
PLAN = Inputs(municipality="Lillehammer", municipality_number="3405", vendor="gerica", eid="pki", first_year=2025,
              steps=(Step(12, "a", "Sykehjemsleger", 2025), Step(45, "b", "KAD/ØHD", 2025),
                     Step(60, "c", "Sone nord", 2026)),
              vendor_module_kr=85_000, maintenance_kr_per_year=12_000)


def with_actuals(est) -> Inputs:
    """One line above P85, one within the range, one below P50, and stand-ins paid in 2026 (nominal)."""
    devs = {(d.line.id, d.year): d for d in follow_up(est, budget(est, PLAN, TODAY))}
    eid, training, module = devs[("eid", 2025)], devs[("training", 2025)], devs[("vendor_module", 2025)]
    return replace(PLAN, actuals=(
        Actual("eid", 2025, round(eid.p50 * 0.8)),  # below P50
        Actual("training", 2025, round((training.p50 + training.p85) / 2)),  # within
        Actual("vendor_module", 2025, round(module.p85 * 1.2)),  # above P85
        Actual("standin", 2026, 20_820),  # 2026 kroner: 20 000 kr in 2025 pay (wage index 2026: +4,1 %)
        Actual("planning_kj", 2026, 10),
    ))


class Rows(HTMLParser):
    """The note's line rows (<tr data-line="id-year">), each as its cells' texts."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self.key: str | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and a.get("data-line"):
            self.key = str(a["data-line"])
            self.rows[self.key] = []
        elif tag == "td" and self.key is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self.key is not None and self.cell is not None:
            self.rows[self.key].append(" ".join("".join(self.cell).split(" ")).strip())
            self.cell = None
        elif tag == "tr":
            self.key = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def rows(page: str) -> dict[str, list[str]]:
    p = Rows()
    p.feed(page)
    return p.rows


def note(est, inputs: Inputs, malform: str = "nb", today: dt.date = TODAY) -> str:
    inputs = replace(inputs, malform=malform)
    return render_followup_html(est, inputs, budget(est, inputs, TODAY), workbook="lillehammer.xlsx", today=today,
                                metadata={"built": "28.11.2026"})


@pytest.fixture(scope="module")
def inputs(est) -> Inputs:
    return with_actuals(est)


@pytest.fixture(scope="module")
def page(est, inputs) -> str:
    return note(est, inputs)


# ------------------------------------------------------------------------------------------ the figures


def test_every_line_with_an_actual_shows_follow_ups_figures(est, inputs, page):
    found = rows(page)
    known = [d for d in follow_up(est, budget(est, inputs, TODAY), inputs.actuals) if d.actual is not None]
    assert len(known) == 5
    for d in known:
        unit = (lambda x: hours(x)) if d.line.unit == HOURS else kr
        cells = found[f"{d.line.id}-{d.year}"]
        expected = [line_label(est, d.line, "nb"), unit(d.budget), f"{unit(d.p50)} – {unit(d.p85)}"]
        if d.line.unit != HOURS:
            expected.append(kr(d.actual_nominal))
        expected += [unit(d.actual), signed(d.deviation, d.line.unit, "nb"), signed_pct(d.deviation_share),
                     d.status]
        assert cells == expected, d.line.id


def test_one_line_by_hand_stand_ins_paid_in_2026_are_brought_to_2025_pay(est, inputs, page):
    """20 820 kr paid in 2026, the wage index +4,1 % from 2025 to 2026: 20 000 kr in fixed 2025 prices."""
    b = budget(est, inputs, TODAY)
    standin = next(d for d in follow_up(est, b, inputs.actuals) if (d.line.id, d.year) == ("standin", 2026))
    assert standin.actual == pytest.approx(20_000)
    assert standin.budget == b.years[1].item_kr["standin"] > 0
    cells = rows(page)["standin-2026"]
    assert cells[3:5] == [f"20{NBSP}820{NBSP}kr", f"20{NBSP}000{NBSP}kr"]
    assert parse_nb(cells[5]) == excel_round(20_000 - standin.budget, 0)
    assert cells[5].startswith("+" if standin.budget < 20_000 else "−")
    assert cells[7] == standin.status


def test_the_status_words_and_the_summary_in_words(est, inputs, page):
    found = rows(page)
    assert found["eid-2025"][-1] == BELOW
    assert found["training-2025"][-1] == WITHIN
    assert found["vendor_module-2025"][-1] == ABOVE
    text = " ".join(page_text(page))
    assert "«Over P85» (over kostnadsrammen): 1 av 5 faktiske tall:" in " ".join(text.split())
    b = budget(est, inputs, TODAY)
    money = [d for d in follow_up(est, b, inputs.actuals) if d.actual is not None and d.line.unit != HOURS]
    spent, budgeted = sum(d.actual for d in money), sum(d.budget for d in money)
    assert f"brukt {kr(spent)} mot budsjettert {kr(budgeted)}" in page
    assert f"({signed_pct((spent - budgeted) / budgeted)})" in page
    module = next(d for d in money if d.line.id == "vendor_module")
    assert f"{line_label(est, module.line, 'nb')} (2025): {signed(module.deviation, 'kr', 'nb')}" in page
    # the year's new money against its budget and its cost frame (the model's P85 for the year)
    spent_2025 = sum(d.actual for d in money if d.year == 2025)
    assert (f"brukt {kr(spent_2025)} i nye midler, {pct(spent_2025 / b.years[0].cash_kr)} av årets budsjett på "
            f"{kr(b.years[0].cash_kr)}; kostnadsrammen (P85) for året er {kr(b.ranges.cash_years[0].p85)}.") in page


def test_the_years_table_sums_the_lines_with_actuals(est, inputs, page):
    """Budget and actual per year for the lines whose actual is known, kroner and hours apart (as Oppfølging's
    summary), read back from the page by the one number rule."""
    from test_reports_memo import figures

    shown = figures(page)
    devs = [d for d in follow_up(est, budget(est, inputs, TODAY), inputs.actuals) if d.actual is not None]
    for year in (2025, 2026):
        for key, unit in (("money", "kr"), ("time", HOURS)):
            known = [d for d in devs if d.year == year and d.line.unit == unit]
            assert parse_nb(shown[f"{key}_budget-{year}"]) == excel_round(sum(d.budget for d in known), 0)
            assert parse_nb(shown[f"{key}_actual-{year}"]) == excel_round(sum(d.actual for d in known), 0)
    assert shown["time_actual-2026"] == f"10{NBSP}timer"


def test_a_note_with_every_actual_within_the_frame_says_so(est, inputs):
    inside = replace(inputs, actuals=tuple(a for a in inputs.actuals if a.line != "vendor_module"))
    text = " ".join(" ".join(page_text(note(est, inside))).split())
    assert "Ingen linje er «Over P85» : alle faktiske tall er innenfor kostnadsrammen." in text


def test_an_actual_in_a_year_without_budget_is_shown_without_a_share(est):
    """Money paid before the first step starts: no budget, so no share and no share of the year's budget."""
    early = Inputs(first_year=2025, steps=(Step(30, "b", "", 2027),), actuals=(Actual("eid", 2025, 5_000),))
    page = note(est, early)
    assert rows(page)["eid-2025"][1:] == [f"0{NBSP}kr", f"0{NBSP}kr – 0{NBSP}kr", f"5{NBSP}000{NBSP}kr",
                                          f"5{NBSP}000{NBSP}kr", f"+5{NBSP}000{NBSP}kr", "–", ABOVE]
    text = " ".join(" ".join(page_text(page)).split())
    assert "2025: brukt 5 000 kr i nye midler, men budsjettet har ingen nye midler dette året." in text
    assert "(–)" not in text


def test_a_year_not_ended_on_the_notes_date_reads_hittil_i_aar(est, inputs, page):
    text = " ".join(" ".join(page_text(page)).split())
    assert "Tallene for 2026 gjelder hittil i år, og sammenlignes med budsjettet for hele året." in text
    assert "2026 (hittil i år)" in text and "2025 (hittil i år)" not in text
    later = " ".join(" ".join(page_text(note(est, inputs, today=dt.date(2027, 2, 15)))).split())
    assert "hittil i år" not in later


def test_no_actuals_is_refused_by_the_service(est):
    with pytest.raises(NoActuals):
        note(est, PLAN)


# ------------------------------------------------------------------------------------------ the command


@pytest.fixture(scope="module")
def filled(est, inputs, tmp_path_factory) -> Path:
    """A workbook built with the plan and filled on Oppfølging as a user fills it (openpyxl), one value invalid."""
    root = tmp_path_factory.mktemp("oppfolging")
    build_workbook(root / "plan.xlsx", est, PLAN, today=TODAY)
    values = {f"kj_actual_{a.line}#{a.year - 2025 + 1}": a.value for a in inputs.actuals}
    values["kj_actual_tech_assistance#1"] = "ca. 40 000"
    return fill(root / "plan.xlsx", values, root / "lillehammer.xlsx")


def test_the_command_writes_the_note_and_its_pdf_beside_the_workbook(est, inputs, filled, capsys):
    assert main(["memo", str(filled), "--oppfolging", "--pdf"]) == 0
    out, err = capsys.readouterr()
    html = filled.with_name("lillehammer-oppfolging.html")
    assert out.strip() == (f"Wrote {html} and {html.with_suffix('.pdf')}: Lillehammer, 5 actual(s) in 2025–2026, "
                           "1 above P85.")
    assert "1 invalid value(s)" in err and "«5. Ugyldige verdier»" in err
    page = html.read_text(encoding="utf-8")
    b = budget(est, inputs, dt.date.today())
    for d in follow_up(est, b, inputs.actuals):
        if d.actual is not None:
            assert rows(page)[f"{d.line.id}-{d.year}"][-1] == d.status
    assert "«ca. 40 000»" in page  # the invalid actual is named, and left out of every figure
    assert "<li>Faktisk tall: Teknisk bistand kjernejournal 2025: «ca. 40 000» – tekst, ikke et tall</li>" in page
    assert "tech_assistance-2025" in rows(page) and rows(page)["tech_assistance-2025"][3] == "ikke ført ennå"
    assert html.with_suffix(".pdf").read_bytes().startswith(b"%PDF-")


def test_the_command_refuses_a_workbook_without_actuals(est, tmp_path, capsys):
    build_workbook(tmp_path / "plan.xlsx", est, PLAN, today=TODAY)
    assert main(["memo", str(tmp_path / "plan.xlsx"), "--oppfolging"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1
    assert "no actual figures yet: fill in the yellow cells on the Oppfølging sheet" in err
    assert list(tmp_path.iterdir()) == [tmp_path / "plan.xlsx"]


def test_the_note_and_the_budget_memo_are_two_kinds_of_file(filled, capsys):
    """Each replaces its own earlier file without --force, never the other's."""
    memo_html = filled.with_name("lillehammer-budsjettnotat.html")
    assert main(["memo", str(filled)]) == 0
    assert main(["memo", str(filled), "--oppfolging"]) == 0
    assert main(["memo", str(filled), "--oppfolging"]) == 0  # its own earlier note
    capsys.readouterr()
    assert main(["memo", str(filled), "--oppfolging", "--out", str(memo_html)]) == 3
    assert "exists and is not a follow-up note (HTML) written by kj-budget" in capsys.readouterr().err
    assert main(["memo", str(filled), "--out", str(filled.with_name("lillehammer-oppfolging.html"))]) == 3
    assert "is not a budget memo (HTML)" in capsys.readouterr().err


def test_the_notes_pdf_is_not_a_budget_memos_pdf(filled, capsys):
    from workbook_builder.xlsx.output import FOLLOWUP_PDF, MEMO_PDF

    assert main(["memo", str(filled), "--oppfolging", "--pdf", "--out", str(filled.with_name("n.html"))]) == 0
    pdf = filled.with_name("n.pdf")
    assert FOLLOWUP_PDF.recognise(pdf) and not MEMO_PDF.recognise(pdf)


# ------------------------------------------------------------------------------------------ målform and PDF


def test_the_note_in_nynorsk_has_no_bokmaal_word_forms_and_the_same_figures(est, inputs, page):
    nn = note(est, inputs, "nn")
    assert '<html lang="nn">' in nn and '<html lang="nb">' in page
    assert forms_found(page_text(nn), OTHER["nn"]) == {}
    assert forms_found(page_text(page), OTHER["nb"]) == {}
    assert "så langt i år" in nn and tr(WITHIN, "nn") in nn
    numbers = re.compile(r"[+−]?\d[\d\u00a0]*(?:,\d+)?")
    assert {k: numbers.findall(" ".join(v)) for k, v in rows(nn).items()} == {
        k: numbers.findall(" ".join(v)) for k, v in rows(page).items()}


def test_the_command_writes_nynorsk_with_malform(filled, capsys):
    out = filled.with_name("nn.html")
    assert main(["memo", str(filled), "--oppfolging", "--malform", "nn", "--out", str(out)]) == 0
    page = filled.with_name("nn.html").read_text(encoding="utf-8")
    assert '<html lang="nn">' in page and "Oppfølgingsnotat: innføring av kjernejournal" in page
    # the reader's reason for an invalid value, and the actual's label, are in the note's målform too
    assert "<li>Faktisk tal: Teknisk bistand kjernejournal 2025: «ca. 40 000» – tekst, ikkje eit tal</li>" in page
    assert "<li lang=" not in page


@pytest.mark.parametrize("malform", list(MALFORMS))
def test_the_pdf_is_tagged_with_language_title_and_chart_alternatives(est, inputs, malform):
    page = note(est, inputs, malform)
    doc, kinds, alts = structure(html_to_pdf(page))
    assert str(doc.Root.Lang) == f"{malform}-NO"
    assert bool(doc.Root.MarkInfo.Marked) and bool(doc.Root.ViewerPreferences.DisplayDocTitle)
    with doc.open_metadata() as meta:
        title = {"nb": "Oppfølgingsnotat: kjernejournal i pleie- og omsorgstjenesten",
                 "nn": "Oppfølgingsnotat: kjernejournal i pleie- og omsorgstenesta"}[malform]
        assert meta["dc:title"] == f"{title} – Lillehammer"
    assert kinds["/H1"] == 1 and kinds["/H2"] >= 4 and kinds["/H3"] == 2
    assert kinds["/Table"] >= 5 and kinds["/TH"] >= 20
    assert alts == [tr("Nye midler: budsjett og faktisk per år (faste {year}-kroner)", malform, year=2025),
                    tr("Interne timer: budsjett og faktisk per år", malform)]


def test_the_charts_and_margins_are_readable():
    """Bars at least 3:1 against the page (WCAG 2.1 1.4.11), the page's margin texts at least 4.5:1 (1.4.3)."""
    from test_memo_accessibility import contrast

    from workbook_builder.services.followup_memo import ACTUAL_COLOR, BUDGET_COLOR

    assert contrast(BUDGET_COLOR, "#FFFFFF") >= 3 and contrast(ACTUAL_COLOR, "#FFFFFF") >= 3
    template = (Path(__file__).parent.parent / "templates" / "oppfolging.html.j2").read_text(encoding="utf-8")
    margins = re.findall(r"color: (#[0-9a-fA-F]{3,6});", template[template.index("@page"):template.index("html {")])
    assert len(margins) == 4 and all(contrast(c if len(c) == 7 else "#" + 2 * c[1] + 2 * c[2] + 2 * c[3],
                                              "#FFFFFF") >= 4.5 for c in margins)


def test_the_pdf_is_a4_with_the_figures_and_its_first_page_is_the_guides_picture(est, inputs, page, tmp_path,
                                                                                   update_golden):
    """A4, «Side 1 av N», the new money spent in the text; page 1 (the summary and what it means) is the picture in
    docs/veiledning.md (docs/images/oppfolgingsnotat.png, rewritten with --update-golden)."""
    import shutil
    import subprocess

    import lo

    pdf = tmp_path / "oppfolging.pdf"
    pdf.write_bytes(html_to_pdf(page))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout.replace(NBSP, " ")
    assert "Oppfølgingsnotat: innføring av kjernejournal" in text and f"Side 1 av {pages}" in text
    assert "2026 (hittil i år)" in text and f"{kr(20_000)}".replace(NBSP, " ") in text
    images = Path(__file__).parent.parent / "docs" / "images"
    if update_golden:
        first = lo.pdf_to_png(pdf, tmp_path / "docs" / "oppfolgingsnotat", dpi=70, first=1, last=1)
        shutil.copy(first[0], images / "oppfolgingsnotat.png")
    assert (images / "oppfolgingsnotat.png").exists()


def test_the_notes_date_is_given_on_the_command_line(filled, capsys):
    """A tertial report written later for an earlier tertial: --date says which year is «hittil i år»."""
    out = filled.with_name("t1.html")
    assert main(["memo", str(filled), "--oppfolging", "--date", "30.04.2026", "--out", str(out)]) == 0
    text = " ".join(" ".join(page_text(out.read_text(encoding="utf-8"))).split())
    assert "2026 (hittil i år)" in text and "30.04.2026" in text
    later = filled.with_name("aarsregnskap.html")
    assert main(["memo", str(filled), "--oppfolging", "--date", "2027-02-15", "--out", str(later)]) == 0
    assert "hittil i år" not in " ".join(" ".join(page_text(later.read_text(encoding="utf-8"))).split())
    capsys.readouterr()
    for bad in ("31.02.2026", "30.4.26", "april"):
        assert main(["memo", str(filled), "--oppfolging", "--date", bad]) == 2
        assert f"must be a date such as 30.04.2027 or 2027-04-30, got '{bad}'" in capsys.readouterr().err
