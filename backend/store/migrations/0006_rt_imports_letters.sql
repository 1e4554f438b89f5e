-- Request Tracker, file imports and the regulator letters folder (issue 4).

-- Where an RT pull resumes: the LastUpdated second of the newest ticket handled without error. The pull
-- re-reads that second (">=") and raw_items' (source, external id = "ticket:txn") key drops repeats.
CREATE TABLE rt_cursors (
    source_id    INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
    last_updated TEXT,
    tickets      INTEGER NOT NULL DEFAULT 0,  -- tickets read by the last run
    entries      INTEGER NOT NULL DEFAULT 0,  -- timeline entries added by the last run
    updated_at   TEXT NOT NULL
);

-- One imported file. The file itself is in the blob store under sha256.
CREATE TABLE imports (
    id             INTEGER PRIMARY KEY,
    source_id      INTEGER NOT NULL REFERENCES sources(id),
    filename       TEXT NOT NULL,      -- display name only
    sha256         TEXT NOT NULL,
    size           INTEGER NOT NULL,
    format         TEXT NOT NULL,      -- csv | xlsx | json
    encoding       TEXT NOT NULL DEFAULT '',
    preset         TEXT NOT NULL,
    mapping_json   TEXT NOT NULL DEFAULT '{}',
    rows_total     INTEGER NOT NULL DEFAULT 0,
    rows_imported  INTEGER NOT NULL DEFAULT 0,
    rows_duplicate INTEGER NOT NULL DEFAULT 0,
    rows_bad       INTEGER NOT NULL DEFAULT 0,
    status         TEXT NOT NULL DEFAULT 'done' CHECK (status IN ('done', 'undone')),
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL DEFAULT '',
    undone_at      TEXT,
    undone_by      TEXT NOT NULL DEFAULT ''
);

-- Every row of an import with its outcome; bad rows keep their cells and the reason.
CREATE TABLE import_rows (
    import_id   INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    row_no      INTEGER NOT NULL,       -- as the user sees it in the sheet (header = row 1)
    status      TEXT NOT NULL CHECK (status IN ('imported', 'duplicate', 'bad', 'undone')),
    reason      TEXT NOT NULL DEFAULT '',
    cells_json  TEXT NOT NULL DEFAULT '[]',
    external_id TEXT NOT NULL DEFAULT '',
    raw_item_id INTEGER,                -- no FK: undo deletes the raw item and keeps this history row
    case_id     INTEGER,
    new_case    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (import_id, row_no)
);

-- A file found in the letters folder, with what was read from it and proposed for the user to confirm.
CREATE TABLE letters (
    id                   INTEGER PRIMARY KEY,
    source_id            INTEGER NOT NULL REFERENCES sources(id),
    filename             TEXT NOT NULL,   -- display name only; never used as a path
    sha256               TEXT NOT NULL,
    size                 INTEGER NOT NULL,
    format               TEXT NOT NULL,   -- pdf | eml | docx | image | text
    text                 TEXT NOT NULL DEFAULT '',
    text_status          TEXT NOT NULL CHECK (text_status IN ('text', 'no_text', 'error')),
    note                 TEXT NOT NULL DEFAULT '',
    work_order_no        TEXT NOT NULL DEFAULT '',
    office               TEXT NOT NULL DEFAULT '',
    received_on          TEXT,
    stated_deadline      TEXT,
    deadline_text        TEXT NOT NULL DEFAULT '',
    status               TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'filed', 'dismissed')),
    case_id              INTEGER REFERENCES cases(id),
    raw_item_id          INTEGER REFERENCES raw_items(id),
    found_at             TEXT NOT NULL,
    decided_at           TEXT,
    decided_by           TEXT NOT NULL DEFAULT '',
    UNIQUE (source_id, sha256)
);
CREATE INDEX letters_status ON letters(status);
