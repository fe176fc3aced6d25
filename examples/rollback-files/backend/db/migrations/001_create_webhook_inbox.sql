-- Webhook ingestion queue with deduplication
CREATE TABLE IF NOT EXISTS twilio_webhook_inbox (
    id           BIGSERIAL PRIMARY KEY,
    message_sid  TEXT NOT NULL,
    payload      JSONB NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS uq_webhook_inbox_sid ON twilio_webhook_inbox (message_sid);
