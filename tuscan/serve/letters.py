"""A letter to a vendor (DOCX): its TU-solutions in the inventory and the questions of Delrapport 1's
"Tjekliste for egne løsninger", ready to send ("Evt. dialog med leverandører").

python-docx writes the Word file (already a dependency of tuscan's DOCX reader); the letter is plain
paragraphs, a table and numbered questions, so the municipality can edit it before sending.
"""

from __future__ import annotations

import io
from datetime import date

from docx import Document

from tuscan.labels import category_label, flag_label, level_label
from tuscan.privacy import mask_cpr
from tuscan.rules import CHECKLIST


def vendor_letter(vendor: str, solutions: list[dict], municipality: str = "Kommunen",
                  today: date | None = None) -> bytes:
    """The letter as DOCX bytes. `solutions` are inventory rows (system, category, suggested_level, flags)."""
    today = today or date.today()
    doc = Document()
    doc.add_paragraph(f"{municipality}\n{today.strftime('%d.%m.%Y')}")
    doc.add_paragraph(f"Til: {mask_cpr(vendor)}")
    doc.add_heading("Overgang fra NemID til MitID og NemLog-in3: jeres løsninger hos os", level=1)
    doc.add_paragraph(
        f"{municipality} gennemgår sine tjenesteudbyderløsninger (TU-løsninger) før overgangen til MitID og "
        "NemLog-in3. Ifølge vores gennemgang leverer I de løsninger, der er nævnt nedenfor, og som vi "
        "betragter som vores egne TU-løsninger eller endnu ikke har afklaret. For hver egen TU-løsning har "
        "kommunen ansvaret for omlægningen, og vi skal gennemgå KL's tjekliste for egne løsninger. Vi beder "
        "jer derfor besvare spørgsmålene nedenfor for hver løsning.")
    if solutions:
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("Løsning", "Kategori", "Foreslået sikringsniveau",
                                                     "Særlige forhold"), strict=True):
            cell.text = text
        for s in solutions:
            cells = table.add_row().cells
            cells[0].text = mask_cpr(s["system"])
            cells[1].text = category_label(s["category"])
            cells[2].text = level_label(s.get("suggested_level")) if s["category"] == "own" else "—"
            cells[3].text = "; ".join(flag_label(f) for f in (s.get("flags") or [])) or "—"
    else:
        doc.add_paragraph("Vi har ingen egne eller uafklarede TU-løsninger registreret hos jer.")
    doc.add_heading("Spørgsmål til hver løsning", level=2)
    for item in CHECKLIST:
        doc.add_paragraph(item.question, style="List Number")
    doc.add_paragraph(
        "Hvis en løsning også bruges af andre kommuner, eller ejes af en anden myndighed, vil vi gerne vide "
        "det, så vi kan flytte den fra vores egne løsninger.")
    doc.add_paragraph("Med venlig hilsen\n" + municipality)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
