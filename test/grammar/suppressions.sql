-- SYNTAX TEST "source.sql" "safemig suppression comments"

-- safemig-ignore drop-column, drop-table: removed in two steps
-- <-- comment.line.double-dash.sql meta.suppression.safemig punctuation.definition.comment.sql
-- ^^^^^^^^^^^^^^ keyword.other.suppression.safemig
--                ^^^^^^^^^^^ constant.other.rule-id.safemig
--                           ^ punctuation.separator.comma.safemig
--                             ^^^^^^^^^^ constant.other.rule-id.safemig
--                                       ^ punctuation.separator.reason.safemig
--                                        ^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-dash.sql meta.reason.safemig - constant.other.rule-id.safemig
ALTER TABLE t DROP COLUMN IF EXISTS a; -- safemig-ignore drop-column
--                                     ^^ punctuation.definition.comment.sql
--                                        ^^^^^^^^^^^^^^ keyword.other.suppression.safemig
--                                                       ^^^^^^^^^^^ constant.other.rule-id.safemig
-- safemig-ignore-file require-lock-timeout: legacy file
-- ^^^^^^^^^^^^^^^^^^^ keyword.other.suppression.safemig
--                     ^^^^^^^^^^^^^^^^^^^^ constant.other.rule-id.safemig
-- safemig-ignored is not a suppression
-- ^^^^^^^^^^^^^^^ comment.line.double-dash.sql - keyword.other.suppression.safemig
-- see -- safemig-ignore drop-column
--        ^^^^^^^^^^^^^^ comment.line.double-dash.sql - keyword.other.suppression.safemig
SELECT '-- safemig-ignore drop-column';
--        ^^^^^^^^^^^^^^ string.quoted.single.sql - keyword.other.suppression.safemig
SELECT $$ -- safemig-ignore drop-table $$;
--           ^^^^^^^^^^^^^^ string.quoted.dollar.sql - keyword.other.suppression.safemig
