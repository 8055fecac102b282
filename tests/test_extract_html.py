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


LOGIN_IN_MARKUP = """<html><head><meta http-equiv="refresh" content="5; url=https://broker.nemlog-in.dk/start">
</head><body><p>Velkommen til selvbetjeningen</p>
<form action="https://nemlog-in.mitid.dk/login/saml" method="post"><button>Fortsæt</button></form>
<a href="/hjaelp">Hjælp</a> <a href="/hjaelp">Hjælp igen</a> <a href="#top">Top</a>
<a href="javascript:void(0)">Menu</a> <img src="data:image/png;base64,iVBORw0KGgo=">
<img src="/img/mitid-logo.svg" alt="Log på med MitID"></body></html>"""


def test_links_forms_redirects_and_images_are_a_marked_markup_page():
    result = extract(LOGIN_IN_MARKUP.encode(), "selvbetjening.html")
    assert [(p.number, p.markup) for p in result.pages] == [(1, False), (2, True)]
    assert "nemlog-in" not in result.pages[0].text              # not visible text
    assert result.pages[1].text.split("\n") == [
        "[markup] redirect: https://broker.nemlog-in.dk/start",
        "[markup] form action: https://nemlog-in.mitid.dk/login/saml",
        "[markup] link: /hjaelp",                                 # the same target once
        "[markup] image: /img/mitid-logo.svg",
        "[markup] image alt: Log på med MitID",
    ]


def test_page_without_targets_has_one_page():
    assert [p.number for p in extract(b"<html><body><p>MitID</p></body></html>", "a.html").pages] == [1]
