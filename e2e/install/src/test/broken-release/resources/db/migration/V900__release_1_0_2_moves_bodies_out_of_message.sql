-- Release 1.0.2's first migration (a test release, see ../../../README.md): bodies move to their own table, and
-- the column 1.0.1 reads is blanked. It commits before the next one fails.
CREATE TABLE message_body (
    message_id uuid PRIMARY KEY REFERENCES message (id),
    body       text NOT NULL
);
INSERT INTO message_body (message_id, body) SELECT id, body FROM message;
UPDATE message SET body = '';
