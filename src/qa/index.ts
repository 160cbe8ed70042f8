// The QA module's public face: analysis of transcripts (compliance rules, emotion, issues, PII,
// scorecards), the import format, and the service that runs it live and post-call.
export {
  analyseCall,
  redactTranscript,
  type AnalyseOptions,
  type AnalysedSegment,
  type CallAnalysis,
} from './analyse.js';
export { transcriptFromJson, transcriptFromLine, TranscriptImportError } from './import.js';
export { loadRules, compileRuleFiles, QaRulesError, type RuleSet } from './rules/load.js';
export {
  mineIssues,
  issueCallOf,
  periodOf,
  type Issue,
  type IssueCall,
  type IssueReport,
} from './issues/mine.js';
export { redact, findPii, type PiiKind } from './pii/redact.js';
export { defaultEmotionOptions, segmentSentiment } from './emotion/index.js';
export {
  scorecardOf,
  scorecardsBy,
  scoredCallOf,
  type Scorecard,
  type ScoredCall,
} from './score/scorecard.js';
export type { CallTranscript, QaSegment, RuleOutcome, Evidence } from './types.js';
export { startQa, type QaServiceOptions } from './workers/service.js';
export { eventsFeed, streamFeed, type SegmentFeed } from './feed.js';
export { analyseLiveSegment } from './live.js';
export { analyseFinishedCall } from './post-call.js';
export { qaRules, analyseOptions } from './runtime.js';
export * as qaStore from './store.js';
export { buildReport, reportCsv, reportHtml, type ReportData } from './report/index.js';
export { mineAndStoreIssues } from './issue-runs.js';
