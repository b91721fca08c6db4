-- The EVSE each connector belongs to (OCPP 2.0.1 Part 1 §2 device model: EVSE ids from 1, 0 for the station
-- as a whole). Every status so far came from OCPP 1.6 stations, whose connector N is EVSE N (and connector 0
-- the station), so the EVSE of a stored row is its connector id.
ALTER TABLE connectors ADD COLUMN evse_id INTEGER NOT NULL DEFAULT 0;
UPDATE connectors SET evse_id = connector_id;
