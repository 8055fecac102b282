"""Generate the example contract archive of the fictional municipality Korsbæk Kommune.

    python examples/generate.py                 # rewrites examples/archive/ and examples/expected.json
    python examples/generate.py --out DIR       # writes the archive to DIR (expected.json untouched)

The archive is filed the way a contract manager files it: `Vendor/System/document`. Every system has a
main contract and usually a databehandleraftale, annexes (Bilag) or copies, so that grouping documents
into systems is realistic. Between them the documents hold every trap and spelling variant a keyword
search must survive, plus the file problems a real archive has (zip, duplicate, corrupt, encrypted,
empty, legacy .doc, scanned). `DOCUMENTS` and `SYSTEMS` below are also the source of `examples/expected.json`,
the contract the end-to-end tests check.

Output is byte-for-byte reproducible: reportlab runs with `invariant=1`, zip containers (also .docx)
are rewritten with fixed timestamps, and the encrypted PDF gets a fixed file identifier.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import shutil
import textwrap
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "archive"
EXPECTED_FILE = HERE / "expected.json"
FIXED_TIME = dt.datetime(2023, 3, 1, 12, 0, 0)
ZIP_TIME = (2023, 3, 1, 12, 0, 0)
PENNEO_BLOCK = (
    "Penneo dokumentnøgle: 7KQ2M-XW4TA-J9P3L-EE8RN-5CVB1-UZ6HD\n"
    "\n"
    "Underskrifterne i dette dokument er juridisk bindende. Dokumentet er underskrevet via Penneo™\n"
    "sikker digital underskrift. Underskrivernes identiteter er blevet registreret.\n"
    "\n"
    "Jens Hansen, kommunaldirektør, Korsbæk Kommune\n"
    "Underskrevet med NemID via Penneo\n"
    "Serienummer: PID:9208-2002-2-714385216842\n"
    "IP: 185.23.xxx.xxx  2023-03-01 10:14:52 UTC\n"
)


# --------------------------------------------------------------------------------------------------
# Document content model
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Docx:
    """Content of a .docx: blocks are ("h", text), ("p", text), ("runs", [(text, bold), ...]) or
    ("table", [[cell, ...], ...]); header and footer go into the first section."""

    blocks: tuple
    header: str = ""
    footer: str = ""


@dataclass(frozen=True)
class Doc:
    """One archive file and what the end-to-end tests should find in it."""

    path: str  # relative to the archive root, "/" separators
    kind: str  # pdf, docx, txt, encrypted_pdf, image_pdf, corrupt_pdf, empty, legacy_doc, duplicate, zip
    content: object  # str (pdf/txt, pages split by "\f"), Docx, source path (duplicate), tuple[Doc] (zip)
    status: str = "ok"
    tu_evidence: bool = False
    system: str | None = None
    keywords: tuple[str, ...] = ()
    traps: tuple[str, ...] = ()
    note: str = ""
    folder_system: str | None = None  # the system its folder is filed under, for unreadable files
    ocr: bool = False  # text only by OCR: without tesseract the file is no_text with no keywords
    title: str = ""


@dataclass(frozen=True)
class System:
    system: str
    vendor: str
    category: str
    suggested_level: str | None
    flags: tuple[str, ...] = ()
    matched_list: str | None = None
    matched_name: str | None = None
    note: str = ""
    documents: tuple[str, ...] = field(default=())


# --------------------------------------------------------------------------------------------------
# Texts. Line breaks inside a paragraph are kept as written (that is how the hyphenation traps
# "Nem-⏎ID" and "medarbejder-⏎signatur" are placed); paragraphs without a line break are wrapped.
# --------------------------------------------------------------------------------------------------

SELVBETJENING_CONTRACT = """KONTRAKT
om levering og drift af Korsbæk Selvbetjening

mellem Korsbæk Kommune, Rådhustorvet 1, 4999 Korsbæk (Kunden)
og Formularfabrikken ApS, Bygaden 12, 4999 Korsbæk (Leverandøren)

1. Baggrund
Korsbæk Kommune har i 2019 bestilt en lokal selvbetjeningsløsning, Korsbæk Selvbetjening, som \
alene anvendes af Korsbæk Kommune. Løsningen er udviklet til kommunen og samler kommunens \
digitale blanketter til borgere på www.korsbaek.dk.

2. Log-in
Borgeren logger på løsningen med MitID via NemLog-in. Indtil overgangen til MitID var log-in
baseret på Nem-
ID. Leverandøren sørger for, at integrationen til NemLog-in3 følger Digitaliseringsstyrelsens \
standard. Kommunen indgår tjenesteudbyderaftale med Digitaliseringsstyrelsen for løsningen.

3. Blanketter
Løsningen indeholder de blanketter, der er oplistet i Bilag 1. Blanketterne er en del af \
løsningen og udgør ikke selvstændige systemer.
\f
4. Personoplysninger
Løsningen behandler alene almindelige personoplysninger om borgeren: navn, adresse, telefonnummer, \
e-mail og fødselsdato.

5. Drift og support
Leverandøren drifter løsningen i eget datacenter i Danmark. Support ydes hverdage kl. 8-16.

6. Vederlag
Kunden betaler et årligt driftsvederlag på 84.000 kr. ekskl. moms.

7. Varighed
Kontrakten løber fra 1. januar 2020 og kan opsiges med 6 måneders varsel.

For Korsbæk Kommune                              For Formularfabrikken ApS
Jens Hansen, kommunaldirektør                    Bent Ørum, direktør
"""

KOLONIHAVER_CONTRACT = """AFTALE
om Korsbæk Kolonihaver - digital udlejning af kolonihavelodder

Parter: Korsbæk Kommune og Nordlys Software ApS, Havnevej 3, 4999 Korsbæk.

1. Løsningen
Korsbæk Kolonihaver er en webløsning, som Nordlys Software har udviklet til Korsbæk Kommune. \
Løsningen bruges kun i Korsbæk. Borgere kan skrive sig på venteliste, se ledige haver og \
indgå lejekontrakt om en kolonihavelod.

