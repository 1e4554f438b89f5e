-- Case engine (issue 5): versioned rule sets, classification results with their explanation, manual
-- overrides, incident keys and checklists, trend alerts, clocks, shifts and handovers.

-- A rule set is saved whole, as JSON, with a new version each time (never updated in place). The
-- shipped defaults (assets/rules) are version 0 and live in the binary, not here.
CREATE TABLE rule_sets (
    version        INTEGER PRIMARY KEY,
    effective_from TEXT NOT NULL,          -- YYYY-MM-DD, local date
    body_json      TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    created_by     TEXT NOT NULL,
    created_at     TEXT NOT NULL
);

-- What the classifier decided (before overrides) and why; input_hash makes refreshes idempotent.
CREATE TABLE case_classification (
    case_id       INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    type          TEXT NOT NULL,
    subtype       TEXT NOT NULL DEFAULT '',
    level         INTEGER NOT NULL,
    result_json   TEXT NOT NULL,
    rule_version  INTEGER NOT NULL,
    input_hash    TEXT NOT NULL,
    classified_at TEXT NOT NULL
);

-- Incident keys of each case (batch:..., sku:..., product:...) with the customer, for distinct counts.
CREATE TABLE case_keys (
    case_id      INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    customer_key TEXT NOT NULL,
    at           TEXT NOT NULL,
    PRIMARY KEY (case_id, key)
);
CREATE INDEX case_keys_key ON case_keys(key, at);

-- A supervisor's override of the engine, with the reason. The newest uncleared row per field wins.
CREATE TABLE case_overrides (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    field      TEXT NOT NULL CHECK (field IN ('level', 'type', 'subtype', 'flags')),
    value      TEXT NOT NULL,
    reason     TEXT NOT NULL,
    actor      TEXT NOT NULL,
    at         TEXT NOT NULL,
    cleared_at TEXT,
    cleared_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_overrides_case ON case_overrides(case_id, field, at);

-- The clocks a case carries, as last computed (states change with time: readers replay them).
CREATE TABLE case_clocks (
    case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    clock_id    TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    due_at      TEXT,
    state       TEXT NOT NULL,
    percent     INTEGER NOT NULL DEFAULT 0,
    why         TEXT NOT NULL DEFAULT '',
    computed_at TEXT NOT NULL,
    PRIMARY KEY (case_id, clock_id)
);
CREATE INDEX case_clocks_due ON case_clocks(state, due_at);

ALTER TABLE incidents ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN customers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN window_start TEXT;

CREATE TABLE incident_checklist (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    item_id     TEXT NOT NULL,
    done_at     TEXT,
    done_by     TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (incident_id, item_id)
);

CREATE TABLE trend_alerts (
    id              INTEGER PRIMARY KEY,
    day             TEXT NOT NULL,          -- local date
    subtype         TEXT NOT NULL,
    count           INTEGER NOT NULL,
    total           INTEGER NOT NULL,
    percent         INTEGER NOT NULL,
    response        TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by TEXT NOT NULL DEFAULT '',
    UNIQUE (day, subtype)
);

-- The roster: who supervises which shift (and which manager unacknowledged handovers go to).
CREATE TABLE shifts (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    starts_at     TEXT NOT NULL,
    ends_at       TEXT NOT NULL,
    supervisor_id INTEGER NOT NULL REFERENCES people(id),
    manager_id    INTEGER REFERENCES people(id),
    created_at    TEXT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX shifts_time ON shifts(starts_at, ends_at);

-- One handover per shift change: the outgoing supervisor signs off with notes and the list of open
-- level-1/2 cases and incidents; the incoming one acknowledges; unacknowledged ones escalate.
CREATE TABLE handovers (
    id              INTEGER PRIMARY KEY,
    from_shift_id   INTEGER REFERENCES shifts(id),
    to_shift_id     INTEGER REFERENCES shifts(id),
    outgoing_id     INTEGER NOT NULL REFERENCES people(id),
    incoming_id     INTEGER NOT NULL REFERENCES people(id),
    notes           TEXT NOT NULL DEFAULT '',
    items_json      TEXT NOT NULL DEFAULT '[]',
    created_at      TEXT NOT NULL,
    signed_at       TEXT,
    acknowledged_at TEXT,
    ack_note        TEXT NOT NULL DEFAULT '',
    escalated_at    TEXT,
    escalated_to    INTEGER REFERENCES people(id)
);
CREATE INDEX handovers_open ON handovers(acknowledged_at, signed_at);
