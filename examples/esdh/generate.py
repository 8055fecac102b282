"""Generate an ESDH export of Korsbæk Kommune's contracts: case folders, document numbers, a register.

    python examples/esdh/generate.py --out DIR    # writes the export to DIR (emptied first)
    python examples/esdh/generate.py --expected   # rewrites examples/esdh/expected.json

This is how an archive looks when it comes out of an ESDH or contract-management system (Acadre,
SBSYS, WorkZone …) rather than a contract manager's folders: the export root is named after the ESDH
system and the date, every case is a folder "YYYY-NNNNNN Sagstitel", and its documents are called
"Dok NNNNNNN" or "Bilag N" — the file names say nothing about the system. Amendments and renewals are
new cases in later years; a framework agreement (rammeaftale) covers three solutions with one annex
each; journalised copies sit in a subfolder; a contract register exported to Excel lists the
contracts with title, vendor and system. The system a document is about must come from its text.

Output is byte-for-byte reproducible: the PDF and DOCX writers of examples/generate.py are reused
(reportlab `invariant=1`, fixed zip timestamps) and the XLSX is rewritten with fixed timestamps.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTED_FILE = HERE / "expected.json"
ROOT = "Acadre eksport 2024-02-29"


def _base():
    """examples/generate.py, for its deterministic PDF/DOCX writers."""
    name = "tuscan_example_base_generate"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE.parent / "generate.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up in sys.modules
        spec.loader.exec_module(module)
    return sys.modules[name]


base = _base()
Docx = base.Docx

PENNEO = (
    "Penneo dokumentnøgle: 3HX9Q-RT2KW-MM7CE-P0ZLA-81NVD-QY4TB\n"
    "Underskrifterne i dette dokument er juridisk bindende. Dokumentet er underskrevet via Penneo\n"
    "sikker digital underskrift.\n"
    "Mette Lund, direktør, Korsbæk Kommune - Underskrevet med NemID via Penneo\n"
    "Serienummer: PID:9208-2002-2-318844120573\n"
)


@dataclass(frozen=True)
class Doc:
    path: str                 # relative to the export folder, "/" separators
    kind: str                 # pdf, docx, xlsx, duplicate
    content: object
    tu_evidence: bool = False
    system: str | None = None
    note: str = ""
    optional_system: str | None = None   # a not-TU system the document may be attributed to


@dataclass(frozen=True)
class System:
    name: str
    category: str
    vendor: str | None = None
    matched_list: str | None = None
    matched_name: str | None = None
    optional: bool = False    # not a TU-solution: may be absent from the inventory; if listed, not_tu
    note: str = ""


# --------------------------------------------------------------------------------------------------
# Texts
# --------------------------------------------------------------------------------------------------

PLADS_CONTRACT = """AFTALE
om levering af KMD Digital Pladsanvisning

mellem

Korsbæk Kommune
Torvet 1, 4190 Korsbæk
CVR-nr. 29188505
(herefter "Kunden")

og

KMD A/S
Lautrupparken 40-42, 2750 Ballerup
CVR-nr. 26911745
(herefter "Leverandøren")

1. Aftalens genstand
Leverandøren leverer, installerer og drifter KMD Digital Pladsanvisning til Kundens dagtilbud,
skolefritidsordninger og klubber. Løsningen erstatter Kundens papirblanketter til opskrivning.

2. Selvbetjening for forældre
Forældre skriver deres barn op, ændrer ønsker og opsiger pladsen i selvbetjeningen. Forældrene logger
ind med NemID via NemLog-in; når NemID udfases, skifter login til MitID uden merpris for Kunden.
Pladsanvisningens medarbejdere arbejder i sagsbehandlerklienten med kommunens fælles brugerstyring.

3. Personoplysninger
Løsningen behandler barnets og forældrenes navn, adresse og CPR-nummer samt oplysninger om særlige
behov, der kan omfatte helbredsoplysninger. Databehandleraftalen er bilag 3.