2. Adgang for borgere
Borgeren logger ind med Nem ID. Ved overgangen til MitID-login ændres log-in-siden, jf. \
ændringsbilaget.

3. Underskrift af lejekontrakter
Lejekontrakten underskrives digitalt i løsningen. Signering sker med OCES-signatur \
(digital signatur) fra borgerens NemID nøglekort, og det underskrevne dokument gemmes i \
løsningen.
\f
4. Oplysninger
Løsningen registrerer lejerens navn, adresse og e-mail samt havenummer og betalingsstatus.

5. Pris
Licens og drift: 36.000 kr. årligt.
"""

KOLONIHAVER_CHANGE = """Ændringsbilag 1 til aftale om Korsbæk Kolonihaver
Overgang fra NEMID til MitID

Baggrund
NemID-løsningen udfases. Log-in i Korsbæk Kolonihaver flyttes fra NemID til MitID via
Nemlogin (NemLog-in3). Borgere, der i dag logger på med Nem-
ID, skal fremover bruge MitID.

Signering
Signering af lejekontrakter med OCES-signatur virker ikke med MitID. Leverandøren ombygger
underskriftsflowet, så kontrakter underskrives via NemLog-in's signeringstjeneste.

Pris for ændringen: 48.000 kr. ekskl. moms.
"""

TORVEHANDEL_CONTRACT = Docx(
    header="Korsbæk Kommune - Korsbæk Torvehandel - TU-løsning",
    footer="Kontrakt nr. 2021-044 - Bytorvet IT A/S - side 1",
    blocks=(
        ("h", "Kontrakt om Korsbæk Torvehandel"),
        ("p", "Mellem Korsbæk Kommune og Bytorvet IT A/S indgås følgende kontrakt om en selvbetjeningsløsning, "
              "hvor virksomheder søger og betaler for standpladser på torvet i Korsbæk. Løsningen er "
              "bestilt af Korsbæk Kommune og anvendes ikke af andre kommuner."),
        ("h", "Adgang"),
        ("runs", (("Virksomheder logger ind med ", False), ("medarbejder", True), ("signaturen", False),
                  (" via NemLog-in. Efter overgangen bruges ", False), ("MitID ", False),
                  ("Erhverv", False), (".", False))),
        ("table", (
            ("Brugergruppe", "Log-in", "Bemærkning"),
            ("Virksomheder (torvehandlere)", "medarbejdersignatur / MitID Erhverv", "via NemLog-in"),
            ("Kommunens sagsbehandlere", "Windows-login (AD)", "intern adgang"),
        )),
        ("h", "Integration"),
        ("p", "Ved log-in overfører løsningen virksomhedens CVR-nummer og medarbejderens RID-nummer til "
              "kommunens sagssystem. Ved enkeltmandsvirksomheder overføres ejerens PID. "
              "Integrationen skal omlægges fra PID og RID til UUID ved overgangen til MitID Erhverv."),
        ("h", "Oplysninger"),
        ("p", "Løsningen behandler virksomhedens navn, adresse og kontaktperson."),
    ),
)

TORVEHANDEL_INTEGRATION = """Bilag 2 - Integrationsbeskrivelse, Korsbæk Torvehandel

Log-in: Torvehandlere logger på med deres medarbejder-
signatur via NemLog-in (SAML 2.0, OIOSAML 2.0.9).

Attributter fra NemLog-in:
  - CVR-nummer
  - RID-nummer (medarbejderens løbenummer)
  - PID (kun enkeltmandsvirksomheder)

RID og PID gemmes i tabellen torv_bruger og sendes til sagssystemet. Det skal ændres til UUID.
"""

STOETTEKONTAKT_CONTRACT = """AFTALE
om Korsbæk Støttekontakt

Korsbæk Kommune, Social og Sundhed, og Omsorgsdata ApS, Lægevej 8, 4999 Korsbæk.

1. Formål
Korsbæk Støttekontakt er en selvbetjeningsløsning, hvor borgere i socialpsykiatrien booker \
samtaler med deres støttekontaktperson og udveksler beskeder med kommunen. Løsningen er \
udviklet til Korsbæk Kommune og anvendes kun her.

2. Log-in
Borgeren logger på med MitID (tidligere NemID) via NemLog-in. Støttekontaktpersonerne logger \
på med kommunens Windows-login.
\f
3. Personoplysninger
Løsningen behandler følsomme personoplysninger, herunder helbredsoplysninger (diagnoser og \
medicin) og oplysninger om sociale forhold (bostøtte, misbrug). Oplysningerne må kun tilgås af \
de medarbejdere, der har et arbejdsbetinget behov.

4. Sikkerhed
Leverandøren skal beskytte oplysningerne svarende til deres følsomhed, jf. databehandleraftalen.
\f
5. Pris og varighed
Årligt vederlag 120.000 kr. Aftalen løber til 31. december 2026.
"""

STOETTEKONTAKT_DPA = """DATABEHANDLERAFTALE
Korsbæk Støttekontakt - Korsbæk Kommune (dataansvarlig) og Omsorgsdata ApS (databehandler)

1. Behandlingens omfang
Databehandleren behandler på vegne af den dataansvarlige:
  - almindelige personoplysninger: navn, adresse, CPR-nummer, telefonnummer
  - helbredsoplysninger og oplysninger om sociale forhold

2. Eksempel på registrering (testdata)
Borger: Testperson Hansen, CPR-nummer 010203-1234, Korsbækvej 1, 4999 Korsbæk.

3. Underdatabehandlere
Hosting: Nordisk Hosting A/S, Danmark.
"""

NFS_CONTRACT = """AFTALE
om EG NetForvaltning Sundhed

mellem Korsbæk Kommune og EG A/S

1. Aftalens genstand
Aftalen omfatter EG NetForvaltning Sundhed, EG's standardløsning til borgernes ansøgninger \
om helbredstillæg og tandpleje. Løsningen anvendes af mange kommuner.

