-- A system's reason as a code plus values (tuscan/reasons.py), so every reader renders it in its own
-- language: the web app, the HTML report and the workbook in Danish, `--lang en` in English.
--   reason_code    one code per outcome of the rules (own, shared_list, weak_only, …)
--   reason_values  the code's values as JSON: list, entry, score, and the evidence quoted (code + values)
--   reason_da      the Danish rendering, for SQL readers (`tuscan query`, the DuckDB shell)
-- `reason` keeps the English rendering, as before.
ALTER TABLE systems ADD COLUMN reason_code VARCHAR;
ALTER TABLE systems ADD COLUMN reason_values JSON;
ALTER TABLE systems ADD COLUMN reason_da VARCHAR;
-- An evidence row's detail in Danish as well (its code is found again from kind + detail by
-- tuscan/reasons.py; this column is for SQL readers).
ALTER TABLE system_evidence ADD COLUMN detail_da VARCHAR;
