-- Evidence folders (per case or per incident) over the blob store, their chain-of-custody logs, and the
-- regulator-filing matters with their requirement checklists. Owned by backend/evidence and backend/filings.

CREATE TABLE evidence_items (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER REFERENCES cases(id),
    incident_id   INTEGER REFERENCES incidents(id),
    sha256        TEXT NOT NULL,               -- the original's bytes in the blob store; never rewritten
    size          INTEGER NOT NULL,
    content_type  TEXT NOT NULL DEFAULT 'application/octet-stream',
    kind          TEXT NOT NULL CHECK (kind IN ('email', 'ticket', 'letter', 'import', 'attachment', 'upload', 'redacted')),
    source        TEXT NOT NULL DEFAULT '',    -- raw_item:12 | attachment:7 | upload | redaction of evidence:3
    filename      TEXT NOT NULL DEFAULT '',    -- display name only; exports derive a safe name from it
    raw_item_id   INTEGER REFERENCES raw_items(id),
    attachment_id INTEGER REFERENCES attachments(id),
    derived_from  INTEGER REFERENCES evidence_items(id),
    note          TEXT NOT NULL DEFAULT '',
    captured_by   TEXT NOT NULL,
    captured_at   TEXT NOT NULL,
    CHECK (case_id IS NOT NULL OR incident_id IS NOT NULL)
);
-- The same bytes join a folder once, however often collection is retried.
CREATE UNIQUE INDEX evidence_items_case_sha ON evidence_items(case_id, sha256) WHERE case_id IS NOT NULL;
CREATE UNIQUE INDEX evidence_items_incident_sha ON evidence_items(incident_id, sha256) WHERE case_id IS NULL;
CREATE INDEX evidence_items_sha ON evidence_items(sha256);

-- Append-only, hash-chained per item: hash = SHA-256 over the entry and the previous entry's hash.
CREATE TABLE evidence_custody (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES evidence_items(id),
    seq         INTEGER NOT NULL,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('captured', 'viewed', 'exported', 'copied', 'redacted')),
    detail_json TEXT NOT NULL DEFAULT '{}',
    prev_hash   TEXT NOT NULL DEFAULT '',
    hash        TEXT NOT NULL,
    UNIQUE (item_id, seq)
);
-- The application never updates or deletes custody rows; these triggers make an accidental attempt fail
-- loudly. (SQLite syntax: the PostgreSQL port needs its own trigger function.) Deliberate tampering with
-- the file is what the hash chain and `evidence verify` catch.
CREATE TRIGGER evidence_custody_no_update BEFORE UPDATE ON evidence_custody
BEGIN SELECT RAISE(ABORT, 'evidence_custody is append-only'); END;
CREATE TRIGGER evidence_custody_no_delete BEFORE DELETE ON evidence_custody
BEGIN SELECT RAISE(ABORT, 'evidence_custody is append-only'); END;

-- A matter a regulator (or the platform's 12315 ODR channel) opened against the business for a case.
CREATE TABLE filing_matters (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    type          TEXT NOT NULL CHECK (type IN ('complaint_forwarded', 'odr_dispute', 'regulator_inquiry', 'mediation', 'recall_report')),
    title         TEXT NOT NULL DEFAULT '',
    regulator     TEXT NOT NULL DEFAULT '',   -- e.g. 杭州市西湖区市场监督管理局
    work_order_no TEXT NOT NULL DEFAULT '',   -- 12315 工单号
    received_at   TEXT NOT NULL,              -- decides the rule in force (Order 20 before 2026-04-15)
    owner_id      INTEGER REFERENCES people(id),
    owner         TEXT NOT NULL DEFAULT '',   -- the legal liaison's username
    status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'ready', 'submitted', 'replied', 'closed')),
    ready_at      TEXT,
    submitted_at  TEXT,
    replied_at    TEXT,
    closed_at     TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX filing_matters_case ON filing_matters(case_id);

-- Requirement checklist rows: a case's scenario checklist (matter_id NULL) or a matter's filing checklist.
CREATE TABLE checklist_items (
    id        INTEGER PRIMARY KEY,
    case_id   INTEGER NOT NULL REFERENCES cases(id),
    matter_id INTEGER REFERENCES filing_matters(id),
    template  TEXT NOT NULL,                 -- scenario:quality | matter:odr_dispute
    code      TEXT NOT NULL,
    label_zh  TEXT NOT NULL,
    label_en  TEXT NOT NULL,
    basis     TEXT NOT NULL DEFAULT '',
    grp       TEXT NOT NULL DEFAULT '',      -- items of one group satisfy each other
    required  INTEGER NOT NULL DEFAULT 1,
    position  INTEGER NOT NULL DEFAULT 0,
    signed_by TEXT NOT NULL DEFAULT '',
    signed_at TEXT,
    note      TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX checklist_items_case_code ON checklist_items(case_id, code) WHERE matter_id IS NULL;
CREATE UNIQUE INDEX checklist_items_matter_code ON checklist_items(matter_id, code) WHERE matter_id IS NOT NULL;
CREATE INDEX checklist_items_case ON checklist_items(case_id);

CREATE TABLE checklist_links (
    item_id     INTEGER NOT NULL REFERENCES checklist_items(id) ON DELETE CASCADE,
    evidence_id INTEGER NOT NULL REFERENCES evidence_items(id),
    linked_by   TEXT NOT NULL,
    linked_at   TEXT NOT NULL,
    PRIMARY KEY (item_id, evidence_id)
);
