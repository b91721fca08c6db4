-- A connector's state in words both OCPP versions map into (OCPP 2.0.1 ConnectorStatusEnumType) and what it
-- is doing with the vehicle (2.0.1 ChargingStateEnumType), beside the status the station reported, which
-- stays as sent. Rows so far hold OCPP 1.6 ChargePointStatus values (§7.7), mapped as the 1.6 adapter maps
-- them; a value no version defines counts as Unavailable (not offered to drivers).
ALTER TABLE connectors ADD COLUMN state TEXT;
ALTER TABLE connectors ADD COLUMN charging_state TEXT;
ALTER TABLE status_history ADD COLUMN state TEXT;
ALTER TABLE status_history ADD COLUMN charging_state TEXT;
UPDATE connectors SET
    state = CASE status
        WHEN 'Available' THEN 'Available'
        WHEN 'Preparing' THEN 'Occupied'
        WHEN 'Charging' THEN 'Occupied'
        WHEN 'SuspendedEV' THEN 'Occupied'
        WHEN 'SuspendedEVSE' THEN 'Occupied'
        WHEN 'Finishing' THEN 'Occupied'
        WHEN 'Occupied' THEN 'Occupied'
        WHEN 'Reserved' THEN 'Reserved'
        WHEN 'Faulted' THEN 'Faulted'
        ELSE 'Unavailable' END,
    charging_state = CASE status
        WHEN 'Preparing' THEN 'EVConnected'
        WHEN 'Charging' THEN 'Charging'
        WHEN 'SuspendedEV' THEN 'SuspendedEV'
        WHEN 'SuspendedEVSE' THEN 'SuspendedEVSE'
        WHEN 'Finishing' THEN 'EVConnected'
        ELSE NULL END;
UPDATE status_history SET
    state = CASE status
        WHEN 'Available' THEN 'Available'
        WHEN 'Preparing' THEN 'Occupied'
        WHEN 'Charging' THEN 'Occupied'
        WHEN 'SuspendedEV' THEN 'Occupied'
        WHEN 'SuspendedEVSE' THEN 'Occupied'
        WHEN 'Finishing' THEN 'Occupied'
        WHEN 'Occupied' THEN 'Occupied'
        WHEN 'Reserved' THEN 'Reserved'
        WHEN 'Faulted' THEN 'Faulted'
        ELSE 'Unavailable' END,
    charging_state = CASE status
        WHEN 'Preparing' THEN 'EVConnected'
        WHEN 'Charging' THEN 'Charging'
        WHEN 'SuspendedEV' THEN 'SuspendedEV'
        WHEN 'SuspendedEVSE' THEN 'SuspendedEVSE'
        WHEN 'Finishing' THEN 'EVConnected'
        ELSE NULL END;
