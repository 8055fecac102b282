-- web_current_crawls: the latest finished crawl of each start URL (what the website views and the
-- web candidates use; older crawls stay in the tables for history).
--
--   run_id           the crawl's run (runs.kind = 'crawl')
--   start_url        where the crawl started
--   allowed_domains  the domains it stayed within
--   max_pages, max_depth, documents   the limits and options it ran with
CREATE OR REPLACE VIEW web_current_crawls AS
SELECT c.run_id, c.start_url, c.allowed_domains, c.max_pages, c.max_depth, c.documents
FROM web_crawls c
JOIN runs r ON r.run_id = c.run_id
WHERE r.status = 'finished'
QUALIFY row_number() OVER (PARTITION BY c.start_url ORDER BY c.run_id DESC) = 1;

-- web_findings: one row per candidate self-service link found by the crawler (latest crawls).
--
-- Link to the inventory: the web candidates (tuscan/web/candidates.py) emit one Evidence per
-- distinct link *target*, with source_kind = 'web', source_ref = the first page linking to it and
-- term = the target URL. The system of a link is therefore found through
-- system_evidence.term = target_url (a footer link on 100 pages is one piece of evidence, not 100).
--
--   page_url        the crawled page the link is on
--   link_text       the link's text (or aria-label/title/image alt), whitespace-collapsed
--   target_url      where the link points (absolute, no fragment)
--   target_host     the target's host name
--   login_verified  true when the one request to the target showed a NemLog-in/MitID login (a
--                   redirect or form to NemLog-in, a SAML AuthnRequest, a "Log ind med MitID"
--                   button); false when it did not; NULL when it could not be checked (unreachable,
--                   timeout, robots.txt) or was not checked (links to NemLog-in/MitID themselves)
--   verification    why: what showed the login, or why it is not one, or what went wrong
--   system          the inventory system the target was attributed to, or NULL
--   category        that system's category (own, shared, common_public, not_tu, unknown)
--   on_site         the target is within the crawl's allowed domains (the municipality's own)
--   reason          what made the link a candidate: 'text: Log ind', 'host: renoweb.dk', or both
--   run_id          the crawl run that found it
CREATE OR REPLACE VIEW web_findings AS
WITH web_systems AS (
    SELECT e.term AS target_url, min(s.system) AS system, min(s.category) AS category
    FROM system_evidence e
    JOIN systems s ON s.system_id = e.system_id
    WHERE e.source_kind = 'web' AND e.term IS NOT NULL
    GROUP BY e.term
)
SELECT l.page_url, l.link_text, l.target_url, l.target_host, v.login_verified,
       coalesce(v.evidence || coalesce(' (' || v.error || ')', ''),
                'not checked') AS verification,
       ws.system, ws.category, l.on_site, l.reason, l.run_id
FROM web_links l
JOIN web_current_crawls c ON c.run_id = l.run_id
LEFT JOIN web_verifications v ON v.run_id = l.run_id AND v.target_url = l.target_url
LEFT JOIN web_systems ws ON ws.target_url = l.target_url
ORDER BY l.page_url, l.target_url;
