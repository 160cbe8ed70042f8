-- Final transcript segments, written as they arrive (a crash loses at most the segment in
-- flight). call_id is the call's id (calls.id) for live calls; transcripts imported for QA may
-- name calls Hotline never carried, so there is no foreign key.
CREATE TABLE IF NOT EXISTS transcript_segments (
  id          BIGSERIAL PRIMARY KEY,
  call_id     TEXT NOT NULL,
  party       TEXT NOT NULL CHECK (party IN ('caller', 'agent')),
  -- order of the segment within its call and party, from 0
  seq         INTEGER NOT NULL CHECK (seq >= 0),
  -- milliseconds from the start of the call
  start_ms    INTEGER NOT NULL CHECK (start_ms >= 0),
  end_ms      INTEGER NOT NULL CHECK (end_ms >= start_ms),
  text        TEXT NOT NULL,
  confidence  REAL CHECK (confidence IS NULL OR (confidence >= 0 AND confidence <= 1)),
  language    TEXT NOT NULL,
  -- pocketsphinx, websocket, google, import, ...
  provider    TEXT NOT NULL DEFAULT '',
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (call_id, party, seq)
);
CREATE INDEX IF NOT EXISTS transcript_segments_call_idx ON transcript_segments (call_id, start_ms, id);
CREATE INDEX IF NOT EXISTS transcript_segments_created_idx ON transcript_segments (created_at);
