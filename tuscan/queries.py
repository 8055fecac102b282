"""Canned DPO queries: SQL files in `sql/queries/` with a header comment saying what they are for.

A query file starts with comment lines::

    -- title: Own TU-solutions that need a risk assessment
    -- description: what a DPO uses it for (continuation lines are indented)
    -- param: min_score = 95: what the parameter means (no "= default" means required)
    -- columns:
    --   system   the system's name

Parameters are DuckDB named parameters (`$min_score`) and always arrive as text, so the SQL casts
them. `tuscan query --list` shows the titles; the same files are the documentation of the queries.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import re
from dataclasses import dataclass, field

import duckdb

from sql import SQL_DIR
from tuscan.errors import TuscanError

QUERY_DIR = SQL_DIR / "queries"


class UnknownQuery(TuscanError):
    """No canned query has that name."""


class QueryParameterError(TuscanError):
    """A canned query was given a parameter it does not take, or not given one it needs."""


class QueryHeaderError(TuscanError):
    """A canned query file's header comment is malformed (a bug in sql/queries)."""


@dataclass(frozen=True)
class Param:
    name: str
    default: str | None
    description: str

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class Query:
    name: str
    title: str
    description: str
    sql: str
    params: tuple[Param, ...] = ()
    columns: tuple[tuple[str, str], ...] = field(default=())


_PARAM = re.compile(r"^(?P<name>[a-z_][a-z0-9_]*)\s*(?:=\s*(?P<default>[^:]+?))?\s*:\s*(?P<desc>.+)$")


def parse_query(name: str, text: str) -> Query:
    """Read the header comment of one query file."""
    header: list[str] = []
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        header.append(line[2:].removeprefix(" "))
    fields: dict[str, str] = {}
    params: list[Param] = []
    columns: list[tuple[str, str]] = []
    current: str | None = None
    for line in header:
        key, sep, value = line.partition(":")
        if sep and not line.startswith(" ") and key in {"title", "description", "param", "columns"}:
            current = key
            value = value.strip()
            if key == "param":
                m = _PARAM.match(value)
                if not m:
                    raise QueryHeaderError(f"{name}: cannot read parameter line {line!r}")
                params.append(Param(m["name"], m["default"].strip() if m["default"] else None, m["desc"].strip()))
            elif key != "columns":
                fields[key] = value
        elif current == "columns" and line.strip():
            column, _, desc = line.strip().partition(" ")
            columns.append((column, desc.strip()))
        elif current in {"title", "description"} and line.strip():
            fields[current] += " " + line.strip()
    if not fields.get("title") or not fields.get("description") or not columns:
        raise QueryHeaderError(f"{name}: the header needs title, description and columns")
    return Query(name, fields["title"], fields["description"], text, tuple(params), tuple(columns))


def list_queries() -> list[Query]:
    return [parse_query(f.stem, f.read_text(encoding="utf-8")) for f in sorted(QUERY_DIR.glob("*.sql"))]


def load_query(name: str) -> Query:
    path = QUERY_DIR / f"{name}.sql"
    if not re.fullmatch(r"[a-z0-9_]+", name) or not path.is_file():
        known = ", ".join(q.name for q in list_queries())
        raise UnknownQuery(f"no query named {name!r}; known queries: {known}")
    return parse_query(name, path.read_text(encoding="utf-8"))


def bind_params(query: Query, given: dict[str, str] | None) -> dict[str, str]:
    """The named parameters for DuckDB: given values, else defaults; unknown or missing ones fail."""
    given = dict(given or {})
    known = {p.name for p in query.params}
    unknown = sorted(set(given) - known)
    if unknown:
        takes = ", ".join(sorted(known)) or "no parameters"
        raise QueryParameterError(f"query {query.name} does not take {', '.join(unknown)} (it takes {takes})")
    values = {}
    for p in query.params:
        value = given.get(p.name, p.default)
        if value is None:
            raise QueryParameterError(
                f"query {query.name} needs --param {p.name}=VALUE ({p.description})")
        values[p.name] = value
    return values


def run_query(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, str] | None = None
              ) -> tuple[list[str], list[tuple]]:
    """Run a canned query; returns (column names, rows)."""
    query = load_query(name)
    cursor = con.execute(query.sql, bind_params(query, params) or None)
    columns = [d[0] for d in cursor.description]
    return columns, cursor.fetchall()


# --- output -----------------------------------------------------------------------------------------
def _plain(value):
    """A value as JSON/CSV can hold it."""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(text: str) -> str:
    """Excel runs a cell that starts with "=", "+", "-" or "@" as a formula, and a document name or
    snippet can start so ("=HYPERLINK(…)"); a leading apostrophe makes it text (OWASP's advice)."""
    return "'" + text if text.startswith(_FORMULA_START) and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def format_rows(columns: list[str], rows: list[tuple], fmt: str = "table", max_width: int = 60) -> str:
    """Rows as a plain-text table, CSV or JSON (a list of objects)."""
    if fmt == "json":
        return json.dumps([dict(zip(columns, map(_plain, row), strict=True)) for row in rows],
                          ensure_ascii=False, indent=2)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_csv_safe(_cell(v)) for v in row] for row in rows)
        return out.getvalue().rstrip("\n")
    cells = [[_cell(v).replace("\n", " ") for v in row] for row in rows]
    cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in row] for row in cells]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(columns)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(columns, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)
