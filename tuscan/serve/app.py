"""The Starlette application of `tuscan serve`: routes, the per-request database, CSRF and headers.

Every page opens the inventory read-only for the length of the request and every form opens it for
writing for the length of one decision (`tuscan.db.reading` / `writing`), so `tuscan discover` can
run between requests. DuckDB lets one process write at a time: while another process holds the file,
pages answer with a Danish message saying who holds it, and a form is refused with the values that
were entered (nothing is dropped silently). Database work runs in a worker thread under one lock, so
two requests of this app never open the file at the same time with different modes.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import mimetypes
import re
import secrets
import shutil
import tempfile
import threading
from datetime import datetime
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qs, quote, unquote, urlencode

import jinja2
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from tuscan import db as database
from tuscan import reasons
from tuscan.decisions import record_checklist, record_decision, undo_decision
from tuscan.errors import DatabaseLocked, DatabaseMissing, InvalidValue, TuscanError, UnknownSystem
from tuscan.labels import (
    CATEGORY_LABELS,
    CATEGORY_ORDER,
    CATEGORY_SHEETS,
    CHECKLIST_STATUS_LABELS,
    DOCUMENT_STATUS_LABELS,
    FLAG_LABELS,
    RUN_KIND_LABELS,
    RUN_STATUS_LABELS,
    SOURCE_LABELS,
    category_label,
    checklist_status_label,
    evidence_kind_label,
    flag_label,
    level_label,
    list_label,
    source_label,
)
from tuscan.rules import BETYDELIG, CATEGORIES, CHECKLIST, CHECKLIST_STATUSES, LAV
from tuscan.serve import data

HERE = Path(__file__).resolve().parent
HTMX = "htmx-2.0.11.min.js"     # vendored from the npm package htmx.org 2.0.11 (0BSD licence)
WRITE_WAIT = 3.0                # seconds a form waits for another writer before it is refused
MAX_FORM_BYTES = 64_000
CSRF_COOKIE, SESSION_COOKIE, WHO_COOKIE = "tuscan_csrf", "tuscan_session", "tuscan_who"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
       " form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
REVIEW_WHY = {"unknown": "Uafklaret", "ambiguous": "Navnet ligner to listenavne", "low_score": "Lav matchscore",
              "weak_evidence": "Kun ét login-fund"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


# --- template helpers -------------------------------------------------------------------------------
def visible(text) -> str:
    """A name as text a person can trust: control and direction-changing characters shown as \\xNN
    (ripgrep/fd do the same), so a file name cannot hide or reorder what is displayed."""
    if text is None:
        return ""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}",
                        str(text))


def highlight(snippet, term) -> Markup:
    """The snippet escaped, with the keyword's occurrences in <mark> (matched case-insensitively)."""
    text = visible(snippet)
    if not term or term.startswith("http") or not text:
        return escape(text)
    # Spelled variously in the text ("Nem ID", "Nem-ID", "NEMID"): spaces and hyphens may sit anywhere.
    letters = [re.escape(ch) for ch in str(term) if not ch.isspace() and ch != "-"]
    if len(letters) < 3:
        return escape(text)
    pattern = re.compile(r"[\s\-]*".join(letters), re.IGNORECASE)
    out, last = [], 0
    for m in pattern.finditer(text):
        out += [escape(text[last:m.start()]), Markup("<mark>"), escape(m.group()), Markup("</mark>")]
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def when(value) -> str:
    if not value:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    return str(value)


def score(value) -> str:
    return "" if value is None else f"{value:.0f}"


