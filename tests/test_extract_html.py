"""HTML: visible text only (no script, style or head), title, entities, charset."""

from __future__ import annotations

from extractors import extract
from extractors.base import OK

PAGE = """<!DOCTYPE html><html><head><title>Selvbetjening</title>
<style>.login { color: red }</style><script>var nemid = "NemID-script";</script></head>
<body><h1>Log ind med MitID</h1><p>Ans&oslash;g om <b>byggetilladelse</b> &amp; mere</p>
<table><tr><td>System</td><td>Login</td></tr><tr><td>Byg og Miljø</td><td>NemLog-in</td></tr></table>
<script>document.write("skjult")</script></body></html>"""


def test_visible_text_only_with_title():
    result = extract(PAGE.encode("utf-8"), "side.html")
    assert result.status == OK and result.extractor == "html"
    assert result.title == "Selvbetjening"
    lines = result.text.split("\n")
    assert lines[0] == "Log ind med MitID"
    assert "Ansøg om byggetilladelse & mere" in lines
    assert "System | Login" in lines and "Byg og Miljø | NemLog-in" in lines
    assert "NemID-script" not in result.text and "skjult" not in result.text and "color" not in result.text
    assert "Selvbetjening" not in result.text      # the head is not visible text


def test_meta_charset_is_honoured():
    page = '<html><head><meta charset="windows-1252"></head><body>Kommunens løsning</body></html>'
    assert extract(page.encode("cp1252"), "a.htm").text == "Kommunens løsning"


def test_html_recognised_by_content():
    assert extract(b"<html><body>MitID</body></html>", "page.aspx").extractor == "html"
