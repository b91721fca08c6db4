-- Quarter summaries for the 15-minute export (issue 5): per meter and UTC day (days since 1970-01-01), the
-- day's quarter hours packed (joule_store::backend::quarters: first and last register reading of each
-- quarter hour and whether the register fell in between). Written in the transaction of every meter-value
-- insert, so an export reads 365 small rows per meter-year instead of every reading. An ordinary rowid
-- table, not WITHOUT ROWID: a packed day is up to 2.4 KB, which fits a table page but would overflow an
-- index page.
CREATE TABLE meter_quarter_days (
    station_id   TEXT NOT NULL REFERENCES stations (id),
    connector_id INTEGER NOT NULL,
    day          INTEGER NOT NULL,
    quarters     BLOB NOT NULL,
    PRIMARY KEY (station_id, connector_id, day)
) STRICT;

-- Readings stored before this migration have no summaries yet: the store builds them when it opens (from
-- meter_values, one meter per transaction) and then deletes this row.
CREATE TABLE meter_quarter_backfill (pending INTEGER NOT NULL) STRICT;
INSERT INTO meter_quarter_backfill (pending) VALUES (1);
