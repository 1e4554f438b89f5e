-- Indexes that another index already serves as its leading columns (issue 3): each cost every ingested
-- message an extra B-tree insert, and sha256 values, random and 64 characters long, are the dearest kind.
--   raw_items_sha (sha256)      -> raw_items_dedupe (sha256, message_id)
--   raw_items_case (case_id)    -> raw_items_case_source (case_id, source_id)
--   checklist_items_case        -> checklist_items_case_code (case_id, code)
DROP INDEX raw_items_sha;
DROP INDEX raw_items_case;
DROP INDEX checklist_items_case;
