-- Migration: Link tasks to documents
-- Date: 2025-11-25
-- Author: Agent team

-- UP Migration
ALTER TABLE documents ADD COLUMN task_id BIGINT NOT NULL;
ALTER TABLE maintenance_tasks_queue RENAME COLUMN last_error TO error_message;

-- DOWN Migration (Rollback)
