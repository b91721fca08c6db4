-- 15-minute interval export and live power (issue 5). The natural key is time first (see 0001), so a read of
-- one station's register over a year went through every station's samples of that year: with 1,000 stations
-- a year of one station read 1,000 times the rows it needed. This index is station first, then measurand,
-- connector and time, the order both reads ask in, and it carries every column they touch, so SQLite answers
-- them from the index alone (no lookup of the table row per reading). It costs the ingestion one more index
-- entry per sample.
CREATE INDEX meter_values_by_station_measurand
    ON meter_values (station_id, measurand, connector_id, ts, value, context, phase, location, unit);
