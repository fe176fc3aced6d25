-- Migration: Track which architecture handled a conversation
-- Date: 2025-11-22
-- Author: Agent team

-- UP Migration
ALTER TABLE conversation_state
ADD COLUMN IF NOT EXISTS architecture_version TEXT DEFAULT 'agent';

UPDATE conversation_state
SET architecture_version = 'agent'
WHERE architecture_version IS NULL OR architecture_version = 'node';

CREATE INDEX IF NOT EXISTS idx_conversation_state_architecture_version
ON conversation_state(architecture_version);

-- DOWN Migration (Rollback)
-- DROP INDEX IF EXISTS idx_conversation_state_architecture_version;
-- ALTER TABLE conversation_state DROP COLUMN IF EXISTS architecture_version;