2. Borgernes adgang
Borgerne logger på med NemID/MitID via NemLog-in. EG har tjenesteudbyderaftalen med \
Digitaliseringsstyrelsen på vegne af kunderne.
\f
3. Drift
EG drifter løsningen som standard SaaS.

4. Priser
Abonnement: 42.500 kr. årligt.
"""

NFS_DPA = Docx(
    header="Databehandleraftale - EG NetForvaltning Sundhed",
    footer="Borgere logger på med NemID/MitID via NemLog-in",
    blocks=(
        ("h", "Databehandleraftale"),
        ("p", "Korsbæk Kommune (dataansvarlig) og EG A/S (databehandler) indgår denne databehandleraftale "
              "om NetForvaltning Sundhed."),
        ("table", (
            ("Kategori", "Oplysninger"),
            ("Almindelige oplysninger", "navn, adresse, CPR-nummer"),
            ("Følsomme oplysninger", "helbredsoplysninger (helbredstillæg)"),
        )),
    ),
)

NFS_ZIP_ADDENDUM = """Tillæg 1 til aftale om EG NetForvaltning Sundhed
Overgang fra NemID til MitID

EG opdaterer NetForvaltning Sundhed til NemLog-in3, så borgerne logger på med MitID.
NemID-log-in lukkes 30. juni 2023. Tillægget er uden merpris.
"""

NFS_ZIP_ANNEX = Docx(
    header="EG NetForvaltning Sundhed - Bilag A",
    blocks=(
        ("h", "Bilag A - Servicebeskrivelse"),
        ("table", (
            ("Funktion", "Beskrivelse"),
            ("Borgerlogin", "MitID-login via NemLog-in"),
            ("Sagsbehandling", "Kommunens medarbejdere via KMD-integration"),
        )),
    ),
)

AULA_CONTRACT = """KONTRAKT
om Aula - Korsbæk Kommunes tilslutning

Parter: Korsbæk Kommune og KOMBIT A/S.

1. Løsningen
Aula er den fælleskommunale kommunikationsplatform for skole og dagtilbud. Løsningen anvendes \
af alle landets kommuner.

2. Adgang
Forældre logger ind med Nem ID / MitID via Nemlogin. Elever og medarbejdere bruger UNI-Login.
\f
3. Betaling
Kommunens andel af driftsudgifterne opkræves kvartalsvis efter indbyggertal.
"""

AULA_DPA = """DATABEHANDLERAFTALE - Aula

Korsbæk Kommune er dataansvarlig; KOMBIT A/S er databehandler.

Kategorier af registrerede: elever, forældre og medarbejdere i skoler og dagtilbud.
Oplysninger: navn, adresse, klasse, fravær og beskeder.

Forældre logger på med MitID. Databehandleren logger alle opslag.
"""

TABULEX_CONTRACT = Docx(
    header="Tabulex - Forældreportal og pladsanvisning",
    footer="Forældre logger ind med NemID",
    blocks=(
        ("h", "Kontrakt om Tabulex"),
        ("p", "Korsbæk Kommune anvender Tabulex fra Tabulex ApS til pladsanvisning og forældreportal i "
              "dagtilbud. Tabulex anvendes af mange kommuner."),
        ("runs", (("Forældre logger på med ", False), ("Nem", True), ("-ID", False),
                  (" og skriver deres barn op til en plads.", False))),
        ("table", (
            ("Modul", "Brugere", "Log-in"),
            ("Pladsanvisning", "Forældre", "NemID / MitID"),
            ("Administration", "Kommunens medarbejdere", "Windows-login"),
        )),
    ),
)

FMK_CONNECTION = """TILSLUTNINGSAFTALE
FMK - Fælles Medicinkort

Sundhedsdatastyrelsen og Korsbæk Kommune, Hjemmeplejen og Sundhedscentret.

1. Om FMK
FMK ejes og drives af Sundhedsdatastyrelsen. Kommunens medarbejdere bruger FMK til at se og
ajourføre borgernes medicin, en opgave kommunen er forpligtet til.

2. Adgang
Medarbejderne tilgår FMK med medarbejdersignaturen. Ved overgangen til MitID Erhverv skal
kommunen flytte medarbejdernes rettigheder. Medarbejdere uden medarbejder-
signatur kan ikke tilgå FMK.
"""

FMK_ADMIN = """Brugeradministration i FMK - intern vejledning, Korsbæk Kommune

Nye medarbejdere i hjemmeplejen skal have en NEMID medarbejdersignatur, før de kan oprettes i FMK.
Fra 2023 udstedes i stedet en erhvervssignatur (MitID Erhverv) fra kommunens lokale IdP.
Lederen godkender rettighederne hvert kvartal.
"""

VIRK_TERMS = """Vilkår for brug af Virk.dk
Erhvervsstyrelsen

Virk.dk er den fællesoffentlige indgang for virksomheder og myndigheder. Korsbæk Kommunes \
medarbejdere indberetter på Virk.dk på kommunens vegne.

Log-in sker med MitID Erhverv via NemLog-in. Rettigheder tildeles af kommunens administrator \
i MitID Erhverv.
"""

SCANNED_TEXT = (
    "Aftale om medarbejdersignatur",
    "Korsbæk Kommune - Erhvervsstyrelsen",
    "Kommunens medarbejdere logger på Virk.dk",
    "med medarbejdersignatur (NemID).",
    "Underskrevet: 12. maj 2015",
)

FENIX_CONTRACT = """KONTRAKT
om Fenix Økonomi (ERP)

Korsbæk Kommune og Fenix Systemer A/S, Industrivej 40, 4999 Korsbæk.

1. Løsningen
Fenix Økonomi er kommunens økonomi- og regnskabssystem. Systemet bruges kun af kommunens egne \
medarbejdere, der logger på med deres Windows-login (Active Directory, single sign-on). Borgere \
og virksomheder har ikke adgang.

