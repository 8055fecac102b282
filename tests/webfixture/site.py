"""Korsbæk Kommune's website and the self-service hosts it links to, built in code.

Modelled on real municipal pages (../shared/realdata/web/municipal_pages_seen.json: an information
page about MitID like herning.dk's, an obligatory self-service page like holbaek.dk's, a building
permit page pointing to Byg og Miljø like aabenraa.dk's) and the OS2valghalla guide (citizens log in
with MitID to volunteer at elections). Korsbæk is the fictitious municipality of the OS2 templates.
All URLs are http:// (the fixture proxy serves plain HTTP).

What a crawl from http://www.korsbaek.dk/ should find (EXPECTED_SYSTEMS):
- RenoWeb (redirect to NemLog-in), Byg og Miljø ("Log ind med MitID" button), EG Netforvaltning
  (SAML AuthnRequest form), Emply (no login; a job list) → shared (KL's lists);
- Borger.dk (login link to NemLog-in), Virk.dk (redirect), Digital Post at mit.dk (button) →
  common public;
- selvbetjening.korsbaek.dk (redirect to NemLog-in on the municipality's own domain) → own;
- korsbaek.valghalla.dk (login button; OS2valghalla is on KITOS's list of systems used by 20+
  municipalities, Bilag 4) → shared, under the list's name.
Not found: the login link on /intern/ (robots.txt disallows it), anything on the news site, the
information page about MitID as a login, www.mitid.dk / NemLog-in hosts (never requested).
"""

from __future__ import annotations

import io

from tests.webfixture.proxy import Host, Page

START_URL = "http://www.korsbaek.dk/"
SITE = "www.korsbaek.dk"
DOCUMENT_CAP = 120_000          # bytes: the test's --document-max-bytes
SLOW_HOST = "tid.korsbaek-booking.dk"
DEAD_HOST = "www.korsbaek-selvbetjening.dk"   # not served by the proxy: unreachable
NEWS_HOST = "www.korsbaekavis.dk"             # an off-site news site (not served; never requested)

EXPECTED_SYSTEMS = {
    "RenoWeb": "shared",
    "Byg og Miljø": "shared",
    "EG Netforvaltning": "shared",
    "Emply (rekrutteringssystem)": "shared",
    "Borger.dk": "common_public",
    "Virk.dk": "common_public",
    "Digital Post": "common_public",
    "selvbetjening.korsbaek.dk": "own",
    "Valghalla 2.0": "shared",
}

NAV = [
    ("/borger/", "Borger"),
    ("/erhverv/", "Erhverv"),
    ("/selvbetjening/", "Selvbetjening"),
    ("/nyheder/", "Nyheder"),
    ("/job/", "Job i kommunen"),
]


def layout(title: str, main: str) -> str:
    nav = "\n".join(f'      <li><a href="{href}">{text}</a></li>' for href, text in NAV)
    return f"""<!DOCTYPE html>
<html lang="da">
<head><meta charset="utf-8"><title>{title} | Korsbæk Kommune</title>
<link rel="stylesheet" href="/static/css/main.css"></head>
<body>
  <a class="skip-link" href="#main">Gå til indhold</a>
  <header class="site-header">
    <a href="/" class="logo"><img src="/static/img/logo.svg" alt="Korsbæk Kommune - forsiden"></a>
    <form action="/soeg/" role="search"><input name="q" aria-label="Søg på korsbaek.dk"></form>
    <nav aria-label="Hovedmenu"><ul>
{nav}
    </ul></nav>
  </header>
  <main id="main">
    <nav class="breadcrumb"><a href="/">Forside</a> › {title}</nav>
    <h1>{title}</h1>
{main}
  </main>
  <footer class="site-footer">
    <p>Korsbæk Kommune · Rådhustorvet 1 · 4999 Korsbæk · Tlf. 99 99 99 99 ·
       <a href="mailto:kommune@korsbaek.dk">kommune@korsbaek.dk</a></p>
    <ul>
      <li><a href="/kontakt/">Kontakt</a></li>
      <li><a href="/om-siden/tilgaengelighed/">Tilgængelighedserklæring</a></li>
      <li><a href="/om-siden/cookies/">Cookies og privatliv</a></li>
      <li><a href="/intern/">For medarbejdere</a></li>
      <li><a href="https://www.facebook.com/korsbaekkommune">Facebook</a></li>
    </ul>
  </footer>
</body>
</html>"""


