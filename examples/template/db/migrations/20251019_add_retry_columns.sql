-- Migration: Add retry tracking to the task queue
-- Date: 2025-10-19
-- Author: Agent team

-- UP Migration
ALTER TABLE maintenance_tasks_queue
  ADD COLUMN IF NOT EXISTS retry_count INTEGER DEFAULT 0,
  ADD COLUMN IF NOT EXISTS last_error TEXT;

CREATE INDEX idx_tasks_queue_retry ON maintenance_tasks_queue (retry_count);

-- DOWN Migration (Rollback)
-- DROP INDEX IF EXISTS idx_tasks_queue_retry;
-- ALTER TABLE maintenance_tasks_queue DROP COLUMN IF EXISTS last_error;
-- ALTER TABLE maintenance_tasks_queue DROP COLUMN IF EXISTS retry_count;
