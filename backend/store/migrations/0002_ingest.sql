-- Ingest / IMAP (issue 3). Extends the 0001 tables rather than duplicating them.

-- last_uid is the UID high-water mark: every message with UID <= last_uid under the recorded uidvalidity
-- has been committed (ingested, quarantined or recorded as a duplicate) in the same transaction that
-- moved the mark, so a crash can never skip a message or ingest one twice.
ALTER TABLE source_folders ADD COLUMN last_uid INTEGER NOT NULL DEFAULT 0;
ALTER TABLE source_folders ADD COLUMN quarantined_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE source_folders ADD COLUMN duplicate_count INTEGER NOT NULL DEFAULT 0;

-- Quarantined items can be retried after an upgrade; attempts counts parses.
ALTER TABLE raw_items ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
ALTER TABLE raw_items ADD COLUMN retried_at TEXT;

-- Dedupe across UIDVALIDITY resets and folder copies: same Message-ID and same bytes = same message.
CREATE INDEX raw_items_dedupe ON raw_items(sha256, message_id);
CREATE INDEX raw_items_case ON raw_items(case_id);
CREATE INDEX attachments_raw ON attachments(raw_item_id);
CREATE INDEX cases_work_order ON cases(work_order_no);
