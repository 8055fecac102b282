"""KITOS, the municipalities' IT-system portfolio tool: its web-UI exports and its API v2.

- `headers`    the exports' column maps (both UI generations) and header normalisation;
- `values`     cell values: names, "Navn (CVR)", dates, lists, Ja/Nej;
- `exports`    xlsx/CSV file → typed rows (`read_export`), kind detected by content;
- `api`        the API v2 client (`fetch`), credentials from KITOS_EMAIL / KITOS_PASSWORD;
- `store`      rows → kitos_systems / kitos_contracts (sql/migrations/003_kitos.sql); export files
               known by content (kitos_exports, 005_kitos_content.sql) and replaced by kind;
- `load`       the plain functions behind `tuscan kitos import|fetch` and flows/kitos.py;
- `candidates` stored rows → inventory candidates (registered as source "kitos").
"""
