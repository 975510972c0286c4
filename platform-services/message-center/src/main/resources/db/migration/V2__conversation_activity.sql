-- When a conversation last had a message, so lists show the most active first. Nullable and filled by
-- the sends of this release; rows of conversations untouched since keep NULL and sort last.
ALTER TABLE conversation ADD COLUMN last_message_at timestamptz;
CREATE INDEX user_event_by_ref ON user_event (kind, ref_id);