2. Fakturering og udbetaling
Leverandørfakturaer modtages elektronisk via NemHandel. Udbetalinger til borgere og \
virksomheder sker til deres NemKonto.
\f
3. Underskrift
""" + PENNEO_BLOCK

FENIX_USERS = Docx(
    header="Fenix Økonomi - Bilag 3 Brugerstyring",
    footer="Fenix Systemer A/S",
    blocks=(
        ("h", "Bilag 3 - Brugerstyring"),
        ("p", "Brugere oprettes i kommunens Active Directory. Log-in sker med Windows-login; der er ingen "
              "ekstern adgang."),
        ("table", (
            ("Rolle", "Log-in"),
            ("Bogholder", "Windows-login"),
            ("Budgetansvarlig", "Windows-login"),
        )),
    ),
)

BILAGSSERVICE_CONTRACT = """Aftale om fakturascanning
Bilagsservice A/S og Korsbæk Kommune

Bilagsservice modtager kommunens papirfakturaer, scanner dem og sender dem som OIOUBL via NemHandel
til Fenix Økonomi. Fakturaer fra udenlandske leverandører betales ikke via NemKonto, men ved
bankoverførsel. Bilagsservice har ingen adgang for borgere eller virksomheder.

Pris: 3,10 kr. pr. faktura.
"""

TIDSPUNKT_CONTRACT = Docx(
    header="Tidspunkt Tidsregistrering",
    footer="Tidspunkt A/S - kontrakt 2022",
    blocks=(
        ("h", "Kontrakt om Tidspunkt Tidsregistrering"),
        ("p", "Tidspunkt A/S leverer kommunens system til registrering af arbejdstid. Medarbejderne logger på "
              "med Windows-login fra kommunens pc'er."),
        ("table", (
            ("Dokument", "Godkendelse"),
            ("Timeseddel", "medarbejderens signatur og lederens påtegning"),
            ("Ferieplan", "lederen"),
        )),
        ("p", "Papirtimesedler skal være forsynet med medarbejderens signatur, før de indscannes."),
    ),
)

CLEANING_CONTRACT = """RENGØRINGSAFTALE
Rådhuset, Rådhustorvet 1, 4999 Korsbæk

Parter: Korsbæk Kommune og Korsbæk Rengøring ApS.

1. Ydelsen
Daglig rengøring af kontorer, mødelokaler, toiletter og kantine på hverdage kl. 16-20.

2. Kvalitetskontrol
Rengøringsassistenten kvitterer på tjeklisten med medarbejderens signatur efter hver runde.
Kommunens servicechef fører stikprøvekontrol hver måned.

3. Pris
Månedligt vederlag 28.400 kr. ekskl. moms.
\f
4. Underskrift
""" + PENNEO_BLOCK

GDPR_NOTICE = """Oplysning om behandling af personoplysninger - Korsbæk Kommune

Korsbæk Kommune behandler oplysninger om dig, når du henvender dig til kommunen.

Dine rettigheder
Du har ret til indsigt i de oplysninger, kommunen behandler om dig, og til at få forkerte
oplysninger rettet.

Klage
Du kan klage til Datatilsynet over kommunens behandling af dine personoplysninger. Læs mere om
dine rettigheder og om, hvordan du klager, på borger.dk eller på www.datatilsynet.dk.

