"""The budget memo: rendered from a workbook a user filled in, its figures (Norwegian-formatted)
are the model's; the PDF is A4 and carries the same figures; the chart's bars follow the numbers.

`python3 dev.py test --update-golden` refreshes docs/images/memo.png (with the other golden files).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import lo
import pytest
from conftest import TODAY
from filling import fill

from workbook_builder.cli.main import main
from workbook_builder.core.model import Inputs, Step, budget
from workbook_builder.core.numbers import excel_round
from workbook_builder.services.memo import html_to_pdf, kr, parse_nb, render_memo_html
from workbook_builder.services.source import read_filled
from workbook_builder.services.svgchart import Series, bar_chart
from workbook_builder.workbook import build_workbook

DOCS = Path(__file__).parent.parent / "docs" / "images"

# What a project leader types into a blank template (by defined name, as in Excel).
TYPED = {
    "kj_municipality": "Lillehammer", "kj_municipality_number": "3405", "kj_vendor": "TietoEVRY (Gerica)",
    "kj_eid": "PKI-kort", "kj_first_year": 2027,
    "kj_step_group#1": "a: Sykehjemsleger", "kj_step_unit#1": "Sykehjemsleger", "kj_step_staff#1": 12,
    "kj_step_year#1": 2027,
    "kj_step_group#2": "b: Legemiddelansvarlige, korttidsavdelinger", "kj_step_unit#2": "KAD/ØHD",
    "kj_step_staff#2": 45, "kj_step_year#2": 2027,
    "kj_step_group#3": "c: Hjemmesykepleie og tjenestekontor", "kj_step_unit#3": "Sone nord", "kj_step_staff#3": 60,
    "kj_step_year#3": 2028,
    "kj_step_group#4": "c: Hjemmesykepleie og tjenestekontor", "kj_step_unit#4": "Sone sør", "kj_step_staff#4": 55,
    "kj_step_year#4": 2029,
    "kj_vendor_module_kr": 85_000, "kj_maintenance_kr_per_year": 12_000, "kj_followup_hours_per_year": 40,
    "kj_admissions_short_term": 900, "kj_admissions_home_care": 1400, "kj_hourly_rate": 455.5,
}
EXPECTED_INPUTS = Inputs(
    municipality="Lillehammer", municipality_number="3405", vendor="gerica", eid="pki", first_year=2027,
    steps=(Step(12, "a", "Sykehjemsleger", 2027), Step(45, "b", "KAD/ØHD", 2027), Step(60, "c", "Sone nord", 2028),
           Step(55, "c", "Sone sør", 2029)),
    vendor_module_kr=85_000, maintenance_kr_per_year=12_000, followup_hours_per_year=40, admissions_short_term=900,
    admissions_home_care=1400, hourly_rate=455.5,
)


class Figures(HTMLParser):
    """The text of every element with a data-kj attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: dict[str, str] = {}
        self._open: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        key = dict(attrs).get("data-kj")
        self._open.append(key)
        if key:
            self.figures[key] = ""

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for key in self._open:
            if key:
                self.figures[key] += data


def figures(html: str) -> dict[str, str]:
    p = Figures()
    p.feed(html)
    return {k: v.strip() for k, v in p.figures.items()}