def key_url(key: str) -> str:
    return quote(key, safe="")


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(visible=visible, highlight=highlight, when=when, score=score, key_url=key_url,
                       category=category_label, level=level_label, flag=flag_label, source=source_label,
                       kind=evidence_kind_label, listname=list_label, status=checklist_status_label)
    env.globals.update(
        CATEGORY_LABELS=CATEGORY_LABELS, CATEGORY_SHEETS=CATEGORY_SHEETS, CATEGORY_ORDER=CATEGORY_ORDER, CATEGORIES=CATEGORIES, LEVELS=(LAV, BETYDELIG),
        FLAG_LABELS=FLAG_LABELS, SOURCE_LABELS=SOURCE_LABELS, CHECKLIST=CHECKLIST,
        CHECKLIST_STATUSES=CHECKLIST_STATUSES, CHECKLIST_STATUS_LABELS=CHECKLIST_STATUS_LABELS,
        DOCUMENT_STATUS_LABELS=DOCUMENT_STATUS_LABELS, RUN_KIND_LABELS=RUN_KIND_LABELS,
        RUN_STATUS_LABELS=RUN_STATUS_LABELS, REVIEW_WHY=REVIEW_WHY, HTMX=HTMX, percent=percent,
        # Reasons and evidence are stored as codes (tuscan.reasons) and rendered in the page's language.
        reason=reasons.reason_text, evidence_detail=reasons.evidence_text, exclusion=reasons.exclusion_text,
        verification=reasons.verification_text)
    return env


# --- the app ----------------------------------------------------------------------------------------
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
LANG_COOKIE = "tuscan_lang"      # the language reasons are shown in: da (default) or en


