-- migrate:up
CREATE TABLE IF NOT EXISTS invoices (
    id         BIGSERIAL PRIMARY KEY,
    order_id   BIGINT NOT NULL,
    amount     NUMERIC(12, 2) NOT NULL
);
ALTER TABLE orders ADD COLUMN IF NOT EXISTS invoiced BOOLEAN DEFAULT false;

-- migrate:down
ALTER TABLE orders DROP COLUMN IF EXISTS invoiced;
DROP TABLE IF EXISTS invoices;
