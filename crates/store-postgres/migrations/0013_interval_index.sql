-- 15-minute interval export and live power (issue 5). The natural key is time first (see 0001), so a read of
-- one station's register over a year went through every station's samples of that year. This index is
-- station first, then measurand, connector and time, the order both reads ask in, and includes the other
-- columns they touch, so an index-only scan answers them once the table is vacuumed. It costs the ingestion
-- one more index entry per sample.
CREATE INDEX meter_values_by_station_measurand
    ON meter_values (station_id, measurand, connector_id, ts) INCLUDE (value, context, phase, location, unit);
