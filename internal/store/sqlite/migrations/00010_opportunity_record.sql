-- +goose Up
-- The opportunity record beyond the facet: key dates in the funder's own
-- calendar, funding details and eligibility predicates, as JSON (record),
-- plus the columns the list filters read. record is '' on rows stored
-- before this version: Scout recomputes them from the stored text at start
-- (see RecomputeRecords), because the text is the honest source of facts
-- the old rows never kept.
ALTER TABLE items ADD COLUMN record TEXT NOT NULL DEFAULT '';
-- The entry fee in its currency's units: NULL not stated, 0 free to enter.
ALTER TABLE items ADD COLUMN fee_amount REAL;
-- What one recipient gets in all (the upper end): NULL when not known.
ALTER TABLE items ADD COLUMN award_total REAL;
-- Applicant types and ISO country codes, each as ',a,b,' so that one
-- LIKE '%,x,%' matches on both engines; a subdivision brings its country.
ALTER TABLE items ADD COLUMN applicants TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN countries TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE items DROP COLUMN countries;
ALTER TABLE items DROP COLUMN applicants;
ALTER TABLE items DROP COLUMN award_total;
ALTER TABLE items DROP COLUMN fee_amount;
ALTER TABLE items DROP COLUMN record;
