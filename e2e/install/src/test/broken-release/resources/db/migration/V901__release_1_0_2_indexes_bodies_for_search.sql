-- Release 1.0.2's second migration (a test release, see ../../../README.md): it names a column message_body does
-- not have, so it fails, and the message center of 1.0.2 never starts.
CREATE INDEX message_body_search ON message_body USING gin (to_tsvector('simple', content));
