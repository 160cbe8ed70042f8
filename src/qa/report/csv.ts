// CSV export of a report: one row per call (RFC 4180 quoting), for spreadsheets.
import type { ReportData } from './data.js';

function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(Math.round(value * 1000) / 1000) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function reportCsv(report: ReportData): string {
  const header = [
    'call_id',
    'started_at',
    'agent',
    'queue',
    'score',
    'compliance_rate',
    'satisfaction',
    'caller_negative',
    'swing',
    'issue',
  ];
  const rows = report.calls.map((c) =>
    [
      c.callId,
      c.startedAt,
      c.agent,
      c.queue,
      c.score,
      c.complianceRate,
      c.satisfaction,
      c.callerNegative,
      c.swing,
      c.issue,
    ]
      .map(cell)
      .join(','),
  );
  return `${[header.join(','), ...rows].join('\r\n')}\r\n`;
}
