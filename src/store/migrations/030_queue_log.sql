-- The ACD's queue log: one row per routing event (enqueue, reserve, ring, answer, no-answer,
-- abandon, overflow, callback, complete, wrap-up-end, agent state changes). Written from the Redis
-- stream `routing:log` that every routing Lua script appends to, so a row exists for everything
-- that changed in Redis even if the node that caused it crashed. KPIs are computed from it.
CREATE TABLE IF NOT EXISTS queue_log (
  id          BIGSERIAL PRIMARY KEY,
  -- the Redis stream entry id: makes a redelivered entry a no-op (ON CONFLICT DO NOTHING)
  stream_id   TEXT NOT NULL UNIQUE,
  at          TIMESTAMPTZ NOT NULL,
  event       TEXT NOT NULL,
  queue       TEXT,
  call_id     TEXT,
  agent       TEXT,
  -- milliseconds the caller had waited in the queue when this happened (enqueue → event)
  wait_ms     BIGINT,
  -- enqueue: priority; answer: the routing step; complete: talk time; wrap-up-end: wrap-up time;
  -- agent-state: the state left, the state entered and how long the agent was in the former
  data        JSONB NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX IF NOT EXISTS queue_log_queue_at_idx ON queue_log (queue, at);
CREATE INDEX IF NOT EXISTS queue_log_agent_at_idx ON queue_log (agent, at);
CREATE INDEX IF NOT EXISTS queue_log_event_at_idx ON queue_log (event, at);
CREATE INDEX IF NOT EXISTS queue_log_call_idx ON queue_log (call_id);
