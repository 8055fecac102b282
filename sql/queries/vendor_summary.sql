-- title: Per-vendor summary
-- description: One row per supplier: how many systems tuscan found from them and in which
--   categories. Useful when talking to a vendor about MitID changes across all their systems.
-- columns:
--   vendor         supplier ('(unknown)' when no vendor was found)
--   systems        number of systems
--   own            own TU-solutions (egen TU-løsning)
--   shared         TU-solutions several municipalities use
--   common_public  common public solutions (fællesoffentlig løsning)
--   not_tu         not TU-solutions
--   unknown        unresolved (uafklaret)
--   to_rebuild     own or unresolved systems flagged signing or pid_rid
--   system_names   the systems, alphabetically
SELECT
    coalesce(vendor, '(unknown)') AS vendor,
    count(*) AS systems,
    count(*) FILTER (WHERE category = 'own') AS own,
    count(*) FILTER (WHERE category = 'shared') AS shared,
    count(*) FILTER (WHERE category = 'common_public') AS common_public,
    count(*) FILTER (WHERE category = 'not_tu') AS not_tu,
    count(*) FILTER (WHERE category = 'unknown') AS unknown,
    count(*) FILTER (WHERE category IN ('own', 'unknown')
                     AND (list_contains(flags, 'signing') OR list_contains(flags, 'pid_rid'))) AS to_rebuild,
    string_agg(system, ', ' ORDER BY lower(system)) AS system_names
FROM inventory
GROUP BY coalesce(vendor, '(unknown)')
ORDER BY own DESC, systems DESC, lower(coalesce(vendor, '(unknown)'));
