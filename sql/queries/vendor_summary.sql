-- title: Oversigt pr. leverandør
-- description: Én række pr. leverandør: hvor mange systemer tuscan fandt fra leverandøren, og i
--   hvilke kategorier. Nyttig når man taler med en leverandør om ændringerne med MitID på tværs af
--   alle dens systemer.
-- columns:
--   vendor         leverandør ('(ukendt)' når ingen leverandør blev fundet)
--   systems        antal systemer
--   own            egne TU-løsninger
--   shared         TU-løsninger som flere kommuner anvender
--   common_public  fællesoffentlige løsninger
--   not_tu         ikke TU-løsninger
--   unknown        uafklarede
--   to_rebuild     egne eller uafklarede systemer med flaget signing eller pid_rid
--   system_names   systemerne i alfabetisk orden
SELECT
    coalesce(vendor, '(ukendt)') AS vendor,
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
GROUP BY coalesce(vendor, '(ukendt)')
ORDER BY own DESC, systems DESC, lower(coalesce(vendor, '(ukendt)'));
