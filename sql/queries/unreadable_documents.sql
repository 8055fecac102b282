-- title: Dokumenter der ikke kunne læses
-- description: Dokumenter tuscan ikke kunne læse (krypterede, beskadigede, tomme, et gammelt format,
--   en scanning uden tekst når OCR ikke er installeret). Intet i dem er gennemsøgt, så en TU-løsning
--   kan gemme sig der: åbn dem manuelt, eller konvertér dem og kør discover igen.
-- columns:
--   path      stien i forhold til den gennemsøgte mappe ('arkiv.zip!fil' for filer i zip-filer)
--   status    error (fejl), unsupported (ikke understøttet) eller no_text (ingen tekst)
--   error     hvorfor det ikke kunne læses, og hvad man kan gøre
--   system    det system dokumentet er arkiveret under, hvis nogen
--   root      den gennemsøgte mappe (eller hjemmesiden for hentede dokumenter)
--   size      filens størrelse i bytes
SELECT path, status, error, system, root, size
FROM document_findings
WHERE status IN ('error', 'unsupported', 'no_text')
ORDER BY status, path;
