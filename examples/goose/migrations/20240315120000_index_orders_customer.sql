-- +goose Up
-- +goose NO TRANSACTION
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_customer ON orders (customer_id);

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS idx_orders_customer;
