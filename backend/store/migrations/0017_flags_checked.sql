-- A server without CONDSTORE cannot say which flags changed since the last pass, so a sync lists every
-- mirrored message's flags from time to time instead (issue 3). This is when it last did, per folder:
-- NULL until the first listing, and again after a UIDVALIDITY reset, when the mirror starts over.
ALTER TABLE source_folders ADD COLUMN flags_checked_at TEXT;
-- \Recent says only which connection saw a message first; syncs no longer record it, and a stored one
-- would count as a change at the next listing.
UPDATE raw_items SET mail_flags = TRIM(REPLACE(' ' || mail_flags || ' ', ' \Recent ', ' ')) WHERE mail_flags LIKE '%\Recent%';