4. Pris og betaling
Betaling sker kvartalsvis forud mod faktura via NemHandel.
\f
5. Underskrifter
For Kunden                                For Leverandøren
Korsbæk, den 12. juni 2017                Ballerup, den 14. juni 2017

""" + PENNEO

PLADS_DPA = Docx((
    ("h", "Bilag 3 – Databehandleraftale"),
    ("p", "til aftale om KMD Digital Pladsanvisning indgået mellem Korsbæk Kommune (den dataansvarlige) "
          "og KMD A/S (databehandleren)."),
    ("p", "Databehandleren behandler på vegne af den dataansvarlige oplysninger om børn og forældre: navn, "
          "adresse, CPR-nummer og oplysninger om særlige behov."),
    ("table", [["Kategori", "Eksempler"], ["Almindelige oplysninger", "Navn, adresse, telefon"],
               ["Fortrolige oplysninger", "CPR-nummer"], ["Følsomme oplysninger", "Helbredsoplysninger"]]),
    ("p", "Underbehandlere fremgår af appendiks B."),
), footer="KMD A/S – Databehandleraftale version 2.1")

PLADS_ADDENDUM = """Tillæg nr. 3
til kontrakt af 12. juni 2017 om digital pladsanvisning

Parterne: Korsbæk Kommune og KMD A/S

1. Baggrund
NemID til borgere udfases. Dette tillæg fastlægger overgangen til MitID i forældrenes selvbetjening.

2. Ændring
Fra 1. november 2021 logger forældre ind med MitID via NemLog-in3 i stedet for NemID. Kunden skal
ikke indgå ny tjenesteudbyderaftale, da Leverandøren er tilsluttet NemLog-in som tjenesteudbyder.

3. Øvrige vilkår
Kontraktens øvrige bestemmelser er uændrede.

Korsbæk, den 3. september 2021
"""

NEXUS_CONTRACT = """KONTRAKT
vedrørende KMD Nexus

indgået mellem Korsbæk Kommune, Torvet 1, 4190 Korsbæk og KMD A/S, Lautrupparken 40-42, 2750 Ballerup

§ 1 Kontraktens omfang
Kontrakten omfatter KMD Nexus til Sundhed og Omsorg: hjemmepleje, sygepleje, træning og visitation.
Nexus integrerer til FMK - Fælles Medicinkort, så medicinlisten altid er opdateret, og til
Digital Post.

§ 2 Brugere
Kommunens medarbejdere logger på Nexus med kommunens AD. Borgere og pårørende logger på Nexus
Borgerportal med MitID og kan se aftaler om besøg og træning.

§ 3 Data
Systemet behandler helbredsoplysninger og oplysninger om sociale forhold.
"""

NEXUS_SOLUTION = """Bilag 2 - Løsningsbeskrivelse

Løsningen består af en sagsbehandlerklient, en mobil app til medarbejdere i hjemmeplejen og en
borgerportal. Klienten afvikles i Leverandørens driftscenter. Opdateringer leveres fire gange årligt.
Servicemål og svartider fremgår af bilag 5.
"""

AULA_CONTRACT = """TILSLUTNINGSAFTALE
vedrørende Aula

mellem
KOMBIT A/S, Halfdansgade 8, 2300 København S
og
Korsbæk Kommune

1. Formål
Aula er den fælles kommunikationsplatform for folkeskolen og dagtilbud. Kommunen tilslutter sig
Aula på de vilkår, KOMBIT har aftalt med leverandøren Netcompany.

2. Adgang
Forældre logger på Aula med MitID. Elever og medarbejdere logger på med UNI-login.

3. Økonomi
Kommunen betaler sin andel efter KL's fordelingsnøgle.
"""

FMK_CONTRACT = """Tilslutningsaftale om anvendelse af Det Fælles Medicinkort (FMK)

mellem Sundhedsdatastyrelsen, Ørestads Boulevard 5, 2300 København S, og Korsbæk Kommune

