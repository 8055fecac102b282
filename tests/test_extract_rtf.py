"""RTF: text with code pages, Unicode escapes and groups that are not text (font tables, pictures)."""

from __future__ import annotations

from extractors import extract
from extractors.base import ERROR, OK

RTF = (rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Calibri;}}{\colortbl;\red0\green0\blue0;}"
       rb"{\*\generator Microsoft Word;}"
       rb"\pard Kontrakt om L\'f8sning til Byg og Milj\'f8\par "
       rb"Login med {\b Nem}{\i ID} og \u8220?MitID\u8221?\par "
       rb"{\pict\pngblip 89504e470d0a1a0a0000}"
       rb"\trowd\cellx2000\cellx4000 System\cell Login\cell\row "
       rb"Slut}")


def test_rtf_text_with_danish_letters_and_runs_joined():
    result = extract(RTF, "aftale.rtf")
    assert result.status == OK and result.extractor == "rtf", result.error
    assert "Kontrakt om Løsning til Byg og Miljø" in result.text
    assert "Login med NemID og \u201cMitID\u201d" in result.text
    assert "Calibri" not in result.text and "Microsoft Word" not in result.text and "89504e47" not in result.text
    assert "System" in result.text and "Slut" in result.text


def test_word_rtf_saved_as_doc_is_read_as_rtf():
    result = extract(RTF, "gammel kontrakt.doc")
    assert result.extractor == "rtf" and "NemID" in result.text


def test_rtf_suffix_without_rtf_header_is_corrupt():
    result = extract(b"\x00\x01 not rtf", "aftale.rtf")
    assert result.status == ERROR and result.error == "corrupt RTF document: no {\\rtf header"
