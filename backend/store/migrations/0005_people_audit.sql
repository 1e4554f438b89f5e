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
