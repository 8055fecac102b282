"""ZIP archives: members extracted recursively as documents of their own."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest

from extractors import extract
from extractors.base import CONTAINER, NO_TEXT, OK, UNSUPPORTED


def make_zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def test_members_are_extracted_with_name_size_and_hash():
    inner = make_zip({"dybt/note.txt": b"NemLog-in"})
    data = make_zip({"kontrakter/": b"", "kontrakter/aftale.txt": b"Login med MitID",
                     "arkiv.zip": inner, "program.exe": b"MZ\x90\x00"})
    result = extract(data, "samling.zip")
    assert result.status == CONTAINER and result.extractor == "zip" and result.pages == []
    members = {m.name: m for m in result.members}
    assert set(members) == {"kontrakter/aftale.txt", "arkiv.zip", "program.exe"}   # directory skipped
    aftale = members["kontrakter/aftale.txt"]
    assert aftale.extraction.status == OK and aftale.extraction.text == "Login med MitID"
    assert aftale.size == len(b"Login med MitID")
    assert aftale.sha256 == hashlib.sha256(b"Login med MitID").hexdigest()
    nested = members["arkiv.zip"].extraction
    assert nested.status == CONTAINER and nested.members[0].name == "dybt/note.txt"
    assert nested.members[0].extraction.text == "NemLog-in"
    assert members["program.exe"].extraction.status == UNSUPPORTED


def test_member_names_normalised_and_unsafe_names_kept_as_labels():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mappe\\under\\a.txt"), b"a")
        zf.writestr(zipfile.ZipInfo("../../etc/passwd.txt"), b"b")
        zf.writestr(zipfile.ZipInfo("/abs/c.txt"), b"c")
    names = [m.name for m in extract(out.getvalue(), "x.zip").members]
    assert names == ["mappe/under/a.txt", "../../etc/passwd.txt", "/abs/c.txt"]


def test_danish_member_names_from_windows_zip_tools():
    # Written as Windows Explorer does in Denmark: cp850 name bytes, no UTF-8 flag.
    cp850 = "Løsning.txt".encode("cp850")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        info = zipfile.ZipInfo("Lxsning.txt")
        zf.writestr(info, b"x")
    raw = out.getvalue().replace(b"Lxsning.txt", cp850)
    assert [m.name for m in extract(raw, "w.zip").members] == ["Løsning.txt"]


def test_an_empty_zip_keeps_a_row_of_its_own():
    # A container's own row is hidden behind its members; with no members it would vanish.
    result = extract(make_zip({}), "tom.zip")
    assert result.status == NO_TEXT and result.members == [] and "empty zip" in result.error


def test_docx_without_suffix_is_read_as_docx_not_as_zip():
    from tests.test_extract_docx import make_docx

    result = extract(make_docx(lambda d: d.add_paragraph("Login med MitID")), "bilag_uden_endelse")
    assert result.status == OK and result.extractor == "docx"
    assert result.text == "Login med MitID"


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_members_with_the_same_name_are_all_kept_under_distinct_names():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mappe/Bilag.txt", b"first")
        zf.writestr("mappe/Bilag.txt", b"second")          # zipfile warns but writes both
        zf.writestr("mappe/Bilag (2).txt", b"third")        # the name a copy would get is taken too
        zf.writestr("Løsning.txt", b"composed")              # NFC: ø as one code point
        zf.writestr("Lo\u0338sning.txt", b"other")           # not ø: a different name, kept as is
        zf.writestr("Lo\u0308sning.txt", b"o-umlaut decomposed")
        zf.writestr("Lösning.txt", b"o-umlaut composed")     # equal to the previous after NFC
        zf.writestr("README", b"a")
        zf.writestr("README", b"b")
    result = extract(out.getvalue(), "dubletter.zip")
    assert [(m.name, m.extraction.text) for m in result.members] == [
        ("mappe/Bilag.txt", "first"), ("mappe/Bilag (2).txt", "second"), ("mappe/Bilag (2) (2).txt", "third"),
        ("Løsning.txt", "composed"), ("Lo\u0338sning.txt", "other"),
        ("Lo\u0308sning.txt", "o-umlaut decomposed"), ("Lösning (2).txt", "o-umlaut composed"),
        ("README", "a"), ("README (2)", "b")]
    assert len({m.name for m in result.members}) == len(result.members)


def test_unique_name_keeps_dot_files_and_folders():
    from extractors.container import unique_name

    taken: set[str] = set()
    assert [unique_name(n, taken) for n in (".profile", ".profile", "a.b/c", "a.b/c", "x.tar.gz", "x.tar.gz")] == [
        ".profile", ".profile (2)", "a.b/c", "a.b/c (2)", "x.tar.gz", "x.tar (2).gz"]
