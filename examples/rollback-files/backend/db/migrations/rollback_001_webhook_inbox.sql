DROP INDEX IF EXISTS uq_webhook_inbox_sid;
DROP TABLE IF EXISTS twilio_webhook_inbox;
