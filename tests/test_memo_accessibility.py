"""The memo is published with the municipality's case papers, so it must meet the rules on universal
design of ICT (WCAG 2.1 AA, EN 301 549; supervised by Uutilsynet):

- the HTML memo is checked by axe-core (npm, pinned in tests/axe) in a real headless Chromium (Debian),
  with the WCAG 2.0/2.1 A and AA rules: no violations, in bokmål and in nynorsk (every page in one Chromium run);
- the PDF is PDF/UA-1: a structure tree (headings, tables with header cells, the chart as a figure whose
  text alternative names what it shows), the document's language (nb-NO or nn-NO), its title shown as the
  title, in both målformer;
- the chart's figures are also in a table (section 3), and its bars' colours stand out from the page.
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from conftest import TODAY

from workbook_builder.core.i18n import MALFORMS
from workbook_builder.core.model import Inputs, Step, budget
from workbook_builder.services.memo import MONEY_COLORS, html_to_pdf, render_memo_html

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

FULL = Inputs(
    municipality="Lillehammer", municipality_number="3405", vendor="gerica", eid="pki", first_year=2027,
    steps=(Step(12, "a", "Sykehjemsleger", 2027), Step(45, "b", "KAD/ØHD", 2027), Step(60, "c", "Sone nord", 2028),
           Step(55, "c", "Sone sør", 2029)),
    vendor_module_kr=85_000, maintenance_kr_per_year=12_000, followup_hours_per_year=40, admissions_short_term=900,
    admissions_home_care=1400,
)
CASES = {
    "full": FULL,
    "empty": Inputs(first_year=2027),  # nothing entered yet: the memo says what is missing
    "outside": Inputs(eid="bankid", first_year=2027, steps=(Step(1500, "c", "", 2027),)),  # the warning box
}


def memo(est, name: str, malform: str = "nb") -> str:
    inputs = replace(CASES[name], malform=malform)
    return render_memo_html(est, inputs, budget(est, inputs, TODAY), workbook=f"{name}.xlsx", today=TODAY)


def axe_violations(pages: list[str], folder: Path) -> list[list[dict]]:
    """Run axe-core in one headless Chromium on each page and return each page's violations of the WCAG
    A/AA rules. Each page is a file of its own in an iframe of a runner page: axe runs inside it and posts
    its result to the runner, which writes them all into its DOM; Chromium dumps that DOM."""
    axe = AXE.read_text(encoding="utf-8")
    run = (f"<script>{axe}</script><script>axe.run(document, {{runOnly: {{type: 'tag', values: "
           f"{json.dumps(WCAG_TAGS)}}}, resultTypes: ['violations']}}).then(r => parent.postMessage("
           "{page: location.pathname, violations: r.violations, passes: r.passes.length}, '*'));</script>")
    frames = []
    for k, page in enumerate(pages):
        assert page.count("</body>") == 1
        (folder / f"page{k}.html").write_text(page.replace("</body>", run + "</body>"), encoding="utf-8")
        frames.append(f'<iframe src="page{k}.html" title="side {k}"></iframe>')
    runner = folder / "runner.html"
    runner.write_text(
        "<!DOCTYPE html><html lang=\"nb\"><head><meta charset=\"utf-8\"><title>axe</title></head><body>"
        + "".join(frames) + "<script>const got = {}; addEventListener('message', e => { got[e.data.page] = e.data; "
        f"if (Object.keys(got).length === {len(pages)}) {{ const p = document.createElement('pre'); "
        "p.id = 'axe-result'; p.textContent = JSON.stringify(got); document.body.appendChild(p); } });"
        "</script></body></html>", encoding="utf-8")
    r = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--allow-file-access-from-files", "--virtual-time-budget=60000", "--dump-dom",
                        runner.as_uri()], capture_output=True, text=True, timeout=300)
    found = re.search(r'<pre id="axe-result">(.*?)</pre>', r.stdout, re.S)
    assert found, f"axe did not report on every page: {r.stderr[-2000:]}"
    results = json.loads(html.unescape(found.group(1)))
    out = []
    for k in range(len(pages)):
        result = next(v for key, v in results.items() if key.endswith(f"/page{k}.html"))
        assert result["passes"] > 10  # axe ran its rules on the page
        out.append(result["violations"])
    return out


BAD = ("<html>", '<p style="color:#bbbbbb">lite kontrast</p><img src="x.png">')


@pytest.fixture(scope="module")
def axe_results(est, tmp_path_factory) -> dict[str, list[dict]]:
    """Every memo case and the follow-up note in both målformer, and one made bad on purpose, checked in one
    Chromium run."""
    # Never skipped: a check that skips in CI checks nothing. `python3 dev.py test` installs both.
    assert CHROMIUM is not None, "Chromium is missing: run the tests with `python3 dev.py test` (it installs it)"
    assert AXE.exists(), "axe-core is missing: run the tests with `python3 dev.py test` (it runs npm ci in tests/axe)"
    pages = {f"{name}-{malform}": memo(est, name, malform) for name in CASES for malform in MALFORMS}
    from test_followup_memo import note, with_actuals  # the follow-up note (memo --oppfolging), same run

    pages |= {f"oppfolging-{malform}": note(est, with_actuals(est), malform) for malform in MALFORMS}
    pages["bad"] = pages["full-nb"].replace('<html lang="nb">', BAD[0]).replace("</body>", BAD[1] + "</body>")
    return dict(zip(pages, axe_violations(list(pages.values()), tmp_path_factory.mktemp("axe"))))


@pytest.mark.parametrize("name", [f"{name}-{malform}" for name in [*CASES, "oppfolging"] for malform in MALFORMS])
def test_the_html_memo_has_no_wcag_aa_violation(axe_results, name):
    violations = axe_results[name]
    assert [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in violations] == []


def test_axe_finds_a_violation_when_there_is_one(axe_results):
    """The check can fail: a memo with grey-on-white text, an image without an alternative and no page
    language gets violations."""
    assert {"html-has-lang", "color-contrast", "image-alt"} <= {v["id"] for v in axe_results["bad"]}


def structure(pdf: bytes) -> tuple[pikepdf.Pdf, Counter, list[str]]:
    doc = pikepdf.open(io.BytesIO(pdf))
    kinds: Counter = Counter()
    alts: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                kinds[str(node.S)] += 1
                if str(node.S) == "/Figure":
                    alts.append(str(node.get("/Alt", "")))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                walk(kid)

    walk(doc.Root.StructTreeRoot)
    return doc, kinds, alts


@pytest.mark.parametrize("malform", list(MALFORMS))
@pytest.mark.parametrize("name", ["full", "empty"])
def test_the_pdf_is_tagged_with_language_title_and_figure_alternative(est, name, malform):
    page = memo(est, name, malform)
    assert f'<html lang="{malform}">' in page
    doc, kinds, alts = structure(html_to_pdf(page))
    assert str(doc.Root.Lang) == f"{malform}-NO"
    assert bool(doc.Root.MarkInfo.Marked) and bool(doc.Root.ViewerPreferences.DisplayDocTitle)
    title = html.unescape(re.search(r"<title>(.*?)</title>", page).group(1))
    with doc.open_metadata() as meta:
        assert meta["dc:title"] == title
        assert meta["pdfuaid:part"] == "1"
    assert kinds["/H1"] == 1 and kinds["/H2"] >= 8
    assert kinds["/Table"] >= 5 and kinds["/TH"] >= 20 and kinds["/TD"] > kinds["/TH"]
    if name == "full":
        assert alts == [{"nb": "Behov for nye midler per budsjettår (faste 2027-kroner)",
                         "nn": "Behov for nye midlar per budsjettår (faste 2027-kroner)"}[malform]]


def relative_luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour.lstrip("#")[k:k + 2], 16) for k in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula_is_wcags():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)  # the lightest grey for AA text


def test_the_chart_colours_stand_out_from_the_page():
    """WCAG 2.1 1.4.11 (non-text contrast): each bar colour at least 3:1 against the white page."""
    colours = list(MONEY_COLORS.values())
    assert colours and all(contrast(c, "#FFFFFF") >= 3 for c in colours), {c: contrast(c, "#FFFFFF") for c in colours}


def test_the_page_margin_texts_are_readable():
    """Headers and footers (CSS @page boxes, which axe does not see in the HTML) at least 4.5:1 on white."""
    template = (Path(__file__).parent.parent / "templates" / "memo.html.j2").read_text(encoding="utf-8")
    page = template[template.index("@page"):template.index("html {")]
    colours = re.findall(r"color: (#[0-9a-fA-F]{3,6});", page)
    full = ["#" + "".join(ch * 2 for ch in c[1:]) if len(c) == 4 else c for c in colours]
    assert len(full) >= 4 and all(contrast(c, "#FFFFFF") >= 4.5 for c in full), full