Kontakt kommunens databeskyttelsesrådgiver på dpo@korsbaek.dk.
"""

SELVBETJENING_FORMS = Docx(
    header="Korsbæk Selvbetjening - Bilag 1 Blanketoversigt",
    footer="Formularfabrikken ApS",
    blocks=(
        ("h", "Bilag 1 - Blanketoversigt"),
        ("p", "Blanketterne herunder er en del af Korsbæk Selvbetjening og har fælles log-in."),
        ("table", (
            ("Blanket", "Område", "Log-in"),
            ("Ansøgning om havneplads", "Teknik og Miljø", "MitID"),
            ("Anmeldelse af bål og afbrænding", "Beredskab", "MitID"),
            ("Ansøgning om parkeringstilladelse", "Teknik og Miljø", "MitID"),
            ("Tilmelding til ældreklub", "Kultur og Fritid", "MitID"),
            ("Bestilling af storskrald", "Affald", "MitID"),
            ("Ansøgning om fritidspas", "Kultur og Fritid", "MitID"),
            ("Anmeldelse af hund", "Borgerservice", "MitID"),
            ("Booking af sportshal", "Kultur og Fritid", "MitID"),
        )),
    ),
)

SELVBETJENING_DPA = Docx(
    header="Databehandleraftale - Korsbæk Selvbetjening",
    footer="Korsbæk Selvbetjening er kommunens egen TU-løsning - borgere logger på med MitID",
    blocks=(
        ("h", "Databehandleraftale"),
        ("p", "Formularfabrikken ApS behandler personoplysninger på vegne af Korsbæk Kommune i Korsbæk "
              "Selvbetjening."),
        ("table", (
            ("Kategori", "Oplysninger"),
            ("Borgere", "navn, adresse, fødselsdato, telefonnummer, e-mail"),
        )),
    ),
)

TABULEX_ADDENDUM = """Tillæg 2 til kontrakt om Tabulex
Forældre logger fremover på med MitID i stedet for NemID.
"""

ERP_2009_NOTE = "Kontrakt om Fenix Økonomi 2009 (Word 97-2003)"

# --------------------------------------------------------------------------------------------------
# The archive
# --------------------------------------------------------------------------------------------------

SEL = "Formularfabrikken/Korsbæk Selvbetjening"
KOL = "Nordlys Software/Korsbæk Kolonihaver"
TORV = "Bytorvet IT/Korsbæk Torvehandel"
STK = "Omsorgsdata/Korsbæk Støttekontakt"
NFS = "EG/NetForvaltning Sundhed"
AULA = "KOMBIT/Aula"
TAB = "Tabulex ApS/Tabulex"
FMK = "Sundhedsdatastyrelsen/FMK"
VIRK = "Erhvervsstyrelsen/Virk.dk"
FENIX = "Fenix Systemer/Fenix Økonomi"
BILAG = "Bilagsservice/Bilagsservice Fakturascanning"
TID = "Tidspunkt/Tidspunkt Tidsregistrering"

DOCUMENTS: tuple[Doc, ...] = (
    # --- own: Korsbæk Selvbetjening (Lav; forms are not separate systems) ---
    Doc(f"{SEL}/Kontrakt Korsbæk Selvbetjening.pdf", "pdf", SELVBETJENING_CONTRACT, tu_evidence=True,
        system="Korsbæk Selvbetjening", keywords=("mitid", "nemlog-in", "nemid", "tjenesteudbyder"),
        note="Own self-service solution; citizen MitID via NemLog-in, NemLog-in3, 'Nem-⏎ID' split by "
             "hyphenation, tjenesteudbyderaftale; only navn/adresse/fødselsdato → Lav."),
    Doc(f"{SEL}/Bilag 1 Blanketoversigt.docx", "docx", SELVBETJENING_FORMS, tu_evidence=True,
        system="Korsbæk Selvbetjening", keywords=("mitid",),
        note="Eight forms behind the one solution, MitID only in a table: the forms are not separate systems."),
    Doc(f"{SEL}/Databehandleraftale Korsbæk Selvbetjening.docx", "docx", SELVBETJENING_DPA, tu_evidence=True,
        system="Korsbæk Selvbetjening", keywords=("tu-løsning", "mitid"),
        note="'TU-løsning' and MitID only in the footer; ordinary personal data only (table)."),
    # --- own: Korsbæk Kolonihaver (signing) ---
    Doc(f"{KOL}/Aftale Korsbæk Kolonihaver.pdf", "pdf", KOLONIHAVER_CONTRACT, tu_evidence=True,
        system="Korsbæk Kolonihaver", keywords=("nemid", "mitid", "oces", "digital signatur", "signering"),
        note="Own solution; 'Nem ID' with a space, 'MitID-login'; lease contracts signed with OCES → flag signing."),
    Doc(f"{KOL}/Ændringsbilag MitID.txt", "txt", KOLONIHAVER_CHANGE, tu_evidence=True,
        system="Korsbæk Kolonihaver", keywords=("nemid", "mitid", "nemlog-in", "oces", "signering"),
        note="TXT: 'NEMID', 'NemID-løsningen', 'Nemlogin', 'NemLog-in3', 'Nem-⏎ID' split by hyphenation."),
    # --- own: Korsbæk Torvehandel (businesses, PID/RID) ---
    Doc(f"{TORV}/Kontrakt Korsbæk Torvehandel.docx", "docx", TORVEHANDEL_CONTRACT, tu_evidence=True,
        system="Korsbæk Torvehandel",
        keywords=("medarbejdersignatur", "mitid erhverv", "nemlog-in", "rid", "pid", "tu-løsning"),
        note="Businesses log in with medarbejdersignatur: 'medarbejder'+'signaturen' in two formatting runs, "
             "the term also in a table, 'TU-løsning' in the header; RID/PID passed on → flag pid_rid."),
    Doc(f"{TORV}/Bilag 2 Integrationsbeskrivelse.txt", "txt", TORVEHANDEL_INTEGRATION, tu_evidence=True,
        system="Korsbæk Torvehandel", keywords=("medarbejdersignatur", "nemlog-in", "rid", "pid"),
        note="'medarbejder-⏎signatur' split by hyphenation; RID and PID attributes."),
    # --- own: Korsbæk Støttekontakt (sensitive data → Betydelig) ---
    Doc(f"{STK}/Aftale Korsbæk Støttekontakt.pdf", "pdf", STOETTEKONTAKT_CONTRACT, tu_evidence=True,
        system="Korsbæk Støttekontakt",
        keywords=("mitid", "nemid", "nemlog-in", "helbredsoplysninger", "følsomme personoplysninger",
                  "sociale forhold"),
        note="Own solution, three pages; helbredsoplysninger and sociale forhold → Betydelig."),
    Doc(f"{STK}/Databehandleraftale Korsbæk Støttekontakt.pdf", "pdf", STOETTEKONTAKT_DPA,
        system="Korsbæk Støttekontakt", keywords=("cpr-nummer", "helbredsoplysninger", "sociale forhold"),
        note="Holds the fake CPR number 010203-1234, which must be masked in every stored snippet. "
             "No login term, so not TU evidence by itself."),
    Doc(f"{STK}/Prisbilag (beskyttet).pdf", "encrypted_pdf", STOETTEKONTAKT_CONTRACT, status="error",
        folder_system="Korsbæk Støttekontakt",
        note="Encrypted with a user password (pypdf, RC4-128): cannot be opened without it."),
    # --- shared: EG NetForvaltning Sundhed ---
    Doc(f"{NFS}/Aftale NetForvaltning - Sundhed.pdf", "pdf", NFS_CONTRACT, tu_evidence=True,
        system="NetForvaltning Sundhed", keywords=("nemid", "mitid", "nemlog-in", "tjenesteudbyder"),
        note="Shared TU-solution on KL's Bilag 3 ('EG Netforvaltning Sundhed'); NemID/MitID via NemLog-in."),
    Doc(f"{NFS}/Databehandleraftale EG NetForvaltning Sundhed.docx", "docx", NFS_DPA, tu_evidence=True,
        system="NetForvaltning Sundhed",
        keywords=("nemid", "mitid", "nemlog-in", "cpr-nummer", "helbredsoplysninger"),
        note="Login terms only in the footer; data categories in a table."),
    Doc(f"{NFS}/Tillæg 2023.zip", "zip", status="container", note="Zip with two members, listed below.",
        content=(
        Doc("Tillæg 1 - MitID.pdf", "pdf", NFS_ZIP_ADDENDUM, tu_evidence=True,
            system="NetForvaltning Sundhed", keywords=("nemid", "mitid", "nemlog-in"),
            note="Zip member (PDF): NemID → MitID, NemLog-in3."),
        Doc("Bilag A - Servicebeskrivelse.docx", "docx", NFS_ZIP_ANNEX, tu_evidence=True,
            system="NetForvaltning Sundhed", keywords=("mitid", "nemlog-in"),
            note="Zip member (DOCX): 'MitID-login' inside a table."),
    )),
    # --- shared: Aula ---
    Doc(f"{AULA}/Kontrakt Aula.pdf", "pdf", AULA_CONTRACT, tu_evidence=True, system="Aula",
        keywords=("nemid", "mitid", "nemlog-in"),
        note="Shared TU-solution on KL's Bilag 3; 'Nem ID / MitID via Nemlogin'."),
    Doc(f"{AULA}/Databehandleraftale Aula.pdf", "pdf", AULA_DPA, tu_evidence=True, system="Aula",
        keywords=("mitid",), note="Original of the duplicate in Databehandleraftaler/."),
    Doc("Databehandleraftaler/Databehandleraftale Aula.pdf", "duplicate", f"{AULA}/Databehandleraftale Aula.pdf",
        tu_evidence=True, system="Aula", keywords=("mitid",),
        note="Byte-identical copy of KOMBIT/Aula/Databehandleraftale Aula.pdf filed in another folder."),
    Doc(f"{AULA}/Bilag 4 Servicemål.pdf", "empty", "", status="error", folder_system="Aula",
        note="Empty file (0 bytes): not a valid PDF."),
    # --- shared: Tabulex ---
    Doc(f"{TAB}/Kontrakt Tabulex.docx", "docx", TABULEX_CONTRACT, tu_evidence=True, system="Tabulex",
        keywords=("nemid", "mitid"),
        note="'Nem'+'-ID' split across two formatting runs, 'NemID' in the footer and a table."),
    Doc(f"{TAB}/Tillæg 2 Tabulex.pdf", "corrupt_pdf", TABULEX_ADDENDUM, status="error", folder_system="Tabulex",
        note="Corrupt PDF: a valid PDF truncated after its first 400 bytes."),
    # --- common public: FMK (also on KL's Bilag 3 — common public wins) ---
    Doc(f"{FMK}/Tilslutningsaftale FMK.pdf", "pdf", FMK_CONNECTION, tu_evidence=True, system="FMK",
        keywords=("medarbejdersignatur", "mitid erhverv"),
        note="Employees reach FMK with 'medarbejdersignaturen'; 'medarbejder-⏎signatur' split by hyphenation."),
    Doc(f"{FMK}/Brugeradministration FMK.txt", "txt", FMK_ADMIN, tu_evidence=True, system="FMK",
        keywords=("nemid", "medarbejdersignatur", "erhvervssignatur", "mitid erhverv"),
        note="'NEMID medarbejdersignatur', 'erhvervssignatur'."),
    # --- common public: Virk.dk ---
    Doc(f"{VIRK}/Vilkår for Virk.dk.pdf", "pdf", VIRK_TERMS, tu_evidence=True, system="Virk.dk",
        keywords=("mitid erhverv", "nemlog-in"), note="Employees log in with MitID Erhverv via NemLog-in."),
    Doc(f"{VIRK}/Aftale om medarbejdersignatur (scannet).pdf", "image_pdf", SCANNED_TEXT, tu_evidence=True,
        system="Virk.dk", keywords=("medarbejdersignatur", "nemid"), ocr=True, folder_system="Virk.dk",
        note="Scanned: one page that is only an image of 'Aftale om medarbejdersignatur ... (NemID)'. "
             "With tesseract it is read by OCR; without it the file is no_text (see without_ocr)."),
    # --- not TU: Fenix Økonomi (ERP with Windows login) ---
    Doc(f"{FENIX}/Kontrakt Fenix Økonomi.pdf", "pdf", FENIX_CONTRACT, system="Fenix Økonomi",
        traps=("windows-login", "nemhandel", "nemkonto", "penneo"),
        note="ERP with Windows login; NemHandel and NemKonto are not logins; Penneo signature block "
             "'Underskrevet med NemID via Penneo' with a 'PID:' serial number says how the contract was signed."),
    Doc(f"{FENIX}/Bilag 3 Brugerstyring.docx", "docx", FENIX_USERS, system="Fenix Økonomi",
        traps=("windows-login",), note="Windows login only."),
    Doc(f"{FENIX}/Kontrakt Fenix 2009.doc", "legacy_doc", ERP_2009_NOTE, status="error",
        folder_system="Fenix Økonomi",
        note="Legacy Word 97-2003 file that is damaged: an OLE2 header plus filler bytes, no readable streams."),
    # --- not TU: Bilagsservice Fakturascanning (only NemHandel / NemKonto) ---
    Doc(f"{BILAG}/Aftale Fakturascanning.txt", "txt", BILAGSSERVICE_CONTRACT, system="Bilagsservice Fakturascanning",
        traps=("nemhandel", "nemkonto"), note="Mentions only NemHandel and NemKonto: no login."),
    # --- not TU: Tidspunkt Tidsregistrering ("medarbejderens signatur") ---
    Doc(f"{TID}/Kontrakt Tidspunkt.docx", "docx", TIDSPUNKT_CONTRACT, system="Tidspunkt Tidsregistrering",
        traps=("medarbejderens signatur", "windows-login"),
        note="'medarbejderens signatur' (in a table and a paragraph) is not medarbejdersignatur; Windows login."),
    # --- documents about no IT system ---
    Doc("Korsbæk Rengøring/Rengøringsaftale Rådhuset.pdf", "pdf", CLEANING_CONTRACT,
        traps=("medarbejderens signatur", "penneo"),
        note="Cleaning contract: no IT system. 'medarbejderens signatur' and a Penneo signature block."),
    Doc("Diverse/Oplysningspligt - behandling af personoplysninger.txt", "txt", GDPR_NOTICE,
        traps=("borger.dk",), note="GDPR notice: borger.dk appears only as where to read about complaints."),
)

SYSTEMS: tuple[System, ...] = (
    System("Korsbæk Selvbetjening", "Formularfabrikken", "own", "Lav",
           note="Commissioned by and used only by Korsbæk; citizens log in with MitID via NemLog-in; "
                "only ordinary personal data (navn, adresse, fødselsdato). Its eight forms are not systems."),
    System("Korsbæk Kolonihaver", "Nordlys Software", "own", "Lav", flags=("signing",),
           note="Used only by Korsbæk; citizen NemID/MitID login; lease contracts signed with OCES; "
                "ordinary personal data only."),
    System("Korsbæk Torvehandel", "Bytorvet IT", "own", "Lav", flags=("pid_rid",),
           note="Used only by Korsbæk; businesses log in with medarbejdersignatur/MitID Erhverv; RID and PID "
                "passed to the case system; only company name/address/contact."),
    System("Korsbæk Støttekontakt", "Omsorgsdata", "own", "Betydelig",
           note="Used only by Korsbæk; citizen MitID login; processes helbredsoplysninger and sociale forhold."),
    System("NetForvaltning Sundhed", "EG", "shared", None, matched_list="kl_shared_tu",
           matched_name="EG Netforvaltning Sundhed",
           note="Citizen NemID/MitID login; on KL's list of TU-solutions several municipalities use (Bilag 3)."),
    System("Aula", "KOMBIT", "shared", None, matched_list="kl_shared_tu", matched_name="Aula",
           note="Parents log in with NemID/MitID; on KL's Bilag 3."),
    System("Tabulex", "Tabulex ApS", "shared", None, matched_list="kl_shared_tu", matched_name="Tabulex",
           note="Parents log in with NemID; on KL's Bilag 3."),
    System("FMK", "Sundhedsdatastyrelsen", "common_public", None, matched_list="kl_common_public",
           matched_name="FMK - Fælles Medicinkort",
           note="Employees log in with medarbejdersignatur; owned by Sundhedsdatastyrelsen; on Delrapport 2 "
                "Bilag 1 and also on Delrapport 1 Bilag 3 — common public wins."),
    System("Virk.dk", "Erhvervsstyrelsen", "common_public", None, matched_list="kl_common_public",
           matched_name="Virk.dk",
           note="Employees log in with MitID Erhverv; on Delrapport 2 Bilag 1 and also on Delrapport 1 "
                "Bilag 3 (seed line ~2066) — common public wins."),
    System("Fenix Økonomi", "Fenix Systemer", "not_tu", None,
           note="ERP used with Windows login; NemHandel/NemKonto/Penneo are traps."),
    System("Bilagsservice Fakturascanning", "Bilagsservice", "not_tu", None,
           note="Invoice scanning; only NemHandel and NemKonto mentioned."),
    System("Tidspunkt Tidsregistrering", "Tidspunkt", "not_tu", None,
           note="Time registration with Windows login; 'medarbejderens signatur' is a trap."),
)


# --------------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------------


def _pdf_lines(text: str) -> list[list[str]]:
    """Split text into pages (form feed) of lines; lines longer than a PDF line are wrapped, other line
    breaks are kept as written (so a hyphenation split stays exactly where the text puts it)."""
    pages = []
    for page in text.split("\f"):
        lines: list[str] = []
        for raw in page.strip("\n").split("\n"):
            lines.extend(textwrap.wrap(raw, width=92, break_on_hyphens=False) or [""])
        pages.append(lines)
    return pages


def _new_canvas(buf: io.BytesIO, title: str):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle(title)
    c.setAuthor("Korsbæk Kommune")
    c.setCreator("tuscan examples/generate.py")
    return c, A4


def pdf_bytes(text: str, title: str) -> bytes:
    buf = io.BytesIO()
    c, (width, height) = _new_canvas(buf, title)
    margin, leading = 56, 14
    pages = _pdf_lines(text)
    for number, lines in enumerate(pages, start=1):
        y = height - margin
        c.setFont("Helvetica", 10)
        for line in lines:
            if y < margin + leading:
                c.showPage()
                c.setFont("Helvetica", 10)
                y = height - margin
            c.drawString(margin, y, line)
            y -= leading
        c.setFont("Helvetica", 8)
        c.drawString(margin, margin / 2, f"{title} - side {number} af {len(pages)}")
        c.showPage()
    c.save()
    return buf.getvalue()


def image_pdf_bytes(lines: tuple[str, ...], title: str) -> bytes:
    """A scanned page: the text exists only as pixels."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.utils import ImageReader

    image = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi
    draw = ImageDraw.Draw(image)
    heading, body = ImageFont.load_default(size=48), ImageFont.load_default(size=34)
    y = 180
    for index, line in enumerate(lines):
        draw.text((120, y), line, fill=0, font=heading if index == 0 else body)
        y += 110 if index == 0 else 60
    buf = io.BytesIO()
    c, (width, height) = _new_canvas(buf, title)
    c.drawImage(ImageReader(image), 0, 0, width=width, height=height)
    c.showPage()
    c.save()
    return buf.getvalue()


