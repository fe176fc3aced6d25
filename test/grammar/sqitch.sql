-- SYNTAX TEST "source.sql" "sqitch script headers"

-- Deploy flipr:appschema to pg
-- <-- comment.line.double-dash.sql meta.marker.header.sqitch.safemig punctuation.definition.comment.sql
-- ^^^^^^ keyword.control.marker.safemig
--        ^^^^^^^^^^^^^^^ entity.name.section.change.safemig
--                        ^^ keyword.other.preposition.safemig
--                           ^^ support.constant.engine.safemig
-- requires: users
-- ^^^^^^^^ keyword.other.dependency.safemig
--         ^ punctuation.separator.key-value.safemig
--           ^^^^^ entity.name.section.change.safemig
-- Revert flipr:appschema from pg
-- ^^^^^^ keyword.control.marker.safemig
-- Verify flipr:appschema@v1.0 on pg
-- ^^^^^^ keyword.control.marker.safemig
--        ^^^^^^^^^^^^^^^^^^^^ entity.name.section.change.safemig
-- Deploy the new schema to production
-- ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-dash.sql - keyword.control.marker.safemig

BEGIN;
