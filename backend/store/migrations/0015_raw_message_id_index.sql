-- raw_items_message_id (migration 0001) serves no query: the only lookup by Message-ID is the dedupe
-- check, which gives the SHA-256 too and reads raw_items_dedupe (sha256, message_id). Every raw item a
-- sync records still paid for it: a long, random key in one more index (issue 3).
DROP INDEX raw_items_message_id;
