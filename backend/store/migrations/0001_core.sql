-- Core domain model v1. Later migrations extend it (see docs/CONVENTIONS.md for reserved numbers).
-- Times are TEXT in UTC (store.TimeFormat); money is INTEGER fen.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- A source is anything that feeds raw items: an IMAP account, a helpdesk, an import file, a letters folder.
CREATE TABLE sources (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('imap', 'rt', 'import', 'letters', 'demo')),
    name        TEXT NOT NULL UNIQUE,
    config_json TEXT NOT NULL DEFAULT '{}',   -- never secrets: those live in the keyring / secret file
    enabled     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    last_run_at TEXT,
    last_error  TEXT NOT NULL DEFAULT ''
);

-- IMAP folders (and other sub-feeds) with the role their items play.
CREATE TABLE source_folders (
    id             INTEGER PRIMARY KEY,
    source_id      INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('complaints', 'regulator')),
    uidvalidity    INTEGER NOT NULL DEFAULT 0,
    uidnext        INTEGER NOT NULL DEFAULT 0,
    highest_modseq INTEGER NOT NULL DEFAULT 0,
    last_sync_at   TEXT,
    last_error     TEXT NOT NULL DEFAULT '',
    message_count  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (source_id, name)
);

CREATE TABLE customers (
    id           INTEGER PRIMARY KEY,
    display_name TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL DEFAULT '',  -- PII: masked in views/exports unless the role needs it
    address      TEXT NOT NULL DEFAULT '',  -- PII
    id_number    TEXT NOT NULL DEFAULT '',  -- PII
    vulnerable   INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL
);
CREATE INDEX customers_email ON customers(email);

CREATE TABLE orders (
    id           INTEGER PRIMARY KEY,
    order_no     TEXT NOT NULL UNIQUE,
    platform     TEXT NOT NULL DEFAULT '',   -- jd | taobao | tmall | pdd | generic
    customer_id  INTEGER REFERENCES customers(id),
    sku          TEXT NOT NULL DEFAULT '',
    product_name TEXT NOT NULL DEFAULT '',
    batch_no     TEXT NOT NULL DEFAULT '',
    amount_fen   INTEGER NOT NULL DEFAULT 0,
    ordered_at   TEXT
);

CREATE TABLE people (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('supervisor', 'legal', 'manager', 'admin')),
    password_hash TEXT NOT NULL DEFAULT '',
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);

CREATE TABLE incidents (
    id          INTEGER PRIMARY KEY,
    incident_key TEXT NOT NULL UNIQUE,       -- e.g. batch:AB2026 or sku:123
    title       TEXT NOT NULL,
    level       INTEGER NOT NULL DEFAULT 1,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'contained', 'closed')),
    owner_id    INTEGER REFERENCES people(id),
    opened_at   TEXT NOT NULL,
    closed_at   TEXT
);

CREATE TABLE cases (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL,
    type            TEXT NOT NULL DEFAULT 'unknown',   -- product | logistics | service | unknown
    subtype         TEXT NOT NULL DEFAULT '',
    level           INTEGER NOT NULL DEFAULT 0,        -- 0 unknown, 1 most severe .. 3
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending', 'resolved', 'closed')),
    owner_id        INTEGER REFERENCES people(id),
    customer_id     INTEGER REFERENCES customers(id),
    order_no        TEXT NOT NULL DEFAULT '',
    incident_id     INTEGER REFERENCES incidents(id),
    is_regulator    INTEGER NOT NULL DEFAULT 0,
    work_order_no   TEXT NOT NULL DEFAULT '',          -- 12315 工单号
    stated_deadline TEXT,                               -- reply deadline stated in a regulator letter
    opened_at       TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    last_message_at TEXT,
    message_count   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX cases_level_status ON cases(status, level);
CREATE INDEX cases_owner ON cases(owner_id);
CREATE INDEX cases_order ON cases(order_no);
CREATE INDEX cases_customer ON cases(customer_id);
CREATE INDEX cases_incident ON cases(incident_id);

-- Risk flags with the evidence that raised them (matched words, amounts).
CREATE TABLE case_flags (
    case_id  INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    flag     TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (case_id, flag)
);

-- Every ingested email / ticket transaction / letter / import row, with its source identity.
-- The raw bytes live in the blob store under sha256.
CREATE TABLE raw_items (
    id           INTEGER PRIMARY KEY,
    source_id    INTEGER NOT NULL REFERENCES sources(id),
    folder       TEXT NOT NULL DEFAULT '',
    uidvalidity  INTEGER NOT NULL DEFAULT 0,
    external_id  TEXT NOT NULL,              -- IMAP UID, "ticket:txn", file row ...
    kind         TEXT NOT NULL CHECK (kind IN ('email', 'ticket', 'letter', 'import')),
    message_id   TEXT NOT NULL DEFAULT '',
    sha256       TEXT NOT NULL,
    size         INTEGER NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('ingested', 'quarantined', 'duplicate')),
    error        TEXT NOT NULL DEFAULT '',
    case_id      INTEGER REFERENCES cases(id),
    received_at  TEXT,
    ingested_at  TEXT NOT NULL,
    UNIQUE (source_id, folder, uidvalidity, external_id)
);
CREATE INDEX raw_items_message_id ON raw_items(message_id);
CREATE INDEX raw_items_sha ON raw_items(sha256);
CREATE INDEX raw_items_status ON raw_items(status);

-- The case timeline: messages, notes, decisions, status and level changes, clock pauses...
CREATE TABLE case_events (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,        -- email | ticket | letter | import | note | reply | status | level | owner | decision | clock_pause | clock_resume ...
    channel     TEXT NOT NULL DEFAULT '',  -- email | helpdesk | regulator | import | internal
    raw_item_id INTEGER REFERENCES raw_items(id),
    actor       TEXT NOT NULL DEFAULT '',
    occurred_at TEXT NOT NULL,
    summary     TEXT NOT NULL DEFAULT '',
    body_text   TEXT NOT NULL DEFAULT '',
    body_html   TEXT NOT NULL DEFAULT '',  -- sanitised only when shown
    link_reason TEXT NOT NULL DEFAULT '',  -- why this item joined this case
    data_json   TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX case_events_case ON case_events(case_id, occurred_at);

-- Message-ID, In-Reply-To and References for threading.
CREATE TABLE message_refs (
    message_id TEXT NOT NULL PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE
);

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    raw_item_id  INTEGER NOT NULL REFERENCES raw_items(id),
    case_id      INTEGER REFERENCES cases(id),
    filename     TEXT NOT NULL DEFAULT '',  -- display name only; never used as a path
    content_type TEXT NOT NULL DEFAULT '',
    content_id   TEXT NOT NULL DEFAULT '',
    sha256       TEXT NOT NULL,
    size         INTEGER NOT NULL
);
CREATE INDEX attachments_case ON attachments(case_id);

-- Append-only. The hash chain columns are filled by the audit package (migration 0005 may extend).
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL DEFAULT '',
    detail_json TEXT NOT NULL DEFAULT '{}',
    prev_hash   TEXT NOT NULL DEFAULT '',
    hash        TEXT NOT NULL DEFAULT ''
);
