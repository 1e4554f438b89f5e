-- Timeline entries reach the full-text index when their transaction commits, not row by row (issue 3).
-- FTS5 flushes its pending terms to disk at every statement savepoint, so indexing each event as it was
-- inserted wrote one small index segment per message (and merged them again): a quarter of a sync's
-- commit time. The insert trigger now only notes the event here; Store.Tx indexes what is noted in one
-- INSERT ... SELECT just before it commits (search.go), so a transaction's own writes are searchable
-- the moment they are visible to anyone. The case engine's own entries (level changes, automatic
-- assignment, incident links: actor 'engine') are left out of the index: they are bookkeeping, not what
-- anyone searches for, and indexing one per refreshed case kept FTS5 merging its segments. SQLite-only,
-- like migration 0007.
CREATE TABLE fts_pending (event_id INTEGER PRIMARY KEY);
-- A commit's terms are gathered in memory up to 8 MiB (FTS5's default is 1 MiB) and written as one
-- segment: a sync commits a few hundred messages at a time.
INSERT INTO case_event_fts(case_event_fts, rank) VALUES ('hashsize', 8388608);
DELETE FROM case_event_fts WHERE rowid IN (SELECT (case_id << 32) | id FROM case_events WHERE actor = 'engine');

DROP TRIGGER case_events_fts_ai;
CREATE TRIGGER case_events_fts_ai AFTER INSERT ON case_events WHEN new.actor IS NOT 'engine' BEGIN
    INSERT INTO fts_pending(event_id) VALUES (new.id);
END;

-- An entry still pending is not in the index yet: only indexed ones are deleted from it.
DROP TRIGGER case_events_fts_ad;
CREATE TRIGGER case_events_fts_ad AFTER DELETE ON case_events WHEN old.actor IS NOT 'engine' BEGIN
    DELETE FROM case_event_fts WHERE rowid = (old.case_id << 32) | old.id
        AND NOT EXISTS (SELECT 1 FROM fts_pending WHERE event_id = old.id);
    DELETE FROM fts_pending WHERE event_id = old.id;
END;

DROP TRIGGER case_events_fts_au;
CREATE TRIGGER case_events_fts_au AFTER UPDATE OF case_id, summary, body_text ON case_events WHEN old.actor IS NOT 'engine' BEGIN
    DELETE FROM case_event_fts WHERE rowid = (old.case_id << 32) | old.id
        AND NOT EXISTS (SELECT 1 FROM fts_pending WHERE event_id = old.id);
    INSERT OR IGNORE INTO fts_pending(event_id) VALUES (new.id);
END;
