"""`tuscan run`'s config: what the whole pipeline does for one municipality, read from tuscan.toml.

Sections, each optional: the contract archives, KITOS (files or the API), the website, the report.
The steps themselves are `tuscan.steps.pipeline`, which the CLI and `flows/pipeline.py` both run.
The format is documented in examples/tuscan.toml. Relative paths are relative to the config file.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tuscan import db as database
from tuscan import example
from tuscan.errors import TuscanError
from tuscan.report import DEFAULT_HTML, DEFAULT_XLSX

EXAMPLE_CONFIG = example.config()


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
    return PipelineConfig(db=workdir / database.DEFAULT_DB, archives=(example.archive(),),
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
