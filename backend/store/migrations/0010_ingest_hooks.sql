-- Ingest (issue 3): cases whose after-commit hook (the case engine's refresh) has not run yet. A row is
-- written in the same transaction as the message that changed the case and deleted once the hook ran, so
-- a crash between the two is caught up by the next sync instead of leaving a case unclassified.
CREATE TABLE ingest_pending_hooks (
    case_id   INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    queued_at TEXT NOT NULL
);