@pytest.fixture(scope="module")
def filled_workbook(est, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("memo")
    template = root / "mal.xlsx"
    build_workbook(template, est, Inputs(), today=TODAY)
    return fill(template, TYPED, root / "lillehammer.xlsx")


@pytest.fixture(scope="module")
def memo(est, filled_workbook):
    filled = read_filled(filled_workbook, est)
    b = budget(est, filled.inputs, filled.built)
    html = render_memo_html(est, filled.inputs, b, workbook=filled_workbook.name, findings=filled.findings,
                            metadata=filled.metadata, today=TODAY)
    return filled, b, html


def test_the_memo_reads_what_the_user_typed(memo):
    filled, _, _ = memo
    assert filled.inputs == EXPECTED_INPUTS
    assert filled.findings == []


def test_memo_figures_equal_the_model(est, memo):
    _, _, html = memo
    expected = budget(est, EXPECTED_INPUTS, TODAY)  # the model, from the inputs as typed
    f = figures(html)
    whole = lambda x: excel_round(x, 0)  # noqa: E731 - the memo shows whole kroner
    assert parse_nb(f["total_staff"]) == 172
    assert parse_nb(f["total_kr"]) == whole(expected.one_off.total_kr)
    assert parse_nb(f["total_purchase_kr"]) == whole(expected.one_off.total_purchase_kr)
    assert parse_nb(f["total_hours_kr"]) == whole(expected.one_off.total_hours * 455.5)
    assert parse_nb(f["running_kr_per_year"]) == whole(expected.running.total_kr)
    assert parse_nb(f["benefit_kr_per_year"]) == whole(expected.benefit.kr)
    assert f["hours_returned_years"] == "veier ikke opp med dagens tall" if expected.hours_returned_years is None \
        else parse_nb(f["hours_returned_years"]) == excel_round(expected.hours_returned_years, 1)
    assert parse_nb(f["cash_total_kr"]) == whole(expected.cash_total_kr)
    assert parse_nb(f["internal_kr_total"]) == whole(sum(y.internal_kr for y in expected.years))
    assert f["master_check"] == expected.master_check
    assert [y.year for y in expected.years] == [2027, 2028, 2029, 2030]
    for y in expected.years:
        assert parse_nb(f[f"year_cash_kr-{y.year}"]) == whole(y.cash_kr), y.year
        assert parse_nb(f[f"year_renewal_kr-{y.year}"]) == whole(y.renewal_kr), y.year
        assert parse_nb(f[f"year_internal_hours-{y.year}"]) == whole(y.internal_hours), y.year
        assert parse_nb(f[f"year_internal_kr-{y.year}"]) == whole(y.internal_kr), y.year
        assert parse_nb(f[f"year_one_off_kr-{y.year}"]) == whole(y.one_off_kr), y.year
        assert parse_nb(f[f"year_running_kr-{y.year}"]) == whole(y.running_kr), y.year
        assert parse_nb(f[f"year_benefit_kr-{y.year}"]) == whole(y.benefit_kr), y.year
    assert parse_nb(f["years_one_off_sum"]) == whole(expected.one_off.total_kr)
    assert parse_nb(f["years_cash_sum"]) == whole(expected.cash_total_kr)
    assert not any(key.startswith("year_net") for key in f)  # new money and freed time are never netted
    for k, s in enumerate(EXPECTED_INPUTS.steps, start=1):
        assert parse_nb(f[f"step_staff-{k}"]) == s.staff


def test_memo_figures_are_norwegian_with_units(memo):
    _, _, html = memo
    f = figures(html)
    assert re.fullmatch(r"\d{1,3}(\u00a0\d{3})*\u00a0kr", f["total_kr"]), f["total_kr"]
    assert re.fullmatch(r"\d{1,3}(\u00a0\d{3})*\u00a0kr", f["year_cash_kr-2027"]), f["year_cash_kr-2027"]
    assert "faste 2027-kroner" in html
    assert "455,5" not in f["total_kr"] and "." not in f["total_kr"]
    assert "455\u00a0kr" in html or "456\u00a0kr" in html  # the hourly rate, rounded for the text
    assert 'lang="nb"' in html and "@page" in html and "size: A4" in html


def test_memo_of_the_notes_100_personnel_shows_the_notes_total(est):
    """The note's middle size with PKI cards in its own 2020 prices, at 438 kr an hour: 325 hours × 438 kr +
    100 000 kr of purchases + half the 125 training hours from stand-ins at 438 kr = 269 725 kr."""
    inputs = Inputs(steps=(Step(100, "b", "", 2020),), eid="pki", first_year=2020, municipality="Gausdal",
                    hourly_rate=438)
    html = render_memo_html(est, inputs, budget(est, inputs, TODAY), today=TODAY)
    assert figures(html)["total_kr"] == "269\u00a0725\u00a0kr"
    # new money 2020–2023: purchases and stand-ins (127 375 kr) and the cards renewed in 2023 (100 × 700 kr)
    assert figures(html)["cash_total_kr"] == "197\u00a0375\u00a0kr"
    assert kr(-1234.5) == "−1\u00a0235\u00a0kr"


def test_memo_says_what_is_missing(est, tmp_path):
    """No vendor, no price, a value typed as text: the memo names each, as Kontroll does."""
    template = tmp_path / "mal.xlsx"
    build_workbook(template, est, Inputs(), today=TODAY)
    path = fill(template, {"kj_municipality": "Øyer", "kj_step_group#1": "a: Sykehjemsleger",
                           "kj_step_staff#1": 20, "kj_reader_kr": "fem hundre"}, tmp_path / "oyer.xlsx")
    filled = read_filled(path, est)
    b = budget(est, filled.inputs, filled.built)
    html = render_memo_html(est, filled.inputs, b, findings=filled.findings, today=TODAY)
    assert b.master_check == "Feil"
    assert "«fem hundre»" in html
    for check in ("EPJ-leverandør valgt", "Pris for modul fra EPJ-leverandør", "Gyldige verdier på Inndata"):
        assert check in html, check
    assert figures(html)["master_check"] == "Feil"
    assert "mangler pris" in html


def test_memo_escapes_what_a_user_typed(est):
    inputs = Inputs(steps=(Step(30, "a", "<script>alert(1)</script>", 2027),), first_year=2027,
                    municipality="A & B <kommune>")
    html = render_memo_html(est, inputs, budget(est, inputs, TODAY), today=TODAY)
    assert "<script>" not in html and "&lt;script&gt;" in html and "A &amp; B &lt;kommune&gt;" in html


def test_chart_bars_follow_the_numbers():
    svg = bar_chart(["2027", "2028"], [Series("Engang", (400_000.0, 100_000.0), "#111"),
                                       Series("Drift", (50_000.0, 0.0), "#222")], title="t")
    heights = {m.group(2): float(m.group(1)) for m in
               re.finditer(r'height="([\d.]+)" fill="#\d+"[^>]*><title>(\w+ \d+)', svg)}
    assert heights["Engang 2027"] == pytest.approx(4 * heights["Engang 2028"], rel=0.01)
    assert heights["Engang 2027"] == pytest.approx(8 * heights["Drift 2027"], rel=0.01)
    assert "Drift 2028" not in heights  # a zero is no bar
    assert "400\u00a0000" in svg  # the axis, in Norwegian


def test_memo_pdf_is_a4_and_carries_the_figures(est, memo, tmp_path, update_golden):
    _, b, html = memo
    pdf = tmp_path / "memo.pdf"
    pdf.write_bytes(html_to_pdf(html))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 2 <= pages <= 7, pages
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Budsjettnotat: innføring av kjernejournal" in text
    total = kr(b.one_off.total_kr).replace("\u00a0", " ")
    assert total in text.replace("\u00a0", " "), total
    assert f"Side 1 av {pages}" in text
    pngs = lo.pdf_to_png(pdf, tmp_path / "png" / "page", dpi=60)
    assert len(pngs) == pages
    if update_golden:
        DOCS.mkdir(parents=True, exist_ok=True)
        chart_page = next(k for k in range(1, pages + 1) if "Behov for nye midler per budsjettår" in subprocess.run(
            ["pdftotext", "-f", str(k), "-l", str(k), str(pdf), "-"], capture_output=True, text=True).stdout)
        page = lo.pdf_to_png(pdf, tmp_path / "docs" / "memo", dpi=80, first=chart_page, last=chart_page)
        shutil.copy(page[0], DOCS / "memo.png")


def test_the_memo_pdf_in_nynorsk_carries_the_same_figures(est, memo, tmp_path, update_golden):
    """The same workbook's memo in nynorsk (`memo --malform nn`): its words are nynorsk, its figures the same;
    its first page (the summary) is the picture in docs/veiledning.md (docs/images/memo-nn.png, rewritten with
    --update-golden)."""
    filled, b, _ = memo
    inputs = replace(filled.inputs, malform="nn")
    html = render_memo_html(est, inputs, budget(est, inputs, filled.built), workbook="lillehammer.xlsx",
                            metadata=filled.metadata, today=TODAY)
    pdf = tmp_path / "memo-nn.pdf"
    pdf.write_bytes(html_to_pdf(html))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout.replace("\u00a0", " ")
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                            check=True).stdout).group(1))
    assert "1. Samandrag" in text and "9. Føresetnader og kjelder" in text and f"Side 1 av {pages}" in text
    assert kr(b.one_off.total_kr).replace("\u00a0", " ") in text
    if update_golden:
        page = lo.pdf_to_png(pdf, tmp_path / "docs" / "memo-nn", dpi=70, first=1, last=1)
        shutil.copy(page[0], DOCS / "memo-nn.png")
    assert (DOCS / "memo-nn.png").exists()


