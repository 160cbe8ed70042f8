-- IVR: voicemail messages (the audio stays on the media server as an ARI stored recording,
-- playable as `recording:<recording>`), and callback requests left in the IVR for routing to
-- dial back.
CREATE TABLE IF NOT EXISTS voicemails (
  id               BIGSERIAL PRIMARY KEY,
  call_id          TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  mailbox          TEXT NOT NULL,
  recording        TEXT NOT NULL UNIQUE,      -- ARI stored recording name
  format           TEXT NOT NULL DEFAULT 'wav',
  duration_seconds INTEGER,
  caller_number    TEXT NOT NULL DEFAULT '',
  language         TEXT,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  heard_at         TIMESTAMPTZ                -- when someone first listened to it
);
CREATE INDEX IF NOT EXISTS voicemails_mailbox_idx ON voicemails (mailbox, created_at);

CREATE TABLE IF NOT EXISTS callback_requests (
  id            BIGSERIAL PRIMARY KEY,
  call_id       TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  number        TEXT NOT NULL,
  queue         TEXT NOT NULL,
  language      TEXT,
  priority      INTEGER NOT NULL DEFAULT 0,
  data          JSONB NOT NULL DEFAULT '{}'::jsonb,
  -- pending: waiting for routing; then whatever routing records (dialled, done, failed, ...)
  status        TEXT NOT NULL DEFAULT 'pending',
  requested_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS callback_requests_pending_idx ON callback_requests (status, queue, requested_at);
