"""`tuscan run`: the whole pipeline for one municipality, from a config file.

Steps, each only when configured: scan the contract archives (discover), import KITOS (files or the
API), crawl the website, then write the report. Every step is the same plain function the single
commands call; `flows/pipeline.py` runs the same steps as Prefect subflows. The config format is
documented in examples/tuscan.toml. Relative paths in a config file are relative to that file.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tuscan import db as database
from tuscan.discover import EXAMPLE_ARCHIVE
from tuscan.errors import TuscanError
from tuscan.report import DEFAULT_HTML, DEFAULT_XLSX

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_CONFIG = REPO / "examples" / "tuscan.toml"


class ConfigNotFound(TuscanError):
    """The config file given to `tuscan run` does not exist."""


class ConfigError(TuscanError):
    """The config file is not valid TOML or has a wrong, unknown or missing setting."""


@dataclass(frozen=True)
class KitosConfig:
    files: tuple[Path, ...] = ()
    api_url: str | None = None
    cvr: str | None = None


@dataclass(frozen=True)
class WebsiteConfig:
    url: str
    max_pages: int | None = None
    max_depth: int | None = None
    documents: bool = False
    allow_domains: tuple[str, ...] = ()


@dataclass(frozen=True)
class PipelineConfig:
    db: Path
    archives: tuple[Path, ...] = ()
    kitos: KitosConfig | None = None
    website: WebsiteConfig | None = None
    html: Path | None = None
    xlsx: Path | None = None
    source: Path | None = None          # the config file, or None for the bundled example


def example_config(workdir: str | os.PathLike = ".") -> PipelineConfig:
    """What `tuscan run` does without a config: the bundled example archive, report in `workdir`."""
    workdir = Path(workdir)
    return PipelineConfig(db=workdir / database.DEFAULT_DB, archives=(EXAMPLE_ARCHIVE,),
                          html=workdir / DEFAULT_HTML, xlsx=workdir / DEFAULT_XLSX)


# --- reading the config -----------------------------------------------------------------------------
def _table(data: dict, key: str, allowed: set[str], where: str) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: [{key}] must be a table")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise ConfigError(f"{where}: unknown setting(s) in [{key}]: {', '.join(unknown)} "
                          f"(known: {', '.join(sorted(allowed))})")
    return value


def _typed(value, kind: type | tuple, name: str, where: str):
    if value is not None and (not isinstance(value, kind) or (kind is int and isinstance(value, bool))):
        expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ConfigError(f"{where}: {name} must be {expected}, not {value!r}")
    return value


def _paths(value, name: str, base: Path, where: str, must_exist: bool = True) -> tuple[Path, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {name} must be a list of paths")
    paths = tuple((base / os.path.expanduser(v)).resolve() for v in value)
    for path in paths:
        if must_exist and not path.exists():
            raise ConfigError(f"{where}: {name}: {path} does not exist")
    return paths


TOP_LEVEL = {"db", "archives", "kitos", "website", "report"}
CREDENTIAL_WORDS = ("password", "secret", "token", "key", "user")


def parse_config(data: dict, base: Path, where: str) -> PipelineConfig:
    unknown = sorted(set(data) - TOP_LEVEL)
    if unknown:
        raise ConfigError(f"{where}: unknown setting(s): {', '.join(unknown)} (known: {', '.join(sorted(TOP_LEVEL))})")
    db = _typed(data.get("db", database.DEFAULT_DB), str, "db", where)
    archives = _paths(data.get("archives"), "archives", base, where)

    kitos = None
    if "kitos" in data:
        section = _table(data, "kitos", {"files", "api"}, where)
        api = section.get("api")
        if api is not None:
            if not isinstance(api, dict):
                raise ConfigError(f"{where}: [kitos.api] must be a table with url and cvr")
            secret = [k for k in api if any(w in k.lower() for w in CREDENTIAL_WORDS)]
            if secret:
                raise ConfigError(f"{where}: [kitos.api] {', '.join(secret)}: credentials are read from the "
                                  "environment only, never from the config file")
            _table(section, "api", {"url", "cvr"}, where)
            if not api.get("url") or not api.get("cvr"):
                raise ConfigError(f"{where}: [kitos.api] needs both url and cvr")
        kitos = KitosConfig(
            files=_paths(section.get("files"), "kitos.files", base, where),
            api_url=_typed(api.get("url"), str, "kitos.api.url", where) if api else None,
            cvr=str(_typed(api.get("cvr"), (str, int), "kitos.api.cvr", where)) if api else None,
        )

    website = None
    if "website" in data:
        section = _table(data, "website", {"url", "max_pages", "max_depth", "documents", "allow_domains"}, where)
        if not section.get("url"):
            raise ConfigError(f"{where}: [website] needs url")
        allow = section.get("allow_domains", [])
        if not isinstance(allow, list) or not all(isinstance(d, str) for d in allow):
            raise ConfigError(f"{where}: website.allow_domains must be a list of domain names")
        website = WebsiteConfig(
            url=_typed(section["url"], str, "website.url", where),
            max_pages=_typed(section.get("max_pages"), int, "website.max_pages", where),
            max_depth=_typed(section.get("max_depth"), int, "website.max_depth", where),
            documents=bool(_typed(section.get("documents", False), bool, "website.documents", where)),
            allow_domains=tuple(allow),
        )

    report = _table(data, "report", {"html", "xlsx"}, where)
    # Without a setting the report goes to its default name; "" skips that output.
    html = _typed(report.get("html", DEFAULT_HTML), str, "report.html", where)
    xlsx = _typed(report.get("xlsx", DEFAULT_XLSX), str, "report.xlsx", where)
    return PipelineConfig(
        db=(base / os.path.expanduser(db)).resolve(),
        archives=archives,
        kitos=kitos,
        website=website,
        html=(base / html).resolve() if html else None,
        xlsx=(base / xlsx).resolve() if xlsx else None,
        source=None,
    )


def load_config(path: str | os.PathLike | None) -> PipelineConfig:
    """Read a config file; None gives the bundled example (see `example_config`)."""
    if path is None:
        return example_config()
    path = Path(path)
    if not path.is_file():
        raise ConfigNotFound(f"{path}: no such config file (see examples/tuscan.toml for the format)")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    config = parse_config(data, path.resolve().parent, str(path))
    return PipelineConfig(**{**config.__dict__, "source": path.resolve()})


# --- running it --------------------------------------------------------------------------------------
def import_kitos(kitos: KitosConfig, db: str | os.PathLike) -> dict:
    """KITOS exports and/or the API v2 (tuscan.kitos.load; imported only when configured). The API
    credentials come from the environment (KITOS_EMAIL, KITOS_PASSWORD), never from the config."""
    from tuscan.kitos.load import fetch_into, import_exports

    done: dict = {}
    if kitos.files:
        summary = import_exports([str(p) for p in kitos.files], db)
        done["files"] = {"run_id": summary.run_id, **summary.as_json()}
    if kitos.api_url:
        summary = fetch_into(db, kitos.api_url, kitos.cvr)
        done["api"] = {"run_id": summary.run_id, **summary.as_json()}
    return done


def crawl_website(website: WebsiteConfig, db: str | os.PathLike) -> dict:
    from tuscan.web.crawl import run_crawl

    limits = {k: v for k, v in (("max_pages", website.max_pages), ("max_depth", website.max_depth)) if v}
    summary = run_crawl(website.url, str(db), allow_domains=list(website.allow_domains),
                        documents=website.documents, **limits)
    return {"run_id": summary.run_id, **summary.as_json()}


@dataclass
class PipelineResult:
    steps: dict[str, object] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)


def run_pipeline(config: PipelineConfig, *, runner: str = "local",
                 echo: Callable[[str], None] = lambda _line: None) -> PipelineResult:
    """Run every configured step in order, without Prefect."""
    from flows.discover import run_discover  # the plain function; importing flows imports prefect
    from tuscan.report import write_report

    result = PipelineResult()
    if config.archives:
        echo(f"Scanning {len(config.archives)} archive(s) …")
        summary = run_discover([str(p) for p in config.archives], str(config.db), runner=runner)
        result.steps["discover"] = {"files": summary.files_seen, "errors": summary.read_errors}
    if config.kitos:
        echo("Importing KITOS …")
        result.steps["kitos"] = import_kitos(config.kitos, config.db)
    if config.website:
        echo(f"Crawling {config.website.url} …")
        result.steps["crawl"] = crawl_website(config.website, config.db)
    if config.html or config.xlsx:
        echo("Writing the report …")
        result.written = write_report(config.db, html=config.html, xlsx=config.xlsx)
        result.steps["report"] = [str(p) for p in result.written]
    return result
