-- QA: per-call analysis results, per-rule outcomes, analysed segments (text redacted when
-- configured), live alerts, and issue-mining runs. Calls analysed from imported transcripts may
-- have no row in `calls`, so call_id here is not a foreign key.
CREATE TABLE IF NOT EXISTS qa_calls (
  call_id          TEXT PRIMARY KEY,
  -- live (from segments as they came), post-call, import, api
  source           TEXT NOT NULL,
  agent            TEXT,
  queue            TEXT,
  language         TEXT,
  started_at       TIMESTAMPTZ NOT NULL,
  analysed_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  score            REAL,
  compliance_rate  REAL,
  rules_applicable INTEGER NOT NULL DEFAULT 0,
  rules_passed     INTEGER NOT NULL DEFAULT 0,
  caller_mean      REAL,
  caller_max_anger REAL,
  caller_negative  BOOLEAN NOT NULL DEFAULT false,
  swing            BOOLEAN NOT NULL DEFAULT false,
  agent_negative   BOOLEAN NOT NULL DEFAULT false,
  satisfaction     TEXT,
  -- the whole analysis (rules with evidence, emotion curve, PII counts) as the API returns it
  result           JSONB NOT NULL
);
CREATE INDEX IF NOT EXISTS qa_calls_started_idx ON qa_calls (started_at);
CREATE INDEX IF NOT EXISTS qa_calls_agent_idx ON qa_calls (agent, started_at);
CREATE INDEX IF NOT EXISTS qa_calls_queue_idx ON qa_calls (queue, started_at);

CREATE TABLE IF NOT EXISTS qa_rule_results (
  call_id  TEXT NOT NULL REFERENCES qa_calls (call_id) ON DELETE CASCADE,
  rule_id  TEXT NOT NULL,
  kind     TEXT NOT NULL,
  status   TEXT NOT NULL CHECK (status IN ('pass', 'fail', 'not-applicable')),
  weight   REAL NOT NULL,
  -- the segment the outcome refers to first, and when
  seq      INTEGER,
  at_ms    INTEGER,
  reason   TEXT NOT NULL,
  PRIMARY KEY (call_id, rule_id)
);
CREATE INDEX IF NOT EXISTS qa_rule_results_rule_idx ON qa_rule_results (rule_id, status);

-- Final segments as QA received them live, so the post-call analysis has the whole call.
CREATE TABLE IF NOT EXISTS qa_segments (
  call_id   TEXT NOT NULL,
  party     TEXT NOT NULL CHECK (party IN ('caller', 'agent')),
  start_ms  INTEGER NOT NULL,
  end_ms    INTEGER NOT NULL,
  text      TEXT NOT NULL,
  language  TEXT,
  valence   REAL NOT NULL,
  anger     REAL NOT NULL,
  received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (call_id, party, start_ms)
);

CREATE TABLE IF NOT EXISTS qa_alerts (
  id        BIGSERIAL PRIMARY KEY,
  call_id   TEXT NOT NULL,
  -- anger (caller crossed the threshold), forbidden (a forbidden phrase was said)
  kind      TEXT NOT NULL,
  party     TEXT NOT NULL,
  at_ms     INTEGER NOT NULL,
  level     REAL,
  rule_id   TEXT,
  text      TEXT NOT NULL,
  agent     TEXT,
  queue     TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS qa_alerts_created_idx ON qa_alerts (created_at);
CREATE INDEX IF NOT EXISTS qa_alerts_call_idx ON qa_alerts (call_id);

CREATE TABLE IF NOT EXISTS qa_issue_runs (
  id          BIGSERIAL PRIMARY KEY,
  period_from TIMESTAMPTZ NOT NULL,
  period_to   TIMESTAMPTZ NOT NULL,
  calls       INTEGER NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- the IssueReport: issues with labels, terms, representative utterance, trend, rising
  report      JSONB NOT NULL
);
CREATE INDEX IF NOT EXISTS qa_issue_runs_period_idx ON qa_issue_runs (period_to);