Kommunen får adgang til FMK for medarbejdere i hjemmeplejen, på plejecentrene og i
sygeplejen. Medarbejderne tilgår FMK med medarbejdersignatur; fra 2023 med MitID Erhverv.
Kommunen sikrer, at kun medarbejdere med et arbejdsbetinget behov får adgang.
"""

JOBNET_TERMS = Docx((
    ("h", "Vilkår for jobcentrenes brug af Jobnet.dk"),
    ("p", "Aftalen er indgået mellem Styrelsen for Arbejdsmarked og Rekruttering (STAR) og Korsbæk "
          "Kommune, Jobcenter Korsbæk."),
    ("p", "Medarbejdere i jobcentret logger på Jobnet.dk med MitID Erhverv og kan se borgerens CV, "
          "joblog og aftaler."),
    ("p", "STAR stiller Jobnet.dk til rådighed uden betaling for kommunen."),
))

FIRSTAGENDA_CONTRACT = """AGREEMENT
for the supply of FirstAgenda Prepare

between Korsbæk Kommune, Torvet 1, 4190 Korsbæk ("the Customer")
and FirstAgenda ApS, Kystvejen 29, 8000 Aarhus C ("the Supplier")

1. Scope
The Supplier provides FirstAgenda Prepare, the meeting and agenda platform, for the city council,
its committees and the municipality's management.

2. Access
Members of the city council and employees log in to FirstAgenda Prepare with MitID Erhverv through
NemLog-in. Agendas are published to citizens without login.

3. Term
The agreement runs from 1 March 2022 for four years.
"""

KULTURPAS_SPEC = """Kravspecifikation for Kulturpas Korsbæk

Udbud af digital selvbetjening for unge mellem 15 og 25 år

1. Baggrund
Korsbæk Kommune ønsker en løsning, hvor unge kan få et gratis kulturpas og booke billetter til
kommunens kulturtilbud.

2. Krav til login
K-12: Borgeren skal kunne logge ind med MitID via NemLog-in. (Mindstekrav)
K-13: Løsningen må kun vise den unges egne bookinger.

3. Data
Løsningen må kun behandle navn, adresse og fødselsdato.
"""

KULTURPAS_CONTRACT = """Udviklingsaftale vedrørende Kulturpas Korsbæk

mellem Korsbæk Kommune og Webhuset Bryggen ApS, Havnegade 4, 4190 Korsbæk

1. Leverancen
Leverandøren udvikler og drifter Kulturpas Korsbæk efter kravspecifikationen (bilag 1).

2. Login
Unge logger ind med MitID via NemLog-in. Leverandøren står for integrationen til NemLog-in3.

3. Personoplysninger
Kun navn, adresse og fødselsdato.
"""

FRAMEWORK = """RAMMEAFTALE
om udvikling og drift af digitale selvbetjeningsløsninger

mellem Korsbæk Kommune og Digitalværkstedet A/S, Vestergade 12, 4190 Korsbæk

1. Rammeaftalens indhold
Under rammeaftalen indgås delaftaler om de enkelte løsninger. Løsninger for borgere skal
understøtte login med MitID via NemLog-in. Ved indgåelsen omfatter rammeaftalen:
Bilag 1 Korsbæk Beboerparkering
Bilag 2 Korsbæk Storskrald
Bilag 3 Korsbæk Intranet
Øvrige krav til den enkelte løsning fremgår af bilaget for løsningen.

2. Varighed
Rammeaftalen løber i fire år fra underskrift. Kunden kan forlænge rammeaftalen to gange med et år
ad gangen. Forlængelse varsles skriftligt senest tre måneder før udløb.

3. Priser
Priserne for udvikling, drift og support fremgår af delaftalerne. Timepriser reguleres hvert år
den 1. januar med nettoprisindekset.

""" + PENNEO

FRAMEWORK_PARKING = """Bilag 1 til rammeaftale
Delaftale om Korsbæk Beboerparkering

