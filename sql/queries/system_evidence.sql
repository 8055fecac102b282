-- title: Al evidens for ét system
-- description: Alt bag én række i fortegnelsen: hvert fund af et søgeord, hvert listematch og hvert
--   link på hjemmesiden, med hvor det blev fundet og teksten omkring det. Brug den til at tjekke en
--   kategori eller et foreslået sikringsniveau, før du godkender det. Navnet matches uden hensyn til
--   store og små bogstaver; % er et jokertegn.
-- param: system: systemets navn som i fortegnelsen, f.eks. 'Korsbæk Selvbetjening' eller 'Korsbæk%'
-- columns:
--   system       systemets navn
--   category     dets kategori
--   source_kind  document (dokument), kitos eller web (hjemmeside)
--   source_ref   dokumentets sti, KITOS-systemet eller hjemmesidens adresse
--   page         dokumentets side, når evidensen er et fund af et søgeord
--   kind         login, business_login, sensitive, ordinary_data, signing, pid_rid, tu_term, …
--   term         søgeordet eller listens navn
--   detail       en beskrivelse på dansk
--   snippet      teksten omkring fundet (±80 tegn, CPR-numre maskeret)
SELECT system, category, source_kind, source_ref, page, kind, term, coalesce(detail_da, detail) AS detail, snippet
FROM evidence
WHERE system ILIKE $system
ORDER BY system, source_kind, source_ref, page, kind, term;
