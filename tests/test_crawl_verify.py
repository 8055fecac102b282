"""`tuscan.web.verify`: is a response a NemLog-in/MitID login? And the known-hosts list."""

from __future__ import annotations

import pytest

from tuscan.web.hosts import INFO, LOGIN, SELFSERVICE, known_hosts, match_host, site_domain, within
from tuscan.web.verify import verify_response

URL = "http://korsbaek.renoweb.dk/selvbetjening"


def page(body: str) -> str:
    return f"<html><head><title>t</title></head><body>{body}</body></html>"


@pytest.mark.parametrize("status, location, expected", [
    (302, "https://login.nemlog-in.dk/login.aspx?x=1", "redirects to NemLog-in (login.nemlog-in.dk)"),
    (303, "https://nemlog-in.mitid.dk/login/mitid", "redirects to NemLog-in (nemlog-in.mitid.dk)"),
    (302, "https://idp.vendor.dk/sso?SAMLRequest=fZJBT8Mw", "redirects with a SAML AuthnRequest to idp.vendor.dk"),
])
def test_redirects_to_a_login(status, location, expected):
    verdict = verify_response(URL, status, {"Location": location})
    assert verdict.login and verdict.evidence == expected


def test_redirect_elsewhere_is_not_a_login():
    verdict = verify_response(URL, 301, {"Location": "/ny-side"})
    assert not verdict.login and verdict.evidence == "redirects to korsbaek.renoweb.dk (not followed)"


def test_saml_post_form():
    html = page('<form method="post" action="https://idp.kommune.dk/saml"><input type="hidden" '
                'name="SAMLRequest" value="PHNhbWxw"></form>')
    verdict = verify_response(URL, 200, body=html, content_type="text/html")
    assert verdict.login and verdict.evidence == "SAML AuthnRequest form posting to idp.kommune.dk"


def test_form_posting_to_nemlog_in():
    html = page('<form action="https://login.nemlog-in.dk/"><button>Fortsæt</button></form>')
    assert verify_response(URL, 200, body=html).login


@pytest.mark.parametrize("button", [
    "<button>Log ind med MitID</button>",
    '<input type="submit" value="Log på med NemID">',
    '<a href="/login/mitid" class="btn">Log ind med MitID Erhverv</a>',
    "<button>Login via NemLog-in</button>",
])
def test_login_buttons(button):
    verdict = verify_response(URL, 200, body=page(button))
    assert verdict.login and verdict.evidence.startswith("login button")


def test_information_page_about_mitid_is_not_a_login():
    # Like herning.dk's MitID page: the words everywhere, but nothing to log in with here.
    html = page("""<h1>MitID</h1><p>Du bruger MitID til at logge ind på offentlige selvbetjeningsløsninger.
        Log ind med MitID på borger.dk for at se dine sager.</p><h2>Sådan får du MitID</h2>
        <a href="https://www.mitid.dk/">Læs mere om MitID</a>
        <a href="https://www.mit.dk/">Log på Digital Post med dit MitID</a>""")
    verdict = verify_response("http://www.korsbaek.dk/borger/mitid/", 200, body=html)
    assert not verdict.login
    assert verdict.evidence == "mentions MitID/NemID but offers no login (an information page)"


def test_read_more_link_to_nemlog_in_is_not_a_login():
    html = page('<a href="https://www.nemlog-in.dk/om">Læs om NemLog-in</a>')
    assert not verify_response(URL, 200, body=html).login


def test_long_paragraph_with_login_words_is_not_a_button():
    html = page("<button>" + "Her kan du læse om hvordan du skal " * 5 + "log ind med MitID</button>")
    assert not verify_response(URL, 200, body=html).login


def test_http_error_and_non_html():
    assert verify_response(URL, 404, body=page("<button>Log ind med MitID</button>")).evidence == "HTTP 404"
    assert not verify_response(URL, 200, body=b"%PDF-1.4", content_type="application/pdf").login


def test_known_hosts_list():
    hosts = known_hosts()
    assert {h.kind for h in hosts} == {LOGIN, SELFSERVICE, INFO}
    assert match_host("korsbaek.renoweb.dk").system == "RenoWeb"
    assert match_host("notrenoweb.dk") is None
    assert match_host("nemlog-in.mitid.dk").kind == LOGIN      # more specific than mitid.dk (info)
    assert match_host("www.mitid.dk").kind == INFO
    assert match_host("www.borger.dk").owner == "Digitaliseringsstyrelsen"


def test_domains():
    assert site_domain("https://www.korsbaek.dk/borger/") == "korsbaek.dk"
    assert within("selvbetjening.korsbaek.dk", "korsbaek.dk")
    assert not within("korsbaek.dk.evil.com", "korsbaek.dk")
