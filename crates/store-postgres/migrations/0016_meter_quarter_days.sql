-- Quarter summaries for the 15-minute export (issue 5): per meter and UTC day (days since 1970-01-01), the
-- day's quarter hours packed (joule_store::backend::quarters: first and last register reading of each
-- quarter hour and whether the register fell in between). Written in the transaction of every meter-value
-- insert, so an export reads 365 small rows per meter-year instead of every reading.
--
-- A packed day is up to 2.4 KB, above the 2 KB at which PostgreSQL would compress it and move it out of
-- line into the TOAST table (a second lookup per row, and decompression, on every export). The bytes are
-- binary and do not compress; toast_tuple_target keeps rows up to a page inline, STORAGE EXTERNAL never
-- tries to compress them.
CREATE TABLE meter_quarter_days (
    station_id   text NOT NULL REFERENCES stations (id),
    connector_id bigint NOT NULL,
    day          bigint NOT NULL,
    quarters     bytea NOT NULL,
    PRIMARY KEY (station_id, connector_id, day)
) WITH (toast_tuple_target = 8160);
ALTER TABLE meter_quarter_days ALTER COLUMN quarters SET STORAGE EXTERNAL;

-- Readings stored before this migration have no summaries yet: the store builds them when it opens (from
-- meter_values, one meter per transaction) and then deletes this row.
CREATE TABLE meter_quarter_backfill (pending bigint NOT NULL);
INSERT INTO meter_quarter_backfill (pending) VALUES (1);