def html(title: str, main: str, **kw) -> Page:
    return Page(layout(title, main), **kw)


def external(title: str, body: str, **kw) -> Page:
    """A page on another organisation's host (no Korsbæk layout)."""
    return Page(f"<!DOCTYPE html><html lang='da'><head><title>{title}</title></head><body>{body}</body></html>",
                **kw)


def redirect(location: str) -> Page:
    return Page("", status=302, content_type="text/html", headers={"Location": location})


def make_pdf(lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    y = 800
    for line in lines:
        c.drawString(60, y, line)
        y -= 18
    c.showPage()
    c.save()
    return buffer.getvalue()


def make_docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SAML_FORM = """<form method="post" action="http://login.nemlog-in.dk/login.aspx">
  <input type="hidden" name="SAMLRequest" value="PHNhbWxwOkF1dGhuUmVxdWVzdCB4bWxuczpzYW1scD0i">
  <input type="hidden" name="RelayState" value="vielse">
  <noscript><button type="submit">Fortsæt</button></noscript>
</form>
<script>document.forms[0].submit();</script>"""


def build_site() -> dict[str, Host]:
    pages: dict[str, Page] = {
        "/robots.txt": Page("User-agent: *\nDisallow: /intern/\nDisallow: /soeg/\n", content_type="text/plain"),
        "/": html("Forside", """
    <section class="top-tasks"><h2>Mest brugte selvbetjeninger</h2><ul>
      <li><a href="/selvbetjening/">Se al selvbetjening</a></li>
      <li><a href="/borger/affald/">Affald og genbrug</a></li>
      <li><a href="/borger/mitid-og-digital-post/">MitID og Digital Post</a></li>
    </ul></section>
    <section class="news"><h2>Nyheder</h2>
      <article><h3>Nyt rådhus indvies</h3><p>Borgmesteren klipper snoren lørdag.</p>
        <a href="/nyheder/">Alle nyheder</a></article>
    </section>"""),
        "/borger/": html("Borger", """
    <ul class="link-list">
      <li><a href="/borger/affald/">Affald og genbrug</a></li>
      <li><a href="/borger/byggeri/soeg-om-byggetilladelse/">Byggeri</a></li>
      <li><a href="/borger/mitid-og-digital-post/">MitID og Digital Post</a></li>
      <li><a href="/borger/parkering/">Parkering</a></li>
      <li><a href="/borger/valg/">Valg</a></li>
    </ul>"""),
        # Modelled on herning.dk's "MitID" page: information, no login button.
        "/borger/mitid-og-digital-post/": html("MitID og Digital Post", """
    <p>MitID er din digitale identitet. Du bruger MitID til at logge ind på offentlige
       selvbetjeningsløsninger, i din bank og til Digital Post.</p>
    <h2>Sådan får du MitID</h2>
    <p>Du kan oprette MitID i MitID-appen eller i Borgerservice. Har du brug for hjælp, kan du bestille
       tid i Borgerservice.</p>
    <h2>Digital Post</h2>
    <p>Du læser din Digital Post på mit.dk eller i e-Boks.</p>
    <p><a href="http://www.mit.dk/">Log på Digital Post med dit MitID</a></p>
    <p><a href="http://www.mitid.dk/">Læs mere om MitID på mitid.dk</a></p>
    <h2>Fritaget for Digital Post?</h2>
    <p>Læs om fritagelse på <a href="http://www.borger.dk/">borger.dk</a>.</p>"""),
        "/borger/affald/": html("Affald og genbrug", """
    <p>Her kan du se din tømmekalender og bestille afhentning af storskrald.</p>
    <a class="button" href="http://korsbaek.renoweb.dk/Legacy/selvbetjening/mit_affald.aspx">Bestil storskrald</a>"""),
        # Modelled on aabenraa.dk's "Søg om byggetilladelse": points to the national portal.
        "/borger/byggeri/soeg-om-byggetilladelse/": html("Søg om byggetilladelse", """
    <p>Du søger om byggetilladelse digitalt i Byg og Miljø. Du logger ind med MitID.</p>
    <a class="button" href="http://www.bygogmiljoe.dk/">Ansøg om byggetilladelse</a>"""),
        "/borger/parkering/": html("Parkering", """
    <p>Bor du i en zone med betalingsparkering, kan du søge om en beboerlicens.</p>
    <a class="button" href="http://selvbetjening.korsbaek.dk/parkering/">Ansøg om beboerlicens</a>"""),
        # OS2valghalla: citizens volunteer for elections and log in with MitID.
        "/borger/valg/": html("Valg", """
    <p>Vil du hjælpe ved valget? Som valgtilforordnet tæller du stemmer på valgaftenen.</p>
    <a href="http://korsbaek.valghalla.dk/">Tilmeld dig som valgtilforordnet</a>"""),
        # Modelled on holbaek.dk's "obligatorisk selvbetjening".
        "/selvbetjening/": html("Selvbetjening", """
    <p>Langt de fleste henvendelser til kommunen skal ske digitalt (obligatorisk selvbetjening).</p>
    <ul class="selfservice">
      <li><a href="http://korsbaek.renoweb.dk/Legacy/selvbetjening/mit_affald.aspx">Bestil storskrald</a></li>
      <li><a href="http://www.bygogmiljoe.dk/">Ansøg om byggetilladelse</a></li>
      <li><a href="http://www.netforvaltning.dk/korsbaek/vielse">Ansøg om vielse</a></li>
      <li><a href="http://selvbetjening.korsbaek.dk/parkering/">Ansøg om beboerlicens</a></li>
      <li><a href="http://www.borger.dk/">Selvbetjening på borger.dk</a></li>
      <li><a href="http://tid.korsbaek-booking.dk/borgerservice">Book tid i Borgerservice</a></li>
      <li><a href="http://www.korsbaek-selvbetjening.dk/ansoeg">Ansøg om hjælpemidler</a></li>
    </ul>"""),
        "/erhverv/": html("Erhverv", """
    <p>Virksomheder indberetter og ansøger via Virk.</p>
    <ul>
      <li><a href="http://virk.dk/">Log på Virk</a></li>
      <li><a href="/erhverv/udbud/">Udbud og kontrakter</a></li>
    </ul>"""),
        "/erhverv/udbud/": html("Udbud og kontrakter", """
    <p>Kontrakter om selvbetjeningsløsninger offentliggøres her.</p>
    <ul class="documents">
      <li><a href="/filer/udbud/kontrakt-parkering.pdf">Kontrakt: parkeringslicenser (PDF)</a></li>
      <li><a href="/filer/udbud/bilag-1-kravspecifikation.docx">Bilag 1: Kravspecifikation (DOCX)</a></li>
      <li><a href="/filer/udbud/tegninger.pdf">Tegninger (PDF, stor fil)</a></li>
      <li><a href="/filer/udbud/prisliste.pdf">Prisliste</a></li>
      <li><a href="http://www.korsbaekavis.dk/filer/omtale.pdf">Omtale i Korsbæk Avis (PDF)</a></li>
    </ul>"""),
        "/job/": html("Job i kommunen", """
    <p>Se alle ledige stillinger i Korsbæk Kommune.</p>
    <a href="http://korsbaek.emply.net/recruitment/vacancies.aspx">Ledige stillinger</a>"""),
        "/nyheder/": html("Nyheder", """
    <article><h2>Nyt rådhus indvies</h2>
      <p><a href="http://www.korsbaekavis.dk/nyheder/nyt-raadhus">Læs artiklen hos Korsbæk Avis</a></p></article>
    <a href="/nyheder/arkiv/1/">Ældre nyheder</a>"""),
        "/intern/": html("For medarbejdere", """
    <a href="http://intra.korsbaek.dk/login">Log ind med MitID</a>"""),
        "/kontakt/": html("Kontakt", "<p>Ring eller skriv til os.</p>"),
        "/om-siden/tilgaengelighed/": html("Tilgængelighedserklæring", "<p>Vi arbejder for et tilgængeligt site.</p>"),
        "/om-siden/cookies/": html("Cookies og privatliv", "<p>Vi bruger kun nødvendige cookies.</p>"),
        "/filer/udbud/kontrakt-parkering.pdf": Page(make_pdf([
            "Kontrakt om levering af selvbetjeningsloesning til parkeringslicenser",
            "mellem Korsbaek Kommune og Parkeringsfirmaet A/S.",
            "Borgerne logger ind med MitID via NemLog-in. Leverandoeren indgaar",
            "tjenesteudbyderaftale med Digitaliseringsstyrelsen.",
        ]), content_type=PDF_TYPE),
        "/filer/udbud/bilag-1-kravspecifikation.docx": Page(make_docx([
            "Bilag 1 – Kravspecifikation",
            "Løsningen skal understøtte login med MitID Erhverv (medarbejdersignatur) for virksomheder.",
        ]), content_type=DOCX_TYPE),
        "/filer/udbud/tegninger.pdf": Page(b"%PDF-1.4\n" + b"0" * (DOCUMENT_CAP + 50_000), content_type=PDF_TYPE),
        "/filer/udbud/prisliste.pdf": Page("<html><body>Prislisten er flyttet</body></html>"),
    }
    for n in range(1, 6):
        pages[f"/nyheder/arkiv/{n}/"] = html(f"Nyhedsarkiv side {n}",
                                             f'<a href="/nyheder/arkiv/{n + 1}/">Ældre nyheder</a>')
    return {
        SITE: Host(pages),
        "selvbetjening.korsbaek.dk": Host({
            "/parkering/": redirect("http://login.nemlog-in.dk/login.aspx?SAMLRequest=fZJBT8MwDIX&RelayState=p"),
        }),
        "korsbaek.renoweb.dk": Host({
            "/Legacy/selvbetjening/mit_affald.aspx": redirect("http://nemlog-in.mitid.dk/login/mitid"),
        }),
        "www.bygogmiljoe.dk": Host({"/": external("Byg og Miljø", """
            <nav><a href="/om/">Om Byg og Miljø</a> <a href="/hjaelp/">Hjælp</a></nav>
            <h1>Byg og Miljø</h1><p>Søg om byggetilladelse digitalt.</p>
            <a class="btn" href="/login/mitid">Log ind med MitID</a>""")}),
        "www.netforvaltning.dk": Host({"/korsbaek/vielse": external("Vielse", SAML_FORM)}),
        "www.borger.dk": Host({"/": external("borger.dk", """
            <h1>borger.dk – din indgang til det offentlige</h1>
            <a href="http://login.nemlog-in.dk/login.aspx">Log på</a>
            <a href="/familie-og-boern/">Familie og børn</a>""")}),
        "virk.dk": Host({"/": redirect("http://login.nemlog-in.dk/login.aspx?service=virk")}),
        "www.mit.dk": Host({"/": external("mit.dk", """
            <h1>Digital Post</h1><button type="button">Log på med MitID</button>""")}),
        "korsbaek.emply.net": Host({"/recruitment/vacancies.aspx": external("Ledige stillinger", """
            <h1>Ledige stillinger</h1><ul><li><a href="/recruitment/job/1">Pædagog</a></li></ul>""")}),
        "korsbaek.valghalla.dk": Host({"/": external("OS2valghalla – Korsbæk", """
            <h1>Bliv valgtilforordnet</h1><p>Log ind med MitID for at se dine opgaver.</p>
            <form action="/Account/Login" method="get"><button>Log ind med MitID</button></form>""")}),
        SLOW_HOST: Host({"/borgerservice": external("Tidsbestilling", "<button>Log ind med MitID</button>")},
                        delay=4.0),
    }