class Tuscan:
    def __init__(self, db: str, password: str | None, hosts: frozenset[str] = LOOPBACK_NAMES):
        self.db = db
        self.password = password
        self.hosts = hosts
        self.key = secrets.token_bytes(32)            # signs session cookies; new on every start
        self.lock = threading.Lock()
        self.env = _environment()

    # database
    async def read(self, fn):
        def run():
            with self.lock, database.reading(self.db) as con:
                return fn(con)
        return await run_in_threadpool(run)

    async def write(self, fn):
        def run():
            if not Path(self.db).exists():      # a form must not create an empty inventory
                raise DatabaseMissing(f"{self.db} does not exist yet; run `tuscan discover` first")
            with self.lock, database.writing(self.db, wait=WRITE_WAIT, command="serve") as con:
                return fn(con)
        return await run_in_threadpool(run)

    # rendering
    def page(self, request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
        asked = request.query_params.get("lang")
        lang = asked if asked in reasons.LANGUAGES else request.cookies.get(LANG_COOKIE)
        lang = lang if lang in reasons.LANGUAGES else reasons.DA
        context.update(request=request, csrf=request.state.csrf, who=request.state.who, path=request.url.path,
                       db=self.db, password=bool(self.password), lang=lang)
        response = HTMLResponse(self.env.get_template(template).render(**context), status_code=status)
        if asked in reasons.LANGUAGES:      # ?lang=en sticks for the next pages too
            _cookie(response, LANG_COOKIE, asked, max_age=365 * 24 * 3600)
        return response

    def session_token(self) -> str:
        return hmac.new(self.key, b"session", hashlib.sha256).hexdigest()

    def signed_in(self, request: Request) -> bool:
        return not self.password or hmac.compare_digest(request.cookies.get(SESSION_COOKIE, ""), self.session_token())


def _cookie(response: Response, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="strict")


class Guard(BaseHTTPMiddleware):
    """CSRF cookie, sign-in (with an access secret), and the security headers on every response."""

    async def dispatch(self, request: Request, call_next):
        app: Tuscan = request.app.state.tuscan
        token = request.cookies.get(CSRF_COOKIE, "")
        fresh = not re.fullmatch(r"[0-9a-f]{64}", token)
        request.state.csrf = secrets.token_hex(32) if fresh else token
        request.state.who = unquote(request.cookies.get(WHO_COOKIE, "")) or getpass.getuser()
        open_paths = request.url.path == "/login" or request.url.path.startswith("/static/")
        host = (request.url.hostname or "").strip("[]").lower()
        origin = request.headers.get("origin")
        if not app.password and host not in app.hosts:
            # Without an access secret only loopback names are answered: a web page whose name an
            # attacker re-points at 127.0.0.1 (DNS rebinding) must not read the inventory.
            response = app.page(request, "message.html", 400, title="Ukendt adresse",
                                message="tuscan serve svarer kun på 127.0.0.1 og localhost.")
        elif request.method == "POST" and origin and origin != "null" and origin != f"{request.url.scheme}://{request.url.netloc}":
            response = app.page(request, "message.html", 403, title="Afvist",
                                message="Formularen kom fra en anden hjemmeside og blev afvist.")
        elif not open_paths and not app.signed_in(request):
            if request.method == "GET":
                response = RedirectResponse("/login?" + urlencode({"next": request.url.path}), status_code=303)
            else:
                response = app.page(request, "message.html", 401, title="Log ind først",
                                    message="Appen kræver adgangskoden. Log ind og send formularen igen.")
        else:
            response = await call_next(request)
        if fresh:
            _cookie(response, CSRF_COOKIE, request.state.csrf)
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers["X-Content-Type-Options"] = "nosniff"
        # same-origin, not no-referrer: with no-referrer Chrome sends "Origin: null" on our own forms.
        headers["Referrer-Policy"] = "same-origin"
        headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if headers.get("content-type", "").startswith("text/html"):
            headers["Cache-Control"] = "no-store"
        return response


async def read_form(request: Request) -> dict[str, str]:
    """The posted form (urlencoded), after checking its CSRF token against the cookie."""
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise HTTPException(413, "Formularen er for stor.")
    try:
        fields = {k: v[0] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()}
    except UnicodeDecodeError:
        raise HTTPException(400, "Formularen kunne ikke læses (ikke UTF-8).") from None
    request.state.form = fields
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = fields.get("csrf", "")
    if not cookie or not sent or not hmac.compare_digest(cookie, sent):
        raise HTTPException(403, "Formularen blev afvist: sikkerhedsnøglen (CSRF-token) mangler eller passer ikke. "
                               "Genindlæs siden og prøv igen.")
    return fields


def _who(fields: dict[str, str], request: Request) -> str:
    who = " ".join(fields.get("who", "").split())[:80]
    return who or request.state.who


def _remember_who(response: Response, who: str) -> Response:
    _cookie(response, WHO_COOKIE, quote(who, safe=""), max_age=365 * 24 * 3600)
    return response


def _back(target: str) -> str:
    """Only paths of this app as redirect targets (never another site)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


# --- pages ------------------------------------------------------------------------------------------
async def oversigt(request: Request):
    app: Tuscan = request.app.state.tuscan
    return app.page(request, "oversigt.html", o=await app.read(data.overview))


def _filters(request: Request) -> data.SystemFilter:
    q = request.query_params
    try:
        page = int(q.get("side", "1"))
    except ValueError:
        page = 1
    category = q.get("kategori", "")
    return data.SystemFilter(
        q=q.get("q", "").strip()[:200], category=category if category in CATEGORIES else "",
        level=q.get("niveau", "") if q.get("niveau", "") in ("Lav", "Betydelig", "none") else "",
        flag=q.get("flag", "") if q.get("flag", "") in FLAG_LABELS else "",
        source=q.get("kilde", "") if q.get("kilde", "") in SOURCE_LABELS else "",
        vendor=q.get("leverandoer", "")[:200], sort=q.get("sort", "kategori") if q.get("sort") in data.SORTS
        else "kategori", descending=q.get("retning") == "ned", page=page)


def _filter_url(f: data.SystemFilter, **change) -> str:
    values = {"q": f.q, "kategori": f.category, "niveau": f.level, "flag": f.flag, "kilde": f.source,
              "leverandoer": f.vendor, "sort": f.sort, "retning": "ned" if f.descending else "", "side": f.page}
    values.update(change)
    return "/systemer?" + urlencode({k: v for k, v in values.items() if v not in ("", None, 1)})


async def systemer(request: Request):
    app: Tuscan = request.app.state.tuscan
    f = _filters(request)
    result = await app.read(lambda con: data.system_page(con, f))

    def sort_url(key):
        return _filter_url(f, sort=key, retning="ned" if f.sort == key and not f.descending else "", side=1)

    return app.page(request, "systemer.html", r=result, f=f, sort_url=sort_url,
                    page_url=lambda n: _filter_url(f, side=n))


async def system(request: Request):
    app: Tuscan = request.app.state.tuscan
    key = request.path_params["key"]
    s = await app.read(lambda con: data.system_detail(con, key))
    if s is None:
        raise HTTPException(404, "Systemet findes ikke i inventaret (det kan være omdøbt ved en ny kørsel).")
    return app.page(request, "system.html", s=s, back=request.query_params.get("tilbage", ""))


async def beslut(request: Request):
    """Record a decision (the same library call as `tuscan decide`), then classify again."""
    from tuscan.steps import refresh_inventory

    app: Tuscan = request.app.state.tuscan
    fields = await read_form(request)
    key = request.path_params["key"]
    category, level, note = fields.get("category", ""), fields.get("level") or None, fields.get("note", "").strip()
    who = _who(fields, request)
    if category not in CATEGORIES:
        raise HTTPException(400, "Vælg en kategori.")

    def run(con):
        name = con.execute("SELECT system FROM systems WHERE system_key = ?", [key]).fetchone()
        if name is None:
            raise UnknownSystem(f"no system with key {key!r} in the inventory")
        message = record_decision(con, name[0], category, level=level, note=note or None, decided_by=who)
        refresh_inventory(con)
        return message

    await app.write(run)
    target = _back(fields.get("next", "") or f"/system/{key_url(key)}")
    return _remember_who(RedirectResponse(target, status_code=303), who)


async def fortryd(request: Request):
    from tuscan.steps import refresh_inventory

    app: Tuscan = request.app.state.tuscan
    fields = await read_form(request)
    try:
        decision_id = int(request.path_params["decision_id"])
    except ValueError:
        raise HTTPException(404, "Ingen sådan beslutning.") from None
    who = _who(fields, request)

    def run(con):
        message = undo_decision(con, decision_id, undone_by=who)
        refresh_inventory(con)
        return message

    await app.write(run)
    return _remember_who(RedirectResponse(_back(fields.get("next", "/gennemgang")), status_code=303), who)


async def gennemgang(request: Request):
    app: Tuscan = request.app.state.tuscan

    def run(con):
        queue = data.review_queue(con)
        orphans = data.orphaned_decisions(con)
        try:
            index = int(request.query_params.get("nr", "1"))
        except ValueError:
            index = 1
        index = min(max(1, index), max(1, len(queue)))
        current = data.system_detail(con, queue[index - 1]["system_key"]) if queue else None
        return queue, orphans, index, current

    queue, orphans, index, current = await app.read(run)
    item = queue[index - 1] if queue else None
    return app.page(request, "gennemgang.html", queue=queue, orphans=orphans, index=index, item=item, s=current)


async def tjekliste_oversigt(request: Request):
    app: Tuscan = request.app.state.tuscan
    return app.page(request, "tjekliste_oversigt.html", rows=await app.read(data.checklist_overview),
                    total_items=len(CHECKLIST))


async def tjekliste(request: Request):
    app: Tuscan = request.app.state.tuscan
    key = request.path_params["key"]
    s = await app.read(lambda con: data.checklist_detail(con, key))
    if s is None:
        raise HTTPException(404, "Systemet findes ikke i inventaret.")
    return app.page(request, "tjekliste.html", s=s)


async def tjekliste_punkt(request: Request):
    app: Tuscan = request.app.state.tuscan
    fields = await read_form(request)
    key = request.path_params["key"]
    item, status = fields.get("item", ""), fields.get("status", "")
    who = _who(fields, request)

    def run(con):
        name = con.execute("SELECT system FROM systems WHERE system_key = ?", [key]).fetchone()
        if name is None:
            raise UnknownSystem(f"no system with key {key!r} in the inventory")
        record_checklist(con, name[0], item, status, note=fields.get("note", "").strip()[:2000], set_by=who)
        return data.checklist_detail(con, key)

    s = await app.write(run)
    if request.headers.get("HX-Request") == "true":
        row = next(i for i in s["checklist"] if i["item"].key == item)
        response = app.page(request, "_tjekliste_punkt.html", s=s, row=row)
    else:
        response = RedirectResponse(f"/tjekliste/{key_url(key)}#punkt-{item}", status_code=303)
    return _remember_who(response, who)


async def leverandoerer(request: Request):
    app: Tuscan = request.app.state.tuscan
    return app.page(request, "leverandoerer.html", vendors=await app.read(data.vendors))


async def leverandoer_brev(request: Request):
    from tuscan.serve.letters import vendor_letter

    app: Tuscan = request.app.state.tuscan
    vendor = request.query_params.get("leverandoer", "")
    municipality = request.query_params.get("kommune", "").strip()[:100] or "Kommunen"
    if not vendor:
        raise HTTPException(400, "Vælg en leverandør.")
    solutions = await app.read(lambda con: data.vendor_solutions(con, vendor))
    body = vendor_letter(vendor, solutions, municipality)
    filename = "brev-" + re.sub(r"[^A-Za-z0-9æøåÆØÅ._-]+", "-", vendor).strip("-")[:60] + ".docx"
    return Response(body, media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})


async def eksport(request: Request):
    app: Tuscan = request.app.state.tuscan
    return app.page(request, "eksport.html", error=None)


async def eksport_fil(request: Request):
    """The existing outputs (tuscan.report, tuscan.share) written to a temporary file and sent."""
    app: Tuscan = request.app.state.tuscan
    kind = request.path_params["kind"]
    if kind not in ("rapport.html", "rapport.xlsx", "kl.parquet"):
        raise HTTPException(404, "Ingen sådan eksport.")
    folder = Path(tempfile.mkdtemp(prefix="tuscan-serve-"))
    try:
        return await _export(request, app, kind, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


async def _export(request: Request, app: Tuscan, kind: str, folder: Path) -> Response:
    from tuscan.report import write_report
    from tuscan.share import export_share

    if kind == "rapport.html":
        out = folder / "tuscan-rapport.html"
        await run_in_threadpool(lambda: _locked(app, lambda: write_report(app.db, html=out)))
        media = "text/html; charset=utf-8"
    elif kind == "rapport.xlsx":
        out = folder / "tuscan-rapport.xlsx"
        await run_in_threadpool(lambda: _locked(app, lambda: write_report(app.db, xlsx=out)))
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:   # kl.parquet
        out = folder / "tuscan-kl.parquet"
        municipality = request.query_params.get("kommune", "")
        code = request.query_params.get("kode", "")
        try:
            await run_in_threadpool(lambda: _locked(app, lambda: export_share(app.db, municipality, code, out)))
        except TuscanError as exc:
            if isinstance(exc, DatabaseLocked | DatabaseMissing):
                raise
            shutil.rmtree(folder, ignore_errors=True)
            return app.page(request, "eksport.html", 400, error=str(exc))
        media = "application/vnd.apache.parquet"
    # Downloaded, never shown in the app's origin (the report has scripts of its own); the temporary
    # folder goes once the file is sent.
    return FileResponse(out, media_type=media, filename=out.name, content_disposition_type="attachment",
                        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))


def _locked(app: Tuscan, fn):
    with app.lock:
        return fn()


def resolve_document(root: str, path: str) -> Path:
    """The file a `documents` row names, resolved inside its scanned root; PermissionError when the
    path leaves the root (`..`, an absolute path, a symbolic link pointing out), FileNotFoundError when
    it is gone."""
    if not root or not Path(root).is_absolute():
        raise PermissionError("the document's root is not a folder on this machine")
    parts = PurePosixPath(path).parts
    if (not parts or PurePosixPath(path).is_absolute() or any(p in ("..", ".", "") for p in parts)
            or "\\" in path or "\x00" in path):
        raise PermissionError("the stored path is not a plain path inside the root")
    base = Path(root).resolve(strict=True)
    target = (base / Path(*parts)).resolve(strict=True)
    if not target.is_relative_to(base):
        raise PermissionError("the path leads out of the scanned root")
    if not target.is_file():
        raise FileNotFoundError(path)
    return target


def read_zip_member(archive: Path, chain: list[str], sha256: str | None) -> bytes:
    """The bytes of a member of a zip file tuscan scanned (`a.zip!b.zip!c.pdf` → chain [b.zip, c.pdf]),
    read in memory with the zip reader's own limits; the result must hash to what tuscan stored.
    FileNotFoundError when the member is gone or is not what was scanned."""
    from extractors import Limits
    from extractors.base import ExtractorError
    from extractors.zip import member_label, open_zip, read_member

    limits = Limits()
    data = archive.read_bytes()
    try:
        for name in chain:
            zf = open_zip(data, "zip archive")
            info = next((i for i in zf.infolist() if not i.is_dir() and member_label(i) == name), None)
            if info is None:
                raise FileNotFoundError(name)
            data = read_member(zf, info, limits.max_file_bytes, limits.zip_max_ratio)
    except ExtractorError as exc:
        raise FileNotFoundError(str(exc)) from None
    if sha256 and hashlib.sha256(data).hexdigest() != sha256:
        raise FileNotFoundError("the member changed since it was scanned")
    return data


def _document_response(body: bytes | Path, name: str) -> Response:
    media = mimetypes.guess_type(name)[0] or "application/octet-stream"
    # PDFs and plain text open in the browser (a PDF at #page=N); everything else is downloaded, so
    # an HTML or SVG file from the archive never runs in the app's origin.
    inline = media == "application/pdf" or media.startswith("text/plain")
    if media.startswith("text/plain"):
        media = "text/plain; charset=utf-8"
    media = media if inline else "application/octet-stream"
    disposition = "inline" if inline else "attachment"
    if isinstance(body, Path):
        response = FileResponse(body, media_type=media, filename=name, content_disposition_type=disposition)
    else:
        response = Response(body, media_type=media, headers={
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(name, safe='')}"})
    # Nothing in a stored file may run as the app: no scripts, no framing; only the PDF viewer keeps
    # working (a CSP sandbox would block it).
    response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'" + (
        "" if media == "application/pdf" else "; sandbox")
    return response


async def dokument(request: Request):
    app: Tuscan = request.app.state.tuscan
    try:
        document_id = int(request.path_params["document_id"])
    except ValueError:
        raise HTTPException(404, "Intet sådant dokument.") from None
    row = await app.read(lambda con: con.execute(
        "SELECT root, path, container, origin, sha256 FROM documents WHERE document_id = ?", [document_id]).fetchone())
    if row is None:
        raise HTTPException(404, "Intet sådant dokument i inventaret.")
    root, path, container, origin, sha256 = row
    if origin != "archive":
        raise HTTPException(404, f"Dokumentet er hentet fra hjemmesiden og ligger ikke i et scannet arkiv: {path}")
    chain: list[str] = []
    if container:
        if not path.startswith(container + "!") or not container.lower().endswith(".zip"):
            raise HTTPException(404, f"Dokumentet ligger inde i {container} og kan ikke åbnes herfra; "
                                     "åbn den fil for at se det.")
        chain = path[len(container) + 1:].split("!")
        path = container
    try:
        target = await run_in_threadpool(resolve_document, root, path)
        if chain:
            body = await run_in_threadpool(read_zip_member, target, chain, sha256)
            return _document_response(body, chain[-1].rsplit("/", 1)[-1])
    except PermissionError:
        raise HTTPException(403, "Dokumentet kan ikke vises: stien fører uden for den scannede mappe.") from None
    except (FileNotFoundError, OSError):
        raise HTTPException(404, "Filen findes ikke længere på den gemte placering (eller er ændret).") from None
    return _document_response(target, target.name)


async def login_page(request: Request):
    app: Tuscan = request.app.state.tuscan
    if not app.password:
        return RedirectResponse("/", status_code=303)
    return app.page(request, "login.html", error=None, next=_back(request.query_params.get("next", "/")))


async def login(request: Request):
    app: Tuscan = request.app.state.tuscan
    fields = await read_form(request)
    given = fields.get("password", "")
    if not app.password or not hmac.compare_digest(given.encode(), app.password.encode()):
        return app.page(request, "login.html", 401, error="Forkert adgangskode.", next=_back(fields.get("next", "/")))
    response = RedirectResponse(_back(fields.get("next", "/")), status_code=303)
    _cookie(response, SESSION_COOKIE, app.session_token())
    return response


# --- errors -----------------------------------------------------------------------------------------
async def http_error(request: Request, exc: HTTPException):
    app: Tuscan = request.app.state.tuscan
    titles = {403: "Afvist", 404: "Ikke fundet", 400: "Ugyldig forespørgsel", 413: "For stor"}
    return app.page(request, "message.html", exc.status_code, title=titles.get(exc.status_code, "Fejl"),
                    message=exc.detail if isinstance(exc.detail, str) and exc.detail else "Siden findes ikke.")


async def locked_error(request: Request, exc: Exception):
    app: Tuscan = request.app.state.tuscan
    posted = request.method == "POST"
    missing = isinstance(exc, DatabaseMissing)
    response = app.page(request, "locked.html", 503, posted=posted, missing=missing, detail=str(exc),
                        form={k: v for k, v in getattr(request.state, "form", {}).items() if k != "csrf"})
    response.headers["Retry-After"] = "10"
    return response


async def value_error(request: Request, exc: Exception):
    app: Tuscan = request.app.state.tuscan
    return app.page(request, "message.html", 400, title="Ikke gemt",
                    message="Det blev ikke gemt: " + str(exc))


async def tuscan_error(request: Request, exc: TuscanError):
    app: Tuscan = request.app.state.tuscan
    return app.page(request, "message.html", 500, title="Fejl", message="tuscan kunne ikke gøre det: " + str(exc))


async def server_error(request: Request, exc: Exception):
    # A bug, not a user error: say so in Danish, keep the details out of the page (they are in the log).
    app: Tuscan = request.app.state.tuscan
    return app.page(request, "message.html", 500, title="Der skete en fejl",
                    message="Siden kunne ikke vises på grund af en fejl i tuscan. Intet er gemt fra denne "
                            "forespørgsel. Se serverens log for detaljer.")


def create_app(db: str, password: str | None = None, hosts: frozenset[str] = LOOPBACK_NAMES) -> Starlette:
    """The app over the inventory at `db` (opened per request); `password` turns on sign-in (and then
    any host name is answered); without it only the names in `hosts` are."""
    tuscan = Tuscan(str(db), password, frozenset(h.strip("[]").lower() for h in hosts))
    routes = [
        Route("/", oversigt),
        Route("/systemer", systemer),
        Route("/system/{key:path}", system),
        Route("/beslutning/{key:path}", beslut, methods=["POST"]),
        Route("/fortryd/{decision_id}", fortryd, methods=["POST"]),
        Route("/gennemgang", gennemgang),
        Route("/tjekliste", tjekliste_oversigt),
        Route("/tjekliste/{key:path}", tjekliste, methods=["GET"]),
        Route("/tjekliste/{key:path}", tjekliste_punkt, methods=["POST"]),
        Route("/leverandoerer", leverandoerer),
        Route("/leverandoerer/brev", leverandoer_brev),
        Route("/eksport", eksport),
        Route("/eksport/{kind}", eksport_fil),
        Route("/dokument/{document_id}", dokument),
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(Guard)],
                    exception_handlers={HTTPException: http_error, DatabaseLocked: locked_error,
                                        DatabaseMissing: locked_error, InvalidValue: value_error,
                                        UnknownSystem: value_error, TuscanError: tuscan_error,
                                        Exception: server_error})
    app.state.tuscan = tuscan
    return app

