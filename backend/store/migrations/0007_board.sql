-- Board, search, saved views and the reply script library (issue 6).

-- A supervisor's named board filter. filter_json is a board.Filter; owner is the person's username.
CREATE TABLE saved_views (
    id          INTEGER PRIMARY KEY,
    owner       TEXT NOT NULL,
    name        TEXT NOT NULL,
    filter_json TEXT NOT NULL DEFAULT '{}',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (owner, name)
);

-- The reply script library. Defaults come from assets/rules/replies.json (the seed manuals' approved
-- phrasings) and are inserted once; edits are kept (is_default becomes 0) and never overwritten by a
-- later start. Deleting a script hides it (deleted_at) so that replies recorded with it stay explained.
CREATE TABLE reply_scripts (
    id          INTEGER PRIMARY KEY,
    script_key  TEXT NOT NULL UNIQUE,
    category    TEXT NOT NULL,
    lang        TEXT NOT NULL CHECK (lang IN ('zh-CN', 'en')),
    title       TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    source      TEXT NOT NULL DEFAULT '',   -- seed manual and section it was taken from
    is_default  INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL DEFAULT '',
    deleted_at  TEXT
);

-- Board windows: each column is (status, level) ordered by last activity. The expression matches the
-- ORDER BY of store/board.go and store/cases.go so SQLite walks the index instead of sorting.
CREATE INDEX cases_board ON cases(status, level, COALESCE(last_message_at, opened_at) DESC, id DESC);
CREATE INDEX cases_status_activity ON cases(status, COALESCE(last_message_at, opened_at) DESC, id DESC);
CREATE INDEX cases_activity ON cases(COALESCE(last_message_at, opened_at) DESC, id DESC);
CREATE INDEX cases_type ON cases(type, subtype);
-- Filters that usually come with "open cases only": lead with status so the open slice is read, not
-- every case of that owner or type; regulator matters are few, so a partial index holds just them.
CREATE INDEX cases_status_type ON cases(status, type);
CREATE INDEX cases_status_owner ON cases(status, owner_id);
CREATE INDEX cases_regulator ON cases(status) WHERE is_regulator = 1;
CREATE INDEX cases_opened ON cases(opened_at);
CREATE INDEX case_flags_flag ON case_flags(flag, case_id);
CREATE INDEX raw_items_case_source ON raw_items(case_id, source_id);
CREATE INDEX case_events_occurred ON case_events(occurred_at);

-- Full-text search (SQLite FTS5, trigram tokenizer: any substring of 3+ characters matches, which is
-- what Chinese needs since it has no spaces between words). Case titles and order numbers index from
-- the cases table (external content). Timeline text goes to a contentless index whose rowid is
-- (case_id << 32) | event_id, so a hit names its case without reading a single event row: searching
-- a million events is then a walk of the index alone. Triggers keep both in step with every writer of
-- cases and case_events, whichever package it is. SQLite-only DDL: a PostgreSQL port replaces this
-- block with pg_trgm indexes.
CREATE VIRTUAL TABLE case_title_fts USING fts5(title, order_no, content='cases', content_rowid='id', tokenize='trigram');
INSERT INTO case_title_fts(case_title_fts) VALUES ('rebuild');
CREATE TRIGGER cases_fts_ai AFTER INSERT ON cases BEGIN
    INSERT INTO case_title_fts(rowid, title, order_no) VALUES (new.id, new.title, new.order_no);
END;
CREATE TRIGGER cases_fts_ad AFTER DELETE ON cases BEGIN
    INSERT INTO case_title_fts(case_title_fts, rowid, title, order_no) VALUES ('delete', old.id, old.title, old.order_no);
END;
CREATE TRIGGER cases_fts_au AFTER UPDATE OF title, order_no ON cases BEGIN
    INSERT INTO case_title_fts(case_title_fts, rowid, title, order_no) VALUES ('delete', old.id, old.title, old.order_no);
    INSERT INTO case_title_fts(rowid, title, order_no) VALUES (new.id, new.title, new.order_no);
END;

CREATE VIRTUAL TABLE case_event_fts USING fts5(summary, body_text, content='', contentless_delete=1, tokenize='trigram');
INSERT INTO case_event_fts(rowid, summary, body_text) SELECT (case_id << 32) | id, summary, body_text FROM case_events;
CREATE TRIGGER case_events_fts_ai AFTER INSERT ON case_events BEGIN
    INSERT INTO case_event_fts(rowid, summary, body_text) VALUES ((new.case_id << 32) | new.id, new.summary, new.body_text);
END;
CREATE TRIGGER case_events_fts_ad AFTER DELETE ON case_events BEGIN
    DELETE FROM case_event_fts WHERE rowid = (old.case_id << 32) | old.id;
END;
-- Re-linking an event to another case moves its index entry too.
CREATE TRIGGER case_events_fts_au AFTER UPDATE OF case_id, summary, body_text ON case_events BEGIN
    DELETE FROM case_event_fts WHERE rowid = (old.case_id << 32) | old.id;
    INSERT INTO case_event_fts(rowid, summary, body_text) VALUES ((new.case_id << 32) | new.id, new.summary, new.body_text);
END;