Borgere i zone A og B ansøger om beboerlicens i selvbetjeningen. Borgeren logger ind med MitID via
NemLog-in, og licensen knyttes til bilens nummerplade.
Løsningen behandler navn, adresse og nummerplade.
"""

FRAMEWORK_BULKY = Docx((
    ("h", "Bilag 2 – Delaftale: Korsbæk Storskrald"),
    ("p", "Borgere bestiller afhentning af storskrald og haveaffald. Bestilling kræver login med MitID."),
    ("p", "Løsningen behandler navn og adresse."),
))

FRAMEWORK_INTRANET = """Bilag 3 til rammeaftale
Delaftale om Korsbæk Intranet

Intranettet er kun for kommunens medarbejdere. Medarbejdere logger på med deres Windows-login
(single sign-on med kommunens AD). Borgere og virksomheder har ingen adgang.
"""

ERP_CONTRACT = """Kontrakt om levering af Fokus Økonomi

mellem Korsbæk Kommune og Fokus Erhvervssystemer A/S, Industrivej 7, 7100 Vejle

1. Leverancen
Fokus Økonomi er kommunens økonomisystem: finans, kreditorer, debitorer og budget.

2. Brugere og adgang
Kommunens medarbejdere logger på med Windows-login (single sign-on via kommunens AD).
Udbetalinger til borgere og virksomheder sker til modtagerens NemKonto. Elektroniske fakturaer
modtages via NemHandel.
"""

ERP_RENEWAL = """Forlængelse af kontrakt om Fokus Økonomi

Korsbæk Kommune og Fokus Erhvervssystemer A/S forlænger kontrakten af 2. marts 2015 til og med
31. december 2024 på uændrede vilkår. Prisen reguleres med nettoprisindekset.

Korsbæk, den 20. november 2019
"""

CLEANING = """Aftale om rengøring af Korsbæk Rådhus og Borgerservice

mellem Korsbæk Kommune og Glans Facility ApS

1. Ydelsen
Daglig rengøring af kontorer, mødelokaler og borgerservice efter rengøringsplanen i bilag 1.

2. Kvalitet
Udført arbejde kvitteres med medarbejderens signatur på arbejdssedlen.

3. Betaling
Betaling sker månedligt til leverandørens NemKonto.

