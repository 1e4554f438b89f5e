-- Search reads the timeline index of the cases it can show (issue 6).
--
-- The board shows open and pending cases, a small share of a workspace that keeps years of closed ones,
-- yet a term's hits were read from every case's timeline and then mostly thrown away. Timeline text is
-- now indexed in two tables by the status of its case: case_event_open_fts (open, pending) and
-- case_event_closed_fts (resolved, closed). A status change that crosses the line moves the case's
-- entries; a search over open cases reads only the first table, one over all cases reads both.
--
-- Every indexed column ends with a space that is not in the stored text. Two-character terms ("奶粉")
-- are answered from the trigrams that begin with them (the fts5vocab tables below), and the space makes
-- every occurrence, even one at the very end of a text, the start of a trigram. No term holds a space
-- (whitespace separates terms), so the extra trigrams match nothing else.
--
-- Rowids and the deferred indexing of migration 0011 stay: an event's entry is (case_id << 32) | id,
-- Store.Tx indexes the events noted in fts_pending just before it commits (search.go), each into the
-- table of its case's status at that moment, and the case engine's bookkeeping (actor 'engine') is left
-- out. contentless_delete lets a trigger drop an entry by rowid, and dropping a rowid the table does not
-- hold does nothing, so triggers delete from both tables rather than look up which one holds it.
-- SQLite-only DDL, like migrations 0007 and 0011.

DROP TRIGGER cases_fts_ai;
DROP TRIGGER cases_fts_ad;
DROP TRIGGER cases_fts_au;
DROP TRIGGER case_events_fts_ai;
DROP TRIGGER case_events_fts_ad;
DROP TRIGGER case_events_fts_au;
DROP TABLE case_title_fts;
DROP TABLE case_event_fts;

CREATE VIRTUAL TABLE case_title_fts USING fts5(title, order_no, content='', contentless_delete=1, tokenize='trigram');
INSERT INTO case_title_fts(rowid, title, order_no) SELECT id, title || ' ', order_no || ' ' FROM cases;
CREATE TRIGGER cases_fts_ai AFTER INSERT ON cases BEGIN
    INSERT INTO case_title_fts(rowid, title, order_no) VALUES (new.id, new.title || ' ', new.order_no || ' ');
END;
CREATE TRIGGER cases_fts_ad AFTER DELETE ON cases BEGIN
    DELETE FROM case_title_fts WHERE rowid = old.id;
END;
CREATE TRIGGER cases_fts_au AFTER UPDATE OF title, order_no ON cases BEGIN
    DELETE FROM case_title_fts WHERE rowid = old.id;
    INSERT INTO case_title_fts(rowid, title, order_no) VALUES (new.id, new.title || ' ', new.order_no || ' ');
END;

CREATE VIRTUAL TABLE case_event_open_fts USING fts5(summary, body_text, content='', contentless_delete=1, tokenize='trigram');
CREATE VIRTUAL TABLE case_event_closed_fts USING fts5(summary, body_text, content='', contentless_delete=1, tokenize='trigram');
-- As migration 0011 set for the table these replace: a commit's terms are gathered up to 8 MiB and written
-- as one segment.
INSERT INTO case_event_open_fts(case_event_open_fts, rank) VALUES ('hashsize', 8388608);
INSERT INTO case_event_closed_fts(case_event_closed_fts, rank) VALUES ('hashsize', 8388608);
-- In rowid order: FTS5 writes a new segment whenever a rowid is lower than the one before it.
INSERT INTO case_event_open_fts(rowid, summary, body_text)
    SELECT (e.case_id << 32) | e.id, e.summary || ' ', e.body_text || ' ' FROM cases c JOIN case_events e ON e.case_id = c.id
    WHERE c.status IN ('open', 'pending') AND e.actor IS NOT 'engine' ORDER BY 1;
INSERT INTO case_event_closed_fts(rowid, summary, body_text)
    SELECT (e.case_id << 32) | e.id, e.summary || ' ', e.body_text || ' ' FROM cases c JOIN case_events e ON e.case_id = c.id
    WHERE c.status NOT IN ('open', 'pending') AND e.actor IS NOT 'engine' ORDER BY 1;
-- Everything is indexed now, including entries written outside Store.Tx that were still waiting.
DELETE FROM fts_pending;

-- The terms of each index, for two-character searches (term >= prefix AND term <= prefix || U+10FFFF).
CREATE VIRTUAL TABLE case_title_terms USING fts5vocab(case_title_fts, row);
CREATE VIRTUAL TABLE case_event_open_terms USING fts5vocab(case_event_open_fts, row);
CREATE VIRTUAL TABLE case_event_closed_terms USING fts5vocab(case_event_closed_fts, row);

-- As in 0011: the insert only notes the event; an entry still pending is in neither table, and one of
-- the engine's is in none.
CREATE TRIGGER case_events_fts_ai AFTER INSERT ON case_events WHEN new.actor IS NOT 'engine' BEGIN
    INSERT INTO fts_pending(event_id) VALUES (new.id);
END;
CREATE TRIGGER case_events_fts_ad AFTER DELETE ON case_events WHEN old.actor IS NOT 'engine' BEGIN
    DELETE FROM case_event_open_fts WHERE rowid = (old.case_id << 32) | old.id;
    DELETE FROM case_event_closed_fts WHERE rowid = (old.case_id << 32) | old.id;
    DELETE FROM fts_pending WHERE event_id = old.id;
END;
CREATE TRIGGER case_events_fts_au AFTER UPDATE OF case_id, summary, body_text ON case_events WHEN old.actor IS NOT 'engine' BEGIN
    DELETE FROM case_event_open_fts WHERE rowid = (old.case_id << 32) | old.id;
    DELETE FROM case_event_closed_fts WHERE rowid = (old.case_id << 32) | old.id;
    INSERT OR IGNORE INTO fts_pending(event_id) VALUES (new.id);
END;

-- A case that closes or reopens takes its indexed entries to the other table (pending ones are placed
-- when they are indexed).
CREATE TRIGGER cases_fts_close AFTER UPDATE OF status ON cases
WHEN old.status IN ('open', 'pending') AND new.status NOT IN ('open', 'pending') BEGIN
    DELETE FROM case_event_open_fts WHERE rowid IN (SELECT (case_id << 32) | id FROM case_events WHERE case_id = new.id AND actor IS NOT 'engine');
    INSERT INTO case_event_closed_fts(rowid, summary, body_text)
        SELECT (e.case_id << 32) | e.id, e.summary || ' ', e.body_text || ' ' FROM case_events e
        WHERE e.case_id = new.id AND e.actor IS NOT 'engine' AND NOT EXISTS (SELECT 1 FROM fts_pending p WHERE p.event_id = e.id) ORDER BY 1;
END;
CREATE TRIGGER cases_fts_reopen AFTER UPDATE OF status ON cases
WHEN old.status NOT IN ('open', 'pending') AND new.status IN ('open', 'pending') BEGIN
    DELETE FROM case_event_closed_fts WHERE rowid IN (SELECT (case_id << 32) | id FROM case_events WHERE case_id = new.id AND actor IS NOT 'engine');
    INSERT INTO case_event_open_fts(rowid, summary, body_text)
        SELECT (e.case_id << 32) | e.id, e.summary || ' ', e.body_text || ' ' FROM case_events e
        WHERE e.case_id = new.id AND e.actor IS NOT 'engine' AND NOT EXISTS (SELECT 1 FROM fts_pending p WHERE p.event_id = e.id) ORDER BY 1;
END;
