"""Hostile or broken files get one clear line in English, exit code 2, and nothing is written:
not a zip, a truncated zip, a zip bomb, XML with a DTD or entities, a workbook from another tool,
a macro-enabled workbook, a password-protected (encrypted) file."""

from __future__ import annotations

import io
import os
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import TODAY

from workbook_builder.cli.main import main
from workbook_builder.core.model import Inputs, Step
from workbook_builder.workbook import build_bytes
from workbook_builder.xlsx.filled_reader import MAX_MEMBER_BYTES, UnreadableWorkbook, read_workbook


@pytest.fixture(scope="module")
def good(est) -> bytes:
    return build_bytes(est, Inputs(municipality="Gausdal", steps=(Step(40, "a"),)), today=TODAY).data


def rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """A copy of a workbook with some parts replaced or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info)))
        for name, part in (add or {}).items():
            dst.writestr(name, part)
    return out.getvalue()


def refused(tmp_path: Path, data: bytes, capsys, name: str = "old.xlsx") -> str:
    """Run `build --from` and `check` on the file; both must refuse it with exit 2, one line on stderr,
    and leave the folder as it was. Returns the message."""
    bad = tmp_path / name
    bad.write_bytes(data)
    out = tmp_path / "new.xlsx"
    assert main(["build", "--from", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("kj-budget build: error: cannot read old"), err
    assert main(["check", str(bad)]) == 2
    check_err = capsys.readouterr()
    assert check_err.out == "" and check_err.err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # nothing written, no temporary file left
    assert bad.read_bytes() == data
    return err


def test_a_file_that_is_not_a_zip(tmp_path, capsys):
    err = refused(tmp_path, b"Kommune;Antall\nGausdal;40\n", capsys)
    assert "is not an Excel workbook (.xlsx): it is not a zip package" in err


def test_a_truncated_zip(tmp_path, capsys, good):
    err = refused(tmp_path, good[: len(good) // 2], capsys)
    assert "is damaged or truncated" in err


def test_a_zip_whose_directory_understates_a_parts_size(tmp_path, capsys, good):
    """A lying header: the part unpacks to more than it claims; the bounded read notices."""
    data = bytearray(good)
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        info = z.getinfo("xl/workbook.xml")
    entry = data.index(b"PK\x01\x02")
    while True:  # find the central directory entry of xl/workbook.xml and halve its uncompressed size
        name_len = struct.unpack("<H", data[entry + 28: entry + 30])[0]
        extra, comment = struct.unpack("<HH", data[entry + 30: entry + 34])
        if data[entry + 46: entry + 46 + name_len] == b"xl/workbook.xml":
            data[entry + 24: entry + 28] = struct.pack("<I", info.file_size // 2)
            break
        entry += 46 + name_len + extra + comment
    err = refused(tmp_path, bytes(data), capsys)
    assert "is damaged" in err and "xl/workbook.xml" in err


@pytest.mark.parametrize("shape", ["one huge part", "high ratio", "many large parts"])
def test_a_zip_bomb(tmp_path, capsys, good, shape):
    if shape == "one huge part":
        bomb = {"xl/worksheets/sheet9.xml": b" " * (MAX_MEMBER_BYTES + 2**20)}
        expect = "unpacks to 26 MB (limit 25 MB)"
    elif shape == "high ratio":
        bomb = {"xl/media/image1.bin": b"\0" * 8 * 2**20}
        expect = "(limit 100:1)"
    else:
        part = bytearray(20 * 2**20)
        part[::64] = os.urandom(len(part) // 64)  # compresses about 27:1, under the ratio limit
        bomb = {f"xl/media/image{k}.bin": bytes(part) for k in range(4)}
        expect = "MB (limit 60 MB)"  # 80 MB of images and the workbook's own parts
    err = refused(tmp_path, rezip(good, add=bomb), capsys)
    assert expect in err and "zip bomb" in err


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
                  b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                  b'<sheets/><definedNames><definedName name="kj_municipality">&lol3;</definedName>'
                  b'</definedNames></workbook>')
EXTERNAL_ENTITY = (b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                   b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
                   b'<si><t>&xxe;</t></si></sst>')


@pytest.mark.parametrize("part,xml", [("xl/workbook.xml", BILLION_LAUGHS), ("xl/sharedStrings.xml", EXTERNAL_ENTITY)],
                         ids=["entity expansion", "external entity"])
def test_xml_with_a_dtd_or_entities(tmp_path, capsys, good, part, xml):
    err = refused(tmp_path, rezip(good, replace={part: xml}), capsys)
    assert f"part {part} contains an XML document type declaration or entities" in err


def test_a_workbook_from_another_tool_with_none_of_our_names(tmp_path, capsys):
    wb = openpyxl.Workbook()
    wb.active["A1"], wb.active["B1"] = "Antall", 40
    wb.defined_names["Antall"] = openpyxl.workbook.defined_name.DefinedName("Antall", attr_text="Sheet!$B$1")
    buf = io.BytesIO()
    wb.save(buf)
    err = refused(tmp_path, buf.getvalue(), capsys)
    assert "is not a kj-budget workbook: it has none of the named cells kj-budget writes" in err


def test_a_word_document_is_not_a_workbook(tmp_path, capsys):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", "<document/>")
    err = refused(tmp_path, buf.getvalue(), capsys)
    assert "is a zip file but not an Excel workbook" in err


def test_a_macro_enabled_workbook(tmp_path, capsys, good):
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        types = z.read("[Content_Types].xml").decode()
    types = types.replace("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                          "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    assert "macroEnabled" in types
    xlsm = rezip(good, replace={"[Content_Types].xml": types.encode()},
                 add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)})
    err = refused(tmp_path, xlsm, capsys, name="old.xlsm")
    assert "is a macro-enabled workbook (.xlsm: xl/vbaProject.bin)" in err and "save it as an Excel workbook" in err


def ole_file(streams: list[str]) -> bytes:
    """An OLE compound file (what Office writes for a password-protected workbook): the header and a
    directory sector naming its streams, as in a real file (a reader that looked further would need
    the FAT too; ours refuses on the header and the stream names)."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:34] = struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
    header[44:52] = struct.pack("<II", 1, 0)  # one FAT sector; the directory starts at sector 0
    directory = bytearray()
    for k, name in enumerate(["Root Entry", *streams]):
        entry = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        entry[0: len(encoded)] = encoded
        entry[64:66] = struct.pack("<H", len(encoded))
        entry[66] = 5 if k == 0 else 2
        directory += entry
    return bytes(header + directory.ljust(512, b"\0"))


def test_a_password_protected_encrypted_workbook(tmp_path, capsys):
    err = refused(tmp_path, ole_file(["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"]), capsys)
    assert "is password-protected (encrypted); kj-budget cannot read it" in err


def test_an_old_xls_file(tmp_path, capsys):
    err = refused(tmp_path, ole_file(["Workbook", "\x05SummaryInformation"]), capsys, name="old.xls")
    assert "is an old-format Excel file (.xls)" in err


def test_a_good_workbook_is_read(good, est):
    """The control: the same bytes, unchanged, are read."""
    fw = read_workbook(good, est, "good.xlsx")
    assert fw.inputs.municipality == "Gausdal" and fw.inputs.steps == (Step(40, "a"),)


def test_the_reader_raises_its_own_error_type(tmp_path, est):
    (tmp_path / "x.xlsx").write_bytes(b"no")
    with pytest.raises(UnreadableWorkbook, match="x.xlsx: is not an Excel workbook"):
        read_workbook(tmp_path / "x.xlsx", est)
