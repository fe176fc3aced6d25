-- Add event-driven update fields
\set ON_ERROR_STOP on
ALTER TABLE messages
  ADD COLUMN IF NOT EXISTS updated_at TIMESTAMPTZ DEFAULT now(),
  ADD COLUMN IF NOT EXISTS is_final BOOLEAN NOT NULL;
ALTER TABLE messages ALTER COLUMN sync_state SET NOT NULL;