def encrypted_pdf_bytes(text: str, title: str) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(text, title))))
    fixed_id = ByteStringObject(b"korsbaek-example")

    def fixed_identifiers() -> None:
        # pypdf draws random file identifiers; a fixed one keeps the output reproducible.
        writer._ID = ArrayObject((fixed_id, fixed_id))

    writer.generate_file_identifiers = fixed_identifiers  # type: ignore[method-assign]
    writer.encrypt(user_password="korsbaek-2023", owner_password="korsbaek-owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def corrupt_pdf_bytes(text: str, title: str) -> bytes:
    return pdf_bytes(text, title)[:400]


def legacy_doc_bytes(text: str) -> bytes:
    """An OLE2 compound file header (Word 97-2003) followed by filler: detectable, not parseable."""
    magic = bytes.fromhex("D0CF11E0A1B11AE1")
    return magic + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff\x09\x00" + text.encode("cp1252").ljust(480, b"\x00")


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip container with fixed timestamps and order, so it is byte-reproducible."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def docx_bytes(content: Docx, title: str) -> bytes:
    import docx

    document = docx.Document()
    props = document.core_properties
    props.title, props.author, props.last_modified_by = title, "Korsbæk Kommune", "Korsbæk Kommune"
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    section = document.sections[0]
    if content.header:
        section.header.paragraphs[0].text = content.header
    if content.footer:
        section.footer.paragraphs[0].text = content.footer
    for kind, value in content.blocks:
        if kind == "h":
            document.add_heading(value, level=1)
        elif kind == "p":
            document.add_paragraph(value)
        elif kind == "runs":
            paragraph = document.add_paragraph()
            for text, bold in value:
                paragraph.add_run(text).bold = bold
        elif kind == "table":
            table = document.add_table(rows=len(value), cols=len(value[0]))
            table.style = "Table Grid"
            for row, cells in zip(table.rows, value, strict=True):
                for cell, text in zip(row.cells, cells, strict=True):
                    cell.text = text
        else:
            raise ValueError(f"unknown docx block {kind!r}")
    buf = io.BytesIO()
    document.save(buf)
    return normalise_zip(buf.getvalue())


def _title(path: str) -> str:
    return Path(path).stem


def file_bytes(doc: Doc, built: dict[str, bytes]) -> bytes:
    title = doc.title or _title(doc.path)
    writers: dict[str, Callable[[], bytes]] = {
        "pdf": lambda: pdf_bytes(doc.content, title),
        "docx": lambda: docx_bytes(doc.content, title),
        "txt": lambda: doc.content.encode("utf-8"),
        "encrypted_pdf": lambda: encrypted_pdf_bytes(doc.content, title),
        "image_pdf": lambda: image_pdf_bytes(doc.content, title),
        "corrupt_pdf": lambda: corrupt_pdf_bytes(doc.content, title),
        "empty": lambda: b"",
        "legacy_doc": lambda: legacy_doc_bytes(doc.content),
        "duplicate": lambda: built[doc.content],
        "zip": lambda: zip_bytes(doc.content),
    }
    return writers[doc.kind]()


def zip_bytes(members: tuple[Doc, ...]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for member in members:
            info = zipfile.ZipInfo(member.path, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, file_bytes(member, {}))
    return out.getvalue()


def write_documents(out: Path, documents, file_bytes: Callable) -> list[Path]:
    """Write `documents` under `out` (emptied first) with `file_bytes(doc, built)`, where `built`
    holds the bytes written so far by path (for copies); return the files written. Shared by the
    generators of examples/esdh and examples/flat."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    built: dict[str, bytes] = {}
    written = []
    for doc in documents:
        data = file_bytes(doc, built)
        if data is None:               # written inside another document (an e-mail's attachment)
            continue
        built[doc.path] = data
        target = out / doc.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    return written


def generate(out: Path) -> list[Path]:
    """Write the archive to `out` (emptied first); return the files written."""
    return write_documents(out, DOCUMENTS, file_bytes)


def expected_cli(doc: str, what: str, generate_fn: Callable[[Path], list[Path]],
                 build_expected: Callable[[], dict], expected_file: Path, argv: list[str] | None = None) -> int:
    """The command line of the examples/esdh and examples/flat generators: --out DIR writes the
    archive, --expected rewrites its expected.json."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--out", type=Path, help=f"write the {what} to this folder (emptied first)")
    parser.add_argument("--expected", action="store_true", help=f"rewrite {expected_file.name}")
    args = parser.parse_args(argv)
    if not args.out and not args.expected:
        parser.error("give --out DIR and/or --expected")
    if args.out:
        written = generate_fn(args.out)
        print(f"wrote {len(written)} files to {args.out}")
    if args.expected:
        expected_file.write_text(json.dumps(build_expected(), ensure_ascii=False, indent=2) + "\n",
                                 encoding="utf-8")
        print(f"wrote {expected_file}")
    return 0


# --------------------------------------------------------------------------------------------------
# expected.json
# --------------------------------------------------------------------------------------------------


def _document_entry(doc: Doc, path: str) -> dict:
    entry = {
        "path": path,
        "status": doc.status,
        "tu_evidence": doc.tu_evidence,
        "system": doc.system,
        "keywords": list(doc.keywords),
        "note": doc.note,
    }
    if doc.traps:
        entry["traps"] = list(doc.traps)
    if doc.folder_system:
        entry["folder_system"] = doc.folder_system
    if doc.kind == "duplicate":
        entry["duplicate_of"] = doc.content
    if doc.ocr:
        entry["ocr"] = True
        entry["without_ocr"] = {"status": "no_text", "tu_evidence": False, "system": None, "keywords": []}
    return entry


def build_expected() -> dict:
    documents = []
    for doc in DOCUMENTS:
        if doc.kind == "zip":
            documents.append(_document_entry(doc, doc.path))
            documents.extend(_document_entry(member, f"{doc.path}!{member.path}") for member in doc.content)
        else:
            documents.append(_document_entry(doc, doc.path))
    systems = [
        {
            "system": s.system,
            "vendor": s.vendor,
            "category": s.category,
            "suggested_level": s.suggested_level,
            "flags": list(s.flags),
            "matched_list": s.matched_list,
            "matched_name": s.matched_name,
            "note": s.note,
        }
        for s in SYSTEMS
    ]
    return {
        "about": "Expected findings for examples/archive (generated by examples/generate.py). Paths are "
                 "relative to examples/archive; zip members are 'archive.zip!member'. 'keywords' are the "
                 "canonical terms deliberately placed in a document (a minimum: a finder may report more, "
                 "never fewer); 'traps' are look-alikes that must not count as TU evidence; "
                 "'folder_system' is the system an unreadable file is filed under; the zip itself has "
                 "status 'container'; an 'ocr' document is read only by OCR and 'without_ocr' says what "
                 "to expect when tesseract is not installed.",
        "documents": documents,
        "systems": systems,
    }


def write_expected(path: Path) -> None:
    path.write_text(json.dumps(build_expected(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help=f"output folder (default {DEFAULT_OUT})")
    parser.add_argument("--expected", type=Path, default=None,
                        help="also write expected.json here (default: only when --out is not given)")
    args = parser.parse_args(argv)
    out = args.out or DEFAULT_OUT
    written = generate(out)
    expected = args.expected or (EXPECTED_FILE if args.out is None else None)
    if expected:
        write_expected(expected)
    size = sum(p.stat().st_size for p in written)
    print(f"wrote {len(written)} files ({size} bytes) to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
