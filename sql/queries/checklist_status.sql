-- title: Status på tjeklisten pr. egen TU-løsning (tjekliste for egne løsninger)
-- description: For hver egen TU-løsning: hvor langt kommunen er med de otte opgaver i Delrapport 1's
--   "Tjekliste for egne løsninger" (Digitaliseringsstyrelsens vejledninger om NemLog-in3, almindeligt
--   eller særligt setup, dokumentsignering, PID/RID til UUID, den centrale PID/RID-tjeneste,
--   risikovurdering, ny tjenesteudbyderaftale), som det er registreret i `tuscan serve`. Et punkt
--   ingen har rørt, tæller som ikke startet. Brug den til at følge op på de løsninger der halter.
-- columns:
--   system           systemets navn
--   vendor           leverandør, når den kendes
--   suggested_level  det sikringsniveau den simple risikovurdering foreslår (Lav, Betydelig)
--   chosen_level     det sikringsniveau en person har valgt (tuscan decide / appen), eller NULL
--   flags            tjekliste-flag fra evidensen: signing, pid_rid
--   items            antal punkter på tjeklisten (8)
--   done             afklarede punkter
--   not_relevant     punkter markeret ikke relevant
--   in_progress      punkter i gang
--   not_started      punkter ikke startet
--   last_change      hvornår et punkt sidst blev ændret, eller NULL
--   changed_by       hvem der lavede den ændring
WITH items(item) AS (
    VALUES ('guidance'), ('standard_integration'), ('non_standard_integration'), ('signing'), ('pid_rid'),
           ('central_pid_rid'), ('risk_assessment'), ('tu_agreement')
),
own AS (
    SELECT system, system_key, vendor, suggested_level, flags FROM inventory WHERE category = 'own'
),
chosen AS (
    SELECT system_key, level FROM decision_history WHERE in_force
),
status AS (
    SELECT o.system_key, i.item, coalesce(c.status, 'not_started') AS status, c.set_at, c.set_by
    FROM own o
    CROSS JOIN items i
    LEFT JOIN checklist_current c ON c.system_key = o.system_key AND c.item = i.item
)
SELECT
    o.system,
    o.vendor,
    o.suggested_level,
    ch.level AS chosen_level,
    o.flags,
    count(s.item) AS items,
    count(*) FILTER (WHERE s.status = 'done') AS done,
    count(*) FILTER (WHERE s.status = 'not_relevant') AS not_relevant,
    count(*) FILTER (WHERE s.status = 'in_progress') AS in_progress,
    count(*) FILTER (WHERE s.status = 'not_started') AS not_started,
    max(s.set_at) AS last_change,
    arg_max(s.set_by, s.set_at) AS changed_by
FROM own o
JOIN status s ON s.system_key = o.system_key
LEFT JOIN chosen ch ON ch.system_key = o.system_key
GROUP BY o.system, o.system_key, o.vendor, o.suggested_level, ch.level, o.flags
ORDER BY not_started + in_progress DESC, lower(o.system);
