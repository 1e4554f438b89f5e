-- What the mailbox says now about each mirrored message (issue 3, CONDSTORE): its flags (\Seen, \Answered,
-- \Flagged, keywords) and when a sync found it gone from its folder. Cockpit never changes either on the
-- server; the timeline shows them, so a supervisor sees that a colleague answered from the shared mailbox,
-- or that the original was deleted there while Cockpit's copy and its hash stay.
ALTER TABLE raw_items ADD COLUMN mail_flags TEXT NOT NULL DEFAULT '';
ALTER TABLE raw_items ADD COLUMN expunged_at TEXT;
-- How many of a folder's mirrored messages have been deleted on the server since (shown with its status).
ALTER TABLE source_folders ADD COLUMN removed_count INTEGER NOT NULL DEFAULT 0;

-- Earlier versions stored HIGHESTMODSEQ without recording any flags: start the flags over from a full
-- fetch, which the next sync does for a folder whose mark is 0.
UPDATE source_folders SET highest_modseq = 0;
