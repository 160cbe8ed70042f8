-- Calls (CDR) and the per-call trail every module writes to.
CREATE TABLE IF NOT EXISTS calls (
  id             TEXT PRIMARY KEY,             -- the caller's ARI channel id
  direction      TEXT NOT NULL DEFAULT 'inbound' CHECK (direction IN ('inbound', 'outbound', 'internal')),
  caller_number  TEXT NOT NULL DEFAULT '',
  caller_name    TEXT NOT NULL DEFAULT '',
  dialled_number TEXT NOT NULL DEFAULT '',
  language       TEXT,
  started_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  answered_at    TIMESTAMPTZ,
  ended_at       TIMESTAMPTZ,
  -- how the call ended, in the domain's words: completed, abandoned, voicemail, callback, failed, ...
  outcome        TEXT,
  hangup_cause   INTEGER,                      -- Q.850 cause from ChannelDestroyed
  queue          TEXT,
  agent          TEXT,
  data           JSONB NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX IF NOT EXISTS calls_started_at_idx ON calls (started_at);
CREATE INDEX IF NOT EXISTS calls_caller_number_idx ON calls (caller_number);

CREATE TABLE IF NOT EXISTS call_events (
  id       BIGSERIAL PRIMARY KEY,
  call_id  TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- who wrote it: ivr, routing, transcription, qa, api, media
  source   TEXT NOT NULL,
  type     TEXT NOT NULL,
  data     JSONB NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX IF NOT EXISTS call_events_call_idx ON call_events (call_id, at);
CREATE INDEX IF NOT EXISTS call_events_type_idx ON call_events (type, at);