def test_memo_command_writes_html_and_pdf_beside_the_workbook(filled_workbook, tmp_path, capsys):
    wb = tmp_path / filled_workbook.name
    shutil.copy(filled_workbook, wb)
    assert main(["memo", str(wb), "--pdf"]) == 0
    html = wb.with_name("lillehammer-budsjettnotat.html")
    assert html.exists() and html.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    assert "Wrote" in capsys.readouterr().out


def test_memo_command_refuses_a_file_that_is_not_a_workbook(tmp_path, capsys):
    bad = tmp_path / "notat.xlsx"
    bad.write_text("not a workbook")
    assert main(["memo", str(bad), "--out", str(tmp_path / "m.html")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a zip package" in err and "Traceback" not in err
    assert not (tmp_path / "m.html").exists()


def test_the_summary_parts_of_the_one_off_cost_add_up_to_it(est, memo):
    """«Engangskostnad i alt» was followed by «herav interne timer» and «herav kjøp» only, which did not add up:
    the stand-ins are a part of it too, and the parts come before the range."""
    _, b, html = memo
    f = figures(html)
    parts = [parse_nb(f[k]) for k in ("total_hours_kr", "total_purchase_kr", "total_standin_kr")]
    assert parse_nb(f["total_standin_kr"]) == excel_round(b.one_off.standin_kr, 0) > 0
    assert abs(sum(parts) - parse_nb(f["total_kr"])) <= 2  # whole kroner each
    assert html.index('data-kj="total_standin_kr"') < html.index('data-kj="total_kr_p50"')


def test_the_stand_in_assumption_is_not_the_vendors_price(est, memo):
    """Section 9 showed the vendor module's price (85 000 kr, «Kommunen») as the value of «Vikarer for
    helsepersonell på opplæring»: its row now shows the stand-in hours and the rate they are paid at."""
    _, b, html = memo
    label = est.item("standin").label
    sources = html[html.index("9. Forutsetninger"):]
    row = re.search(rf"<tr><td>{re.escape(label)}</td>(.*?)</tr>", sources, re.S)
    assert row, label
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    assert kr(85_000) not in cells[0]
    assert cells[0] == f"{excel_round(b.one_off.standin_hours, 0):.0f} timer × {kr(b.params.standin_hourly_rate)}"


def test_the_memo_for_the_council_names_no_command(memo):
    """The memo is read by politicians: it says what to do, not which kj-budget command or option does it."""
    _, _, html = memo
    body = re.sub(r"<style>.*?</style>|<head>.*?</head>", "", html, flags=re.S)
    assert "kj-budget notice" not in body and "--decided" not in body and "kj-budget lines" not in body


@pytest.mark.parametrize("malform", ["nb", "nn"])
def test_the_vendor_is_named_without_brackets_inside_brackets(est, malform):
    """«EPJ-leverandøren (Visma (Profil))»: a vendor's label has its product in brackets, so the memo names the
    vendor after a comma, «EPJ-leverandøren, Visma (Profil), med kopi …», in both målformer."""
    inputs = Inputs(municipality="Gausdal", vendor="Visma (Profil)", first_year=2027, malform=malform,
                    steps=(Step(58, "b", "Korttidsavdeling Follebu", 2027),))
    html = render_memo_html(est, inputs, budget(est, inputs, TODAY))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
    assert "EPJ-leverandøren, Visma (Profil), med kopi" in text
    assert "(Visma (Profil))" not in text
