-- The message log moved to a file of its own (joule-messages.db, see the crate docs): the main writer no
-- longer carries it. Frames logged here before are diagnostics and are not carried over.
DROP TABLE IF EXISTS message_log;
