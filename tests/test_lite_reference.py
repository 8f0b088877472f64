"""`kj-budget build --with-lite` compared part by part with workbooks saved by xlwings Lite itself: the
reference (tests/reference/lite_saved_parts.json) is their structure, derived from real Lite workbooks
(their code and data are not kept)."""

from __future__ import annotations

import io
import json
import re
import uuid
import zipfile
from pathlib import Path

import pytest
from conftest import TODAY
from defusedxml import ElementTree as SafeET

from workbook_builder.core.model import Inputs, Step
from workbook_builder.workbook import build_bytes
from workbook_builder.xlsx import lite

REFERENCE = json.loads((Path(__file__).parent / "reference" / "lite_saved_parts.json").read_text(encoding="utf-8"))
NS = {"ct": "http://schemas.openxmlformats.org/package/2006/content-types",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships", "we": lite.NS_WE, "wetp": lite.NS_WETP}


def embedded(est, name: str = "Gausdal") -> bytes:
    data = build_bytes(est, Inputs(municipality=name, steps=(Step(10, "a"),)), today=TODAY).data
    return lite.embed_lite(data, lite.lite_main_py(est.text), lite.requirements_txt())


@pytest.fixture(scope="module")
def parts(est) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(embedded(est))) as z:
        return {n: z.read(n) for n in z.namelist()}


def properties(parts) -> list[tuple[str, str]]:
    root = SafeET.fromstring(parts[lite.PART_WEBEXTENSION])
    return [(p.get("name"), p.get("value")) for p in root.find("we:properties", NS)]


def test_the_parts_are_the_ones_lite_saves(parts):
    assert set(REFERENCE["parts"]) <= set(parts)
    overrides = {o.get("PartName"): o.get("ContentType")
                 for o in SafeET.fromstring(parts["[Content_Types].xml"]).iterfind("ct:Override", NS)}
    for name, content_type in REFERENCE["content_type_overrides"].items():
        assert overrides[name] == content_type


def test_the_relationships_are_the_ones_lite_saves(parts):
    rels = [(r.get("Type"), r.get("Target")) for r in SafeET.fromstring(parts["_rels/.rels"]).iter(
        f"{{{NS['rel']}}}Relationship")]
    ref = REFERENCE["package_relationship"]
    assert (ref["type"], ref["target"]) in rels
    pane_rels = [(r.get("Type"), r.get("Target")) for r in SafeET.fromstring(parts[lite.PART_TASKPANES_RELS])]
    ref = REFERENCE["taskpanes_relationship"]
    assert pane_rels == [(ref["type"], ref["target"])]


def test_the_task_pane_has_lites_attributes(parts):
    pane = SafeET.fromstring(parts[lite.PART_TASKPANES]).find("wetp:taskpane", NS)
    assert sorted(pane.attrib) == sorted(REFERENCE["taskpane"]["attributes"])
    assert pane.get("dockstate") == REFERENCE["taskpane"]["dockstate"]


def test_the_web_extension_has_lites_elements_in_lites_order(parts):
    root = SafeET.fromstring(parts[lite.PART_WEBEXTENSION])
    assert [c.tag.split("}")[1] for c in root] == REFERENCE["webextension"]["children_in_order"]
    assert re.fullmatch(r"\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}", root.get("id"))
    ref = root.find("we:reference", NS)
    want = REFERENCE["webextension"]["reference"]
    assert (ref.get("id"), ref.get("version"), ref.get("storeType")) == (want["id"], want["version"],
                                                                         want["storeType"])
    alt = root.find("we:alternateReferences/we:reference", NS)
    want = REFERENCE["webextension"]["alternate_reference"]
    assert (alt.get("id").lower(), alt.get("version"), alt.get("store"), alt.get("storeType")) == (
        want["id_any_case"], want["version"], want["store"], want["storeType"])


def test_the_properties_are_lites_in_lites_order_and_encoding(parts):
    props = properties(parts)
    names = [n for n, _ in props]
    lite_names = REFERENCE["properties"]["order_1.0.0.0-18"] + REFERENCE["properties"]["added_by_1.0.0.0-35"]
    assert names[: len(lite_names)] == lite_names
    assert names[len(lite_names):] == ["Office.AutoShowTaskpaneWithDocument"]  # Office's own, documented setting
    values = {n: json.loads(v) for n, v in props}
    kinds = REFERENCE["properties"]["kinds"]
    for name, kind in kinds.items():
        value = values[name]
        if kind == "object":
            assert isinstance(value, dict), name
        else:
            assert isinstance(value, str), name
        if kind == "uuid string":
            assert str(uuid.UUID(value)) == value
    assert values["pyodideVersion"] in REFERENCE["properties"]["pyodideVersion_seen"]
    assert values["addinVersion"] == REFERENCE["properties"]["addinVersion_seen"][-1]
    assert values["xlwingsSettingsWorkbook"]["startupBehavior"] in REFERENCE["properties"]["startupBehavior_seen"]


def test_requirements_have_the_lines_lites_template_marks_required(parts):
    req = json.loads(dict(properties(parts))["requirements.txt"])
    lines = req.splitlines()
    marker = REFERENCE["requirements_required"]["marker"]
    required = [ln[: -len(marker)] for ln in lines if ln.endswith(marker)]
    packages = [re.split(r"[=<>~!]", ln, maxsplit=1)[0] for ln in required]
    assert packages == REFERENCE["requirements_required"]["packages_in_order"]
    assert required[0] == f"xlwings=={lite.LITE_XLWINGS_VERSION}"


def test_each_workbook_gets_its_own_ids_and_the_same_workbook_the_same(est):
    def ids(data: bytes) -> tuple[str, str]:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            root = SafeET.fromstring(z.read(lite.PART_WEBEXTENSION))
        values = {p.get("name"): p.get("value") for p in root.find("we:properties", NS)}
        return root.get("id"), json.loads(values["xlwingsWorkbookId"])

    a, b, a_again = ids(embedded(est, "Gausdal")), ids(embedded(est, "Øyer")), ids(embedded(est, "Gausdal"))
    assert a == a_again and a[0] != b[0] and a[1] != b[1]
