-- People/auth, compensation and the audit chain (issue 8).

-- The audit log is append-only in the database too: any UPDATE or DELETE is refused. Someone with the
-- file can still drop these triggers; the hash chain (package audit) is what makes that visible.
CREATE INDEX audit_log_object ON audit_log(object_type, object_id);
CREATE INDEX audit_log_actor ON audit_log(actor, at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- Sign-in: failed attempts lock the account for a while (people.Service decides how long).
ALTER TABLE people ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN locked_until TEXT;
ALTER TABLE people ADD COLUMN password_changed_at TEXT;

-- Approval matrix, editable by an admin (every edit audited). A request is approved once, for some rule
-- that covers its type and amount, that many distinct people of that rule's role have approved it.
-- comp_type '' means any type; max_fen 0 means no upper limit.
CREATE TABLE approval_rules (
    id        INTEGER PRIMARY KEY,
    comp_type TEXT NOT NULL DEFAULT '',
    role      TEXT NOT NULL CHECK (role IN ('supervisor', 'legal', 'manager', 'admin')),
    max_fen   INTEGER NOT NULL DEFAULT 0 CHECK (max_fen >= 0),
    approvers INTEGER NOT NULL DEFAULT 1 CHECK (approvers BETWEEN 1 AND 5)
);
-- The defaults of issue 8: supervisors approve coupons up to 200 yuan, a manager anything up to
-- 5,000 yuan, two managers above that.
INSERT INTO approval_rules (comp_type, role, max_fen, approvers) VALUES
    ('coupon', 'supervisor', 20000, 1),
    ('', 'manager', 500000, 1),
    ('', 'manager', 0, 2);

CREATE TABLE compensation_requests (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    comp_type    TEXT NOT NULL CHECK (comp_type IN ('refund', 'partial_refund', 'replacement', 'coupon', 'cash', 'statutory_damages', 'price_protection')),
    amount_fen   INTEGER NOT NULL CHECK (amount_fen > 0),
    reason       TEXT NOT NULL,
    evidence_json TEXT NOT NULL DEFAULT '[]',  -- evidence item ids / links supporting the request
    calc_json    TEXT NOT NULL DEFAULT '',     -- the statutory calculation it was based on, if any
    shift        TEXT NOT NULL DEFAULT '',     -- budget key for per-shift budgets
    requester_id INTEGER NOT NULL REFERENCES people(id),
    requested_at TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled')),
    escalated_at TEXT,
    decided_at   TEXT,
    execution    TEXT NOT NULL DEFAULT '' CHECK (execution IN ('', 'paid', 'refunded', 'coupon_issued', 'replacement_sent')),
    exec_ref     TEXT NOT NULL DEFAULT '',     -- payment or coupon reference
    executed_by  INTEGER REFERENCES people(id),
    executed_at  TEXT
);
CREATE INDEX compensation_requests_status ON compensation_requests(status, requested_at);
CREATE INDEX compensation_requests_case ON compensation_requests(case_id);

CREATE TABLE compensation_decisions (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES compensation_requests(id),
    approver_id INTEGER NOT NULL REFERENCES people(id),
    role        TEXT NOT NULL,
    verdict     TEXT NOT NULL CHECK (verdict IN ('approve', 'reject')),
    reason      TEXT NOT NULL DEFAULT '',
    decided_at  TEXT NOT NULL,
    UNIQUE (request_id, approver_id)
);

-- Optional budgets: per shift (key = shift name) or per manager (key = username), for a period.
CREATE TABLE compensation_budgets (
    id        INTEGER PRIMARY KEY,
    scope     TEXT NOT NULL CHECK (scope IN ('shift', 'manager')),
    scope_key TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at   TEXT NOT NULL,
    limit_fen INTEGER NOT NULL CHECK (limit_fen >= 0),
    UNIQUE (scope, scope_key, starts_at)
);
