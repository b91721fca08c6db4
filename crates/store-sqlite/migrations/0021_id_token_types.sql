-- How a token is read or issued (OCPP 2.0.1 IdTokenEnumType, e.g. ISO14443, eMAID). NULL: not stated, as for
-- every token registered before.
ALTER TABLE id_tokens ADD COLUMN token_type TEXT;
