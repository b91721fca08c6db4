-- The operator's catalog of station models (issue 4): what installers pick make and model from, and the
-- minimum firmware each model needs for the verification checklist.
-- match_key is the vendor and model as compared with a BootNotification (case, spaces, dashes and the
-- vendor's legal form ignored: joule_core::catalog::model_key), so that "ABB Terra AC" and "ABB B.V. TERRA-AC"
-- are one entry; vendor and model keep the spelling last given.
CREATE TABLE station_models (
    operator_id  BIGINT NOT NULL REFERENCES operators (id),
    match_key    TEXT NOT NULL,
    vendor       TEXT NOT NULL,
    model        TEXT NOT NULL,
    min_firmware TEXT,
    updated_at   TIMESTAMPTZ NOT NULL,
    updated_by   TEXT NOT NULL,
    PRIMARY KEY (operator_id, match_key)
);
