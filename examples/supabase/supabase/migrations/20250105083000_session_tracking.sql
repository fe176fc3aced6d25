-- Session tracking for A/B testing and model comparison
ALTER TABLE conversations
  ADD COLUMN IF NOT EXISTS session_id TEXT,
  ADD COLUMN IF NOT EXISTS experiment_name TEXT;

COMMENT ON COLUMN conversations.session_id IS 'User-defined session identifier';

CREATE INDEX IF NOT EXISTS idx_conversations_session_id
  ON conversations(session_id) WHERE session_id IS NOT NULL;
