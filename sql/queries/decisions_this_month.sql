-- title: Afgørelser denne måned
-- description: Hver afgørelse en person har gemt i den aktuelle kalendermåned (tuscan decide eller
--   `tuscan serve`), nyeste først, også afgørelser der er trukket tilbage igen (undone_by siger af
--   hvem). Brug den til den månedlige godkendelse: hvad blev afgjort, af hvem og hvorfor.
-- param: month = current: måneden der vises, som ÅÅÅÅ-MM, f.eks. 2026-11 ('current' = denne måned)
-- columns:
--   decided_at   hvornår afgørelsen blev gemt
--   system       systemets navn som personen skrev det
--   category     den afgjorte kategori: own, shared, common_public, not_tu eller unknown
--   level        det afgjorte sikringsniveau (Lav, Betydelig) eller NULL
--   note         hvorfor, som personen skrev det
--   decided_by   personen
--   in_force     true når det er denne afgørelse, der gælder for systemet nu
--   undone_by    hvem der trak den tilbage, eller NULL
--   undone_at    hvornår den blev trukket tilbage
WITH bounds AS (
    SELECT CASE WHEN $month = 'current' THEN date_trunc('month', current_date)
                ELSE strptime($month || '-01', '%Y-%m-%d')::DATE END AS first_day
)
SELECT decided_at, system, category, level, note, decided_by, in_force, undone_by, undone_at
FROM decision_history, bounds
WHERE decided_at >= first_day AND decided_at < first_day + INTERVAL 1 MONTH
ORDER BY decided_at DESC, decision_id DESC;
