-- SYNTAX TEST "source.sql" "runner markers: this project's template, goose, dbmate"

-- UP Migration
-- <-- comment.line.double-dash.sql meta.marker.section.template.safemig punctuation.definition.comment.sql
-- ^^^^^^^^^^^^ comment.line.double-dash.sql keyword.control.marker.safemig
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS retries int;
-- <----- - meta.marker.section.template.safemig

-- DOWN Migration (Rollback)
-- ^^^^^^^^^^^^^^^^^^^^^^^^ keyword.control.marker.safemig
-- ===== Down Migration: drop the column =====
--       ^^^^^^^^^^^^^^ keyword.control.marker.safemig
--                     ^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-dash.sql - keyword.control.marker.safemig
  -- up migrations
-- ^^^^^^^^^^^^^^^ meta.marker.section.template.safemig
--    ^^^^^^^^^^^^^ keyword.control.marker.safemig
-- Down migration is not supported
-- ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-dash.sql - keyword.control.marker.safemig meta.marker.section.template.safemig
-- Migration: add retry columns
-- ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-dash.sql - keyword.control.marker.safemig

-- +goose Up
-- <-- meta.marker.section.goose.safemig punctuation.definition.comment.sql
-- ^^^^^^^^^ keyword.control.marker.safemig
--+goose DOWN
-- <~~----------- keyword.control.marker.safemig
-- +goose StatementBegin
-- ^^^^^^^^^^^^^^^^^^^^^ meta.marker.directive.goose.safemig keyword.control.directive.safemig
-- +goose StatementEnd
-- ^^^^^^^^^^^^^^^^^^^ keyword.control.directive.safemig
-- +goose NO TRANSACTION
-- ^^^^^^^^^^^^^^^^^^^^^ keyword.control.directive.safemig
-- +goose Upgrade the table
-- ^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-dash.sql - keyword.control.marker.safemig keyword.control.directive.safemig

-- migrate:up transaction:false
-- <-- meta.marker.section.dbmate.safemig punctuation.definition.comment.sql
-- ^^^^^^^^^^ keyword.control.marker.safemig
--            ^^^^^^^^^^^ variable.parameter.option.safemig
--                       ^ punctuation.separator.key-value.safemig
--                        ^^^^^ constant.language.option.safemig
-- migrate:down
-- ^^^^^^^^^^^^ keyword.control.marker.safemig
-- migrate:upgrade
-- ^^^^^^^^^^^^^^^ comment.line.double-dash.sql - keyword.control.marker.safemig

SELECT 'a string
-- +goose Up
-- ^^^^^^^^^ string.quoted.single.sql - keyword.control.marker.safemig
';
/*
-- UP Migration
-- ^^^^^^^^^^^^ comment.block.sql - keyword.control.marker.safemig
*/
SELECT 1; -- +goose Up
--        ^^^^^^^^^^^^ comment.line.double-dash.sql - keyword.control.marker.safemig
