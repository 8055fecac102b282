"""The self-contained HTML report: one file, no network (inline CSS, JS and SVG), readable offline
and safe to e-mail. Every text from documents, web pages and KITOS goes through `esc()`: a document
named `<img src=x onerror=alert(1)>.pdf` must show as text, never run. A Content-Security-Policy
meta tag forbids loading anything from anywhere as a second line of defence.
"""

from __future__ import annotations

import html
from importlib import resources

from tuscan.labels import (
    CATEGORY_LABELS,
    CATEGORY_ORDER,
    category_label,
    flag_label,
    level_label,
    source_label,
)
from tuscan.report import ReportData

SNIPPETS_SHOWN = 8          # per system; the rest is one `tuscan query system_evidence` away
CHART_COLOURS = {"own": "#c0392b", "unknown": "#d68910", "shared": "#2471a3", "common_public": "#7d3c98",
                 "not_tu": "#7f8c8d", "Betydelig": "#c0392b", "Lav": "#27ae60", None: "#95a5a6"}


def esc(value) -> str:
    """Text → HTML, quotes included (values also go into attributes)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return esc(", ".join(str(v) for v in value))
    return html.escape(str(value), quote=True)


def _template() -> str:
    return resources.files("tuscan.report").joinpath("template.html").read_text(encoding="utf-8")


def _figure(ident: str, number: int, label: str) -> str:
    return (f'<div class="figure" id="{ident}"><span class="num">{number}</span>'
            f'<span class="label">{esc(label)}</span></div>')


def bar_chart(title: str, bars: list[tuple[str, int, str]], ident: str) -> str:
    """A horizontal bar chart as inline SVG; bars are (label, count, colour)."""
    row, label_width, bar_width = 26, 300, 240
    top = max((count for _, count, _ in bars), default=0) or 1
    parts = [f'<figure id="{ident}"><figcaption>{esc(title)}</figcaption>'
             f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{esc(title)}" '
             f'width="{label_width + bar_width + 50}" height="{row * len(bars) + 4}">']
    for i, (label, count, colour) in enumerate(bars):
        y = i * row + 2
        width = round(bar_width * count / top)
        parts.append(
            f'<g class="bar" data-label="{esc(label)}" data-count="{count}">'
            f'<text x="{label_width - 6}" y="{y + 16}" text-anchor="end" font-size="13">{esc(label)}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{width}" height="{row - 8}" fill="{colour}"></rect>'
            f'<text x="{label_width + width + 5}" y="{y + 16}" font-size="13">{count}</text></g>')
    parts.append("</svg></figure>")
    return "".join(parts)


def _evidence_item(e: dict, data: ReportData) -> str:
    where = esc(source_label(e["source_kind"])) + ": " + f'<span class="ref">{esc(e["source_ref"])}</span>'
    if e.get("page"):
        where += f" s. {esc(e['page'])}"
    what = esc(data.evidence_detail(e) or e.get("kind"))
    snippet = f' <span class="snippet">“{esc(e["snippet"])}”</span>' if e.get("snippet") else ""
    return f"<li>{where} — {what}{snippet}</li>"


def _system_row(s: dict, data: ReportData) -> str:
    evidence = s.get("evidence") or []
    shown = "".join(_evidence_item(e, data) for e in evidence[:SNIPPETS_SHOWN])
    more = len(evidence) - SNIPPETS_SHOWN
    if more > 0:
        shown += (f'<li class="more">… og {more} mere: <code>tuscan query system_evidence --param '
                  f'system={esc(repr(s["system"]))}</code></li>')
    details = (f'<details><summary>{len(evidence)} stykker evidens</summary><ul class="evidence">{shown}</ul>'
               f"</details>" if evidence else '<span class="empty">ingen evidens</span>')
    flags = "<br>".join(esc(flag_label(f)) for f in (s.get("flags") or []))
    listed = esc(s.get("matched_name"))
    if s.get("match_score") is not None:
        listed += f" ({s['match_score']:.0f})"
    if s.get("ambiguous"):
        listed += " — tvetydig"
    # Levels are for own (and not yet resolved) solutions; the others are someone else's to assess.
    level = esc(level_label(s.get("suggested_level"))) if s["category"] in ("own", "unknown") else "—"
    order = CATEGORY_ORDER.index(s["category"]) if s["category"] in CATEGORY_ORDER else 9
    return (
        f'<tr data-category="{esc(s["category"])}">'
        f"<td>{esc(s['system'])}</td><td>{esc(s.get('vendor'))}</td>"
        f'<td data-sort="{order}"><span class="cat cat-{esc(s["category"])}">{esc(category_label(s["category"]))}'
        f"</span></td>"
        f"<td>{level}</td><td>{flags}</td><td>{listed}</td>"
        f"<td>{esc([source_label(k) for k in (s.get('sources') or [])])}</td>"
        f"<td>{esc(data.reason(s))}{' (afgjort af en person)' if s.get('decided_by') == 'person' else ''}"
        f"{details}</td></tr>"
    )


def _table(ident: str, headers: list[str], rows: list[list[str]], empty: str) -> str:
    if not rows:
        return f'<p class="empty" id="{ident}-empty">{esc(empty)}</p>'
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "\n".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<table id="{ident}" class="sortable"><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>'


CHANGE_LABELS = {"new": "Ny", "changed": "Ændret", "gone": "Forsvundet"}


def render_html(data: ReportData) -> str:
    figures = "\n".join([
        _figure("n-systems", len(data.systems), "systemer i alt"),
        *(_figure(f"n-{c}", data.by_category[c], CATEGORY_LABELS[c]) for c in CATEGORY_ORDER),
        _figure("n-rebuild", data.to_rebuild, "skal ombygges (signering, PID/RID)"),
        _figure("n-documents", data.documents, "dokumenter gennemsøgt"),
        _figure("n-unreadable", len(data.unreadable), "dokumenter kunne ikke læses"),
    ])
    charts = bar_chart(
        "Systemer pr. kategori",
        [(CATEGORY_LABELS[c], data.by_category[c], CHART_COLOURS[c]) for c in CATEGORY_ORDER],
        "chart-category",
    ) + bar_chart(
        "Egne TU-løsninger pr. foreslået sikringsniveau",
        [(level_label(level), data.own_by_level[level], CHART_COLOURS[level]) for level in ("Betydelig", "Lav", None)],
        "chart-level",
    )
    options = "\n".join(f'    <option value="{c}">{esc(CATEGORY_LABELS[c])}</option>' for c in CATEGORY_ORDER)
    changes = _table(
        "changes-table", ["Ændring", "System", "Kategori", "Før", "Niveau", "Niveau før", "Flag", "Flag før"],
        [[esc(CHANGE_LABELS.get(c["change"], c["change"])), esc(c["system"]), esc(category_label(c["category"])),
          esc(category_label(c["previous_category"])), esc(c["suggested_level"]), esc(c["previous_level"]),
          esc(c["flags"]), esc(c["previous_flags"])] for c in data.changes],
        "Ingen ændringer siden forrige kørsel.",
    )
    unreadable = _table(
        "unreadable-table", ["Dokument", "Status", "Hvorfor", "System"],
        [[esc(d["path"]), esc(d["status"]), esc(d["error"]), esc(d["system"])] for d in data.unreadable],
        "Alle dokumenter kunne læses.",
    )
    return _template().format(
        title=esc(data.title),
        generated_at=esc(data.generated_at.strftime("%d-%m-%Y %H:%M")),
        figures=figures,
        charts=charts,
        category_options=options,
        system_count=len(data.systems),
        system_rows="\n".join(_system_row(s, data) for s in data.systems),
        changes=changes,
        unreadable=unreadable,
    )