""" + PENNEO

REGISTER_HEADER = ["Kontrakt-ID", "Titel", "Leverandør", "System", "Status", "Start", "Slut"]
REGISTER_ROWS = [
    ["K-2015-007", "Kontrakt om levering af Fokus Økonomi", "Fokus Erhvervssystemer A/S", "Fokus Økonomi",
     "Aktiv", dt.date(2015, 3, 2), dt.date(2024, 12, 31)],
    ["K-2016-021", "Tilslutningsaftale FMK", "Sundhedsdatastyrelsen", "FMK", "Aktiv", dt.date(2016, 5, 1), None],
    ["K-2017-014", "Aftale om levering af KMD Digital Pladsanvisning", "KMD A/S", "KMD Digital Pladsanvisning",
     "Aktiv", dt.date(2017, 6, 14), dt.date(2025, 6, 13)],
    ["K-2018-033", "Tilslutningsaftale Aula", "KOMBIT A/S", "Aula", "Aktiv", dt.date(2018, 8, 1), None],
    ["K-2018-040", "Kontrakt Tabulex", "Tabulex ApS", "Tabulex", "Udløbet", dt.date(2012, 1, 1),
     dt.date(2019, 7, 31)],
    ["K-2019-002", "Kontrakt vedrørende KMD Nexus", "KMD A/S", "KMD Nexus", "Aktiv", dt.date(2019, 1, 1),
     dt.date(2026, 12, 31)],
    ["K-2020-011", "Jobnet.dk vilkår", "STAR", "Jobnet.dk", "Aktiv", dt.date(2020, 2, 1), None],
    ["K-2021-003", "Udviklingsaftale Kulturpas", "Webhuset Bryggen ApS", "Kulturpas Korsbæk", "Aktiv",
     dt.date(2021, 1, 15), dt.date(2025, 1, 14)],
    ["K-2022-019", "FirstAgenda Prepare", "FirstAgenda ApS", "FirstAgenda", "Aktiv", dt.date(2022, 3, 1),
     dt.date(2026, 2, 28)],
    ["K-2022-027", "Rengøring rådhuset", "Glans Facility ApS", "", "Aktiv", dt.date(2022, 9, 1),
     dt.date(2024, 8, 31)],
    ["K-2023-004", "Rammeaftale selvbetjeningsløsninger", "Digitalværkstedet A/S", "", "Aktiv",
     dt.date(2023, 2, 1), dt.date(2027, 1, 31)],
    ["K-2023-004-1", "Delaftale Beboerparkering", "Digitalværkstedet A/S", "Korsbæk Beboerparkering", "Aktiv",
     dt.date(2023, 2, 1), dt.date(2027, 1, 31)],
    ["K-2023-004-2", "Delaftale Storskrald", "Digitalværkstedet A/S", "Korsbæk Storskrald", "Aktiv",
     dt.date(2023, 4, 1), dt.date(2027, 1, 31)],
    ["K-2023-004-3", "Delaftale Intranet", "Digitalværkstedet A/S", "Korsbæk Intranet", "Aktiv",
     dt.date(2023, 6, 1), dt.date(2027, 1, 31)],
]

# --------------------------------------------------------------------------------------------------
# The export
# --------------------------------------------------------------------------------------------------

PLADS = "KMD Digital Pladsanvisning"
NEXUS = "KMD Nexus"
KULTUR = "Kulturpas Korsbæk"
PARK, BULKY, INTRA = "Korsbæk Beboerparkering", "Korsbæk Storskrald", "Korsbæk Intranet"
ERP = "Fokus Økonomi"

C_PLADS = f"{ROOT}/2017-118203 Aftale - digital pladsanvisning"
C_PLADS_ADD = f"{ROOT}/2021-044871 Tillæg - pladsanvisning"
C_NEXUS = f"{ROOT}/2019-004512 Kontrakt - omsorgssystem"
C_AULA = f"{ROOT}/2018-071190 Tilslutning - Aula"
C_FMK = f"{ROOT}/2016-090017 Tilslutning - medicinkort"
C_JOBNET = f"{ROOT}/2020-013377 Jobcenter - vilkår"
C_FA = f"{ROOT}/2022-051234 Kontrakt - dagsordenssystem"
C_SPEC = f"{ROOT}/2020-031977 Udbud - kulturpas"
C_KULTUR = f"{ROOT}/2021-002214 Kontrakt - kulturpas"
C_FRAME = f"{ROOT}/2023-007781 Rammeaftale - selvbetjeningsløsninger"
C_ERP = f"{ROOT}/2015-220045 Kontrakt - økonomisystem"
C_ERP_RENEW = f"{ROOT}/2019-301122 Forlængelse - økonomisystem"
C_CLEAN = f"{ROOT}/2022-118877 Rengøring - rådhuset"

DOCUMENTS: tuple[Doc, ...] = (
    Doc(f"{C_PLADS}/Dok 1182031.pdf", "pdf", PLADS_CONTRACT, True, PLADS,
        "Title 'AFTALE / om levering af X', parties clause with KMD A/S; NemID/MitID via NemLog-in; Penneo block."),
    Doc(f"{C_PLADS}/Dok 1182044.docx", "docx", PLADS_DPA, False, PLADS,
        "Databehandleraftale: 'til aftale om X'; sensitive data, no login."),
    Doc(f"{C_PLADS}/Journaliserede kopier/Dok 1182031.pdf", "duplicate", f"{C_PLADS}/Dok 1182031.pdf", True, PLADS,
        "Journalised copy (same bytes): the subfolder is not a system."),
    Doc(f"{C_PLADS_ADD}/Dok 4448710.pdf", "pdf", PLADS_ADDENDUM, True, PLADS,
        "Amendment four years later in another case: 'Tillæg nr. 3 til kontrakt … om digital pladsanvisning'."),
    Doc(f"{C_NEXUS}/Dok 0045120.pdf", "pdf", NEXUS_CONTRACT, True, NEXUS,
        "'KONTRAKT / vedrørende KMD Nexus'; mentions FMK and Digital Post (integrations, not the system)."),
    Doc(f"{C_NEXUS}/Bilag 2.pdf", "pdf", NEXUS_SOLUTION, False, NEXUS,
        "Annex without title or system name: belongs to its case's contract."),
    Doc(f"{C_AULA}/Dok 0711901.pdf", "pdf", AULA_CONTRACT, True, "Aula",
        "Parties in the other order (KOMBIT A/S first); parents log in with MitID."),
    Doc(f"{C_FMK}/Dok 0900172.pdf", "pdf", FMK_CONTRACT, True, "FMK",
        "Common public: owner Sundhedsdatastyrelsen is a party, not the system; medarbejdersignatur/MitID Erhverv."),
    Doc(f"{C_JOBNET}/Dok 0133770.docx", "docx", JOBNET_TERMS, True, "Jobnet.dk",
        "Common public (STAR); 'Vilkår for jobcentrenes brug af Jobnet.dk'; MitID Erhverv."),
    Doc(f"{C_FA}/Dok 0512340.pdf", "pdf", FIRSTAGENDA_CONTRACT, True, "FirstAgenda",
        "English title 'Agreement for the supply of X', 'between … and FirstAgenda ApS'; MitID Erhverv."),
    Doc(f"{C_SPEC}/Dok 0319770.pdf", "pdf", KULTURPAS_SPEC, True, KULTUR,
        "Requirements specification of the same solution as the development agreement two years later."),
    Doc(f"{C_KULTUR}/Dok 0022140.pdf", "pdf", KULTURPAS_CONTRACT, True, KULTUR,
        "'Udviklingsaftale vedrørende X'; own solution with MitID via NemLog-in."),
    Doc(f"{C_FRAME}/Dok 0077810.pdf", "pdf", FRAMEWORK, True, None,
        "Framework agreement naming three solutions; a general MitID requirement, but it is about no one "
        "system: its evidence belongs to none."),
    Doc(f"{C_FRAME}/Bilag 1.pdf", "pdf", FRAMEWORK_PARKING, True, PARK,
        "Framework annex 1: its own system with its own MitID evidence."),
    Doc(f"{C_FRAME}/Bilag 2.docx", "docx", FRAMEWORK_BULKY, True, BULKY,
        "Framework annex 2: 'Delaftale: X' heading; MitID."),
    Doc(f"{C_FRAME}/Bilag 3.pdf", "pdf", FRAMEWORK_INTRANET, False, None,
        "Framework annex 3: intranet with Windows login, not TU (may be listed as not_tu).", INTRA),
    Doc(f"{C_ERP}/Dok 2200451.pdf", "pdf", ERP_CONTRACT, False, None,
        "ERP with Windows login; NemKonto and NemHandel are traps (may be listed as not_tu).", ERP),
    Doc(f"{C_ERP_RENEW}/Dok 3011220.pdf", "pdf", ERP_RENEWAL, False, None,
        "Renewal of the ERP contract in a later case.", ERP),
    Doc(f"{C_CLEAN}/Dok 1188770.pdf", "pdf", CLEANING, False, None,
        "Cleaning contract: medarbejderens signatur, NemKonto, Penneo block; no IT system."),
    Doc(f"{ROOT}/Kontraktregister.xlsx", "xlsx", (REGISTER_HEADER, REGISTER_ROWS), False, None,
        "Contract register: a source of names and vendors, never a system itself."),
)

SYSTEMS: tuple[System, ...] = (
    System(PLADS, "shared", "KMD A/S", "kl_shared_tu", "KMD Digital Pladsanvisning",
           note="Two cases four years apart; the amendment writes 'digital pladsanvisning'."),
    System(NEXUS, "shared", "KMD A/S", "kl_shared_tu", "KMD Nexus",
           note="A second KMD product: stays apart from KMD Digital Pladsanvisning."),
    System("Aula", "shared", "KOMBIT A/S", "kl_shared_tu", "Aula"),
    System("FMK", "common_public", "Sundhedsdatastyrelsen", "kl_common_public", "FMK - Fælles Medicinkort"),
    System("Jobnet.dk", "common_public", None, "kl_common_public", "Jobnet.dk",
           note="Owner STAR named in the text; vendor not tested."),
    System("FirstAgenda", "shared", "FirstAgenda ApS", "kl_shared_tu", "FirstAgenda",
           note="The contract names the product 'FirstAgenda Prepare'."),
    System(KULTUR, "own", "Webhuset Bryggen ApS", note="Requirements specification and development agreement."),
    System(PARK, "own", "Digitalværkstedet A/S", note="Framework annex 1."),
    System(BULKY, "own", "Digitalværkstedet A/S", note="Framework annex 2; vendor only from the framework/register."),
    System(INTRA, "not_tu", None, optional=True, note="Framework annex 3: Windows login."),
    System(ERP, "not_tu", None, optional=True, note="ERP with Windows login; NemKonto trap."),
)


def xlsx_bytes(header: list, rows: list) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Kontrakter"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.properties.creator = "Acadre"
    book.properties.created = book.properties.modified = base.FIXED_TIME
    buf = io.BytesIO()
    book.save(buf)
    # openpyxl stamps the save time into docProps/core.xml: fix it, then fix the zip timestamps.
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    fixed = io.BytesIO()
    with zipfile.ZipFile(fixed, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-02-29T12:00:00Z", data)
            dst.writestr(info.filename, data)
    return base.normalise_zip(fixed.getvalue())


def file_bytes(doc: Doc, built: dict[str, bytes]) -> bytes:
    title = Path(doc.path).stem
    if doc.kind == "pdf":
        return base.pdf_bytes(doc.content, title)
    if doc.kind == "docx":
        return base.docx_bytes(doc.content, title)
    if doc.kind == "xlsx":
        return xlsx_bytes(*doc.content)
    if doc.kind == "duplicate":
        return built[doc.content]
    raise ValueError(f"unknown kind {doc.kind!r}")


def generate(out: Path) -> list[Path]:
    """Write the export to `out` (emptied first); return the files written."""
    return base.write_documents(out, DOCUMENTS, file_bytes)


def build_expected() -> dict:
    return {
        "about": "Expected findings for the ESDH export written by examples/esdh/generate.py. Paths are "
                 "relative to the folder given by --out. A document's 'system' is the expected system "
                 "name or null; a system is found in the inventory by its name (compared normalised) or "
                 "by its matched list name. An 'optional' system is not a TU-solution: it may be absent "
                 "from the inventory, and if it is listed its category must be not_tu and its "
                 "documents ('optional_system') may name it.",
        "documents": [{"path": d.path, "status": "ok", "tu_evidence": d.tu_evidence, "system": d.system,
                       **({"optional_system": d.optional_system} if d.optional_system else {}),
                       "note": d.note} for d in DOCUMENTS],
        "systems": [{"system": s.name, "category": s.category, "vendor": s.vendor,
                     "matched_list": s.matched_list, "matched_name": s.matched_name,
                     "optional": s.optional, "note": s.note} for s in SYSTEMS],
    }


def main(argv: list[str] | None = None) -> int:
    return base.expected_cli(__doc__, "export", generate, build_expected, EXPECTED_FILE, argv)


if __name__ == "__main__":
    raise SystemExit(main())
