"""Put the Excel functions into a workbook, for xlwings Lite and for the classic add-in.

xlwings Lite keeps a workbook's Python code as Office.js document settings of its add-in
(store id wa200008175): properties ``main.py`` and ``requirements.txt`` of a web extension part,
each a JSON-encoded string. The parts and relationships are those of Microsoft's "Automatically
open a task pane with a document"; with ``visibility="1"`` the task pane (and so Python) starts
when the workbook opens, and the functions register. ``main.py`` is self-contained: the model,
the functions and the estimates in one file, so nothing of this project needs to be installed.

The ``kj-budget build`` command calls this module (``--with-lite``, ``--udf-config``); the
builder itself never imports ``udfs``. Nothing here imports xlwings.
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import re
import uuid
import zipfile
from importlib import resources
from xml.sax.saxutils import escape

import defusedxml.ElementTree as SafeET
import jinja2

from workbook_builder import __version__
from workbook_builder.core import i18n
from workbook_builder.core.estimates import default_estimates_path, parse_estimates
from workbook_builder.templating import TEMPLATES

EMBED_SKIP = "# kj:embed-skip"
# The core modules main.py inlines, in dependency order (each uses only the ones before it).
CORE_EMBED = ("i18n.py", "errors.py", "numbers.py", "vocabulary.py", "municipality.py", "estimates.py", "model.py",
              "followup.py")
LITE_STORE_ID = "wa200008175"  # xlwings Lite in Microsoft's add-in store (AppSource)
# The xlwings whose Office.js code path the tests run main.py through (pyproject pins the same).
LITE_XLWINGS_VERSION = "0.37.8"
# What the newest workbook saved by xlwings Lite that we compared with carries (tests/reference/
# lite_saved_parts.json): Lite writes its own versions over these when it saves the workbook.
LITE_PYODIDE_VERSION = "0.27.5"
LITE_ADDIN_VERSION = "1.0.0.0-35"
# Lite's requirements.txt template marks these lines "# required" (xlwings first, pinned to our version).
LITE_REQUIRED = ("python-dotenv==1.2.1", "pyodide-http", "black")
# Workbook settings of Lite 1.0.0.0-28 and later: start the add-in and show its task pane on opening.
LITE_SETTINGS = {"startupBehavior": "taskpane"}
UDF_MODULE = "udfs.kj"
FUNCTIONS = ("KJ_COST", "KJ_HOURS", "KJ_EID_COST", "KJ_BENEFIT", "KJ_BREAKDOWN", "KJ_RANGE", "KJ_ESTIMATES")

NS_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
NS_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_WE = "http://schemas.microsoft.com/office/webextensions/webextension/2010/11"
NS_WETP = "http://schemas.microsoft.com/office/webextensions/taskpanes/2010/11"
REL_TASKPANES = "http://schemas.microsoft.com/office/2011/relationships/webextensiontaskpanes"
REL_WEBEXTENSION = "http://schemas.microsoft.com/office/2011/relationships/webextension"
CT_TASKPANES = "application/vnd.ms-office.webextensiontaskpanes+xml"
CT_WEBEXTENSION = "application/vnd.ms-office.webextension+xml"
PART_TASKPANES = "xl/webextensions/taskpanes.xml"
PART_TASKPANES_RELS = "xl/webextensions/_rels/taskpanes.xml.rels"
PART_WEBEXTENSION = "xl/webextensions/webextension1.xml"

_QUOTES = re.compile(r'"(?="|\Z)')  # a quote before a quote, or the last character
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # all but tab and newline
_PROJECT_IMPORT = re.compile(r"^\s*(from|import)\s+(\.|workbook_builder\b|udfs\b)", re.MULTILINE)


# ----------------------------------------------------------------------------- main.py


def _source(package: str, name: str) -> str:
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


def embeddable(source: str) -> str:
    """A module's source ready to be inlined: lines marked ``# kj:embed-skip`` dropped (a marked
    line that opens a parenthesis takes the statement up to its closing one) and the
    ``from __future__`` import removed (main.py has it once, at the top)."""
    kept: list[str] = []
    depth = 0
    for line in source.splitlines():
        if depth > 0:
            depth += line.count("(") - line.count(")")
            continue
        if EMBED_SKIP in line:
            depth = line.count("(") - line.count(")")
            continue
        if line.strip() == "from __future__ import annotations":
            continue
        kept.append(line)
    text = "\n".join(kept).strip("\n") + "\n"
    found = _PROJECT_IMPORT.search(text)
    if found:
        raise RuntimeError(f"an import of this project is not marked {EMBED_SKIP!r}: {found.group(0).strip()!r}")
    return text


def text_literal(text: str) -> str:
    """`text` as a triple-quoted Python literal, so the estimates in main.py read like the file."""
    body = _QUOTES.sub(r'\\"', text.replace("\\", "\\\\"))  # no quote may close the literal early
    body = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", body)
    literal = '"""\\\n' + body + '"""'
    if ast.literal_eval(literal) != text:
        raise RuntimeError("cannot write the estimates text as a Python literal")
    return literal


def lite_main_py(est_text: str | None = None, malform: str = i18n.DEFAULT_MALFORM) -> str:
    """The self-contained main.py for xlwings Lite: the model's core modules (CORE_EMBED), the
    estimates (``est_text``, a TOML estimates file; default: the packaged one), the nynorsk messages and
    the Excel functions, in one file that imports nothing of this project. `malform` (nb or nn; the
    workbook's) is the målform of the functions' descriptions, error messages and texts (KJ_MALFORM)."""
    malform = i18n.parse_malform(malform)
    if est_text is None:
        est_text = default_estimates_path().read_text(encoding="utf-8")
    est = parse_estimates(est_text, file="estimates")  # refuse a bad file now, not in the user's Excel
    env = jinja2.Environment(autoescape=False, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    template = env.from_string((TEMPLATES / "lite_main.py.j2").read_text(encoding="utf-8"))
    main_py = template.render(
        kj_version=__version__,
        functions=", ".join(FUNCTIONS),
        est_id=est.id,
        est_name=est.name,
        est_version=est.version,
        est_sha256=est.sha256,
        core=[(f"workbook_builder/core/{name}", embeddable(_source("workbook_builder.core", name)))
              for name in CORE_EMBED],
        estimates_literal=text_literal(est_text),
        catalogs_literal=repr({m: i18n.messages(m) for m in i18n.MALFORMS if m != i18n.DEFAULT_MALFORM}),
        malform_literal=repr(malform),
        malform_name=i18n.MALFORMS[malform],
        kj_py=embeddable(_source("udfs", "kj.py")),
    )
    compile(main_py, "main.py", "exec")  # a syntax error here would only show in the user's Excel
    return main_py


def requirements_txt() -> str:
    """Lite's requirements.txt as its own template writes it: the lines it marks ``# required``
    (xlwings, pinned to the version whose Office.js code path the tests run main.py through, then
    python-dotenv, pyodide-http and black); main.py needs nothing else."""
    return "".join(f"{line}  # required\n" for line in (f"xlwings=={LITE_XLWINGS_VERSION}", *LITE_REQUIRED))


def udf_config_rows() -> list[tuple[str, str]]:
    """Key/value rows (columns A/B) of the ``xlwings.conf`` sheet: the classic add-in looks up the
    module with the Excel functions there first (``kj-budget build --udf-config``)."""
    return [("UDF Modules", UDF_MODULE)]


# ----------------------------------------------------------------------------- the workbook parts


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def _setting(value: object) -> str:
    """An Office.js document setting as stored in the part: JSON, then XML-escaped."""
    return _attr(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def workbook_ids(seed: bytes) -> tuple[str, str]:
    """(the web extension's instance id, xlwings Lite's workbook id) for one workbook: different for
    every workbook (as Lite's are), yet the same workbook gets the same ids (reproducible builds)."""
    digest = hashlib.sha256(seed).digest()
    instance = "{" + str(uuid.UUID(bytes=digest[:16], version=4)).upper() + "}"
    return instance, str(uuid.UUID(bytes=digest[16:32], version=4))


def webextension_xml(main_py: str, requirements: str, seed: bytes = b"") -> str:
    """The web extension part: xlwings Lite from the store, with main.py and requirements.txt, and the
    properties in the order Lite writes them (tests/reference/lite_saved_parts.json): main.py,
    pyodideVersion, addinVersion, requirements.txt, xlwingsWorkbookId, xlwingsSettingsWorkbook; then
    Office's own setting that opens the task pane with the document. `seed` makes the ids this
    workbook's own (embed_lite passes the workbook's bytes)."""
    instance, workbook_id = workbook_ids(seed + b"\0" + (main_py + "\0" + requirements).encode("utf-8"))
    props = [
        ("main.py", _setting(main_py)),
        ("pyodideVersion", _setting(LITE_PYODIDE_VERSION)),
        ("addinVersion", _setting(LITE_ADDIN_VERSION)),
        ("requirements.txt", _setting(requirements)),
        ("xlwingsWorkbookId", _setting(workbook_id)),
        ("xlwingsSettingsWorkbook", _setting(LITE_SETTINGS)),
        ("Office.AutoShowTaskpaneWithDocument", "true"),
    ]
    properties = "".join(f'<we:property name="{_attr(k)}" value="{v}"/>' for k, v in props)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<we:webextension xmlns:we="{NS_WE}" id="{instance}">'
        f'<we:reference id="{LITE_STORE_ID}" version="1.0.0.0" store="en-US" storeType="OMEX"/>'
        f'<we:alternateReferences><we:reference id="{LITE_STORE_ID}" version="1.0.0.0" '
        f'store="{LITE_STORE_ID.upper()}" storeType="OMEX"/></we:alternateReferences>'
        f"<we:properties>{properties}</we:properties>"
        "<we:bindings/>"
        f'<we:snapshot xmlns:r="{NS_R}"/>'
        "</we:webextension>"
    )


def taskpanes_xml() -> str:
    """The task pane part: visibility="1" opens xlwings Lite's pane when the workbook opens."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<wetp:taskpanes xmlns:wetp="{NS_WETP}">'
        '<wetp:taskpane dockstate="right" visibility="1" width="350" row="1">'
        f'<wetp:webextensionref xmlns:r="{NS_R}" r:id="rId1"/>'
        "</wetp:taskpane></wetp:taskpanes>"
    )


def taskpanes_rels_xml() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{NS_RELS}">'
        f'<Relationship Id="rId1" Type="{REL_WEBEXTENSION}" Target="webextension1.xml"/>'
        "</Relationships>"
    )


def _insert_before_close(xml: str, close_tag: str, fragment: str, part: str) -> str:
    at = xml.rfind(close_tag)
    if at < 0:
        raise ValueError(f"{part}: no {close_tag} found; not a workbook this tool can extend")
    return xml[:at] + fragment + xml[at:]


def _content_types(xml: str) -> str:
    overrides = (f'<Override PartName="/{PART_TASKPANES}" ContentType="{CT_TASKPANES}"/>'
                 f'<Override PartName="/{PART_WEBEXTENSION}" ContentType="{CT_WEBEXTENSION}"/>')
    return _insert_before_close(xml, "</Types>", overrides, "[Content_Types].xml")


def _package_rels(xml: str) -> str:
    ids = {el.get("Id") for el in SafeET.fromstring(xml.encode("utf-8")).iter(f"{{{NS_RELS}}}Relationship")}
    n = 1
    while f"rId{n}" in ids:
        n += 1
    rel = f'<Relationship Id="rId{n}" Type="{REL_TASKPANES}" Target="{PART_TASKPANES}"/>'
    return _insert_before_close(xml, "</Relationships>", rel, "_rels/.rels")


def embed_lite(xlsx_bytes: bytes, main_py: str, requirements: str) -> bytes:
    """The workbook with xlwings Lite's parts added: main.py and requirements.txt in a web
    extension part, a task pane that opens with the workbook, their content types and the
    package relationship. Every other part is copied unchanged, in the same order."""
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes)) as src:
        names = src.namelist()
        for required in ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"):
            if required not in names:
                raise ValueError(f"not an .xlsx workbook: {required} is missing")
        if any(n.startswith("xl/webextensions/") for n in names):
            raise ValueError("the workbook already has Office add-in parts (xl/webextensions/)")
        changed = {
            "[Content_Types].xml": _content_types(src.read("[Content_Types].xml").decode("utf-8")),
            "_rels/.rels": _package_rels(src.read("_rels/.rels").decode("utf-8")),
        }
        added = {
            PART_WEBEXTENSION: webextension_xml(main_py, requirements, seed=xlsx_bytes),
            PART_TASKPANES: taskpanes_xml(),
            PART_TASKPANES_RELS: taskpanes_rels_xml(),
        }
        for xml in (*changed.values(), *added.values()):
            SafeET.fromstring(xml.encode("utf-8"))  # well-formed, or fail here rather than in Excel
        stamp = src.getinfo("[Content_Types].xml").date_time
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = changed[info.filename].encode("utf-8") if info.filename in changed else src.read(info)
                copy = zipfile.ZipInfo(info.filename, info.date_time)
                copy.compress_type = info.compress_type
                copy.external_attr = info.external_attr
                dst.writestr(copy, data)
            for name, xml in added.items():
                info = zipfile.ZipInfo(name, stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(info, xml.encode("utf-8"))
    return out.getvalue()
