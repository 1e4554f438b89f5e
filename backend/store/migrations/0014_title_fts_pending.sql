-- Case titles reach the full-text index when their transaction commits, as timeline entries do since
-- migration 0011 (issue 3). FTS5 flushes its pending terms at every statement savepoint, so the insert
-- trigger's entry for a new case was written out by the very next statement of a sync's batch: one
-- index segment per new case, which FTS5 then kept merging (a fifth of a sync's commit time). The
-- triggers now only note the case; Store.Tx indexes what is noted just before it commits (search.go),
-- so a title is searchable the moment the case is visible to anyone. As in 0012, contentless_delete
-- makes dropping a rowid the index does not hold a no-op. SQLite-only, like migrations 0007 and 0012.
CREATE TABLE fts_pending_cases (case_id INTEGER PRIMARY KEY);
DROP TRIGGER cases_fts_ai;
DROP TRIGGER cases_fts_ad;
DROP TRIGGER cases_fts_au;
CREATE TRIGGER cases_fts_ai AFTER INSERT ON cases BEGIN
    INSERT INTO fts_pending_cases(case_id) VALUES (new.id);
END;
CREATE TRIGGER cases_fts_ad AFTER DELETE ON cases BEGIN
    DELETE FROM case_title_fts WHERE rowid = old.id AND NOT EXISTS (SELECT 1 FROM fts_pending_cases WHERE case_id = old.id);
    DELETE FROM fts_pending_cases WHERE case_id = old.id;
END;
CREATE TRIGGER cases_fts_au AFTER UPDATE OF title, order_no ON cases BEGIN
    DELETE FROM case_title_fts WHERE rowid = old.id AND NOT EXISTS (SELECT 1 FROM fts_pending_cases WHERE case_id = old.id);
    INSERT OR IGNORE INTO fts_pending_cases(case_id) VALUES (new.id);
END;
