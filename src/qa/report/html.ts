// The analyst report as one printable HTML page: figures, charts as inline SVG, tables. No
// script and nothing fetched, so it prints and archives as it is.
import type { ReportData } from './data.js';
import { barChart, esc, lineChart } from './svg.js';

const pct = (v: number | null) => (v === null ? 'n/a' : `${Math.round(v * 100)}%`);
const num = (v: number | null) => (v === null ? 'n/a' : String(v));

const style = `
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#222}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#666;font-size:12px}.figures{display:flex;gap:16px;flex-wrap:wrap;margin:12px 0}
.figure{border:1px solid #ddd;border-radius:6px;padding:8px 12px;min-width:120px}.figure b{display:block;font-size:20px}
table{border-collapse:collapse;font-size:12px;width:100%}th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f4f4f4}.rising{color:#c00;font-weight:bold}
@media print{body{margin:0}h2{page-break-after:avoid}table,svg{page-break-inside:avoid}}`;

function scorecardTable(title: string, cards: ReportData['agents']): string {
  const rows = cards
    .map(
      (c) =>
        `<tr><td>${esc(c.subject)}</td><td>${c.calls}</td><td>${num(c.meanScore)}</td><td>${pct(c.complianceRate)}</td>` +
        `<td>${c.negativeCallers}</td><td>${c.swings}</td><td>${c.agentNegativeTone}</td></tr>`,
    )
    .join('');
  return (
    `<table><tr><th>${title}</th><th>calls</th><th>mean score</th><th>compliance</th><th>upset callers</th>` +
    `<th>calm→angry swings</th><th>agent negative tone</th></tr>${rows}</table>`
  );
}

export function reportHtml(report: ReportData): string {
  const { totals, issues } = report;
  const top = issues.issues.slice(0, 8);
  const issueChart = lineChart(
    issues.periods,
    top.slice(0, 6).map((i) => ({
      name: i.terms.slice(0, 2).join(' / ') || `issue ${i.id}`,
      values: i.trend.map((t) => t.count),
    })),
  );
  const complianceChart = lineChart(
    report.complianceTrend.map((t) => t.period),
    [{ name: 'compliance', values: report.complianceTrend.map((t) => t.rate) }],
    { max: 1, percent: true },
  );
  const ruleChart = barChart(
    report.overall.rules.map((r) => ({ label: r.title, value: r.rate })),
    { max: 1, percent: true },
  );
  const issueRows = issues.issues
    .slice(0, 30)
    .map(
      (i) =>
        `<tr><td>${esc(i.terms.join(', '))}</td><td>${i.count}</td><td>${pct(i.share)}</td>` +
        `<td>${esc(i.representative?.text ?? '')}</td><td>${i.rising ? '<span class="rising">rising</span>' : ''}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hotline QA report ${esc(report.from.slice(0, 10))} – ${esc(report.to.slice(0, 10))}</title>
<style>${style}</style></head><body>
<h1>QA report</h1>
<div class="meta">${esc(report.from.slice(0, 10))} to ${esc(report.to.slice(0, 10))} · generated ${esc(report.generatedAt.slice(0, 16).replace('T', ' '))} UTC</div>
<div class="figures">
<div class="figure">calls<b>${totals.calls}</b></div>
<div class="figure">mean QA score<b>${num(totals.meanScore)}</b></div>
<div class="figure">compliance<b>${pct(totals.complianceRate)}</b></div>
<div class="figure">upset callers<b>${totals.negativeCallers}</b></div>
<div class="figure">satisfied / neutral / unsatisfied<b>${totals.satisfaction.positive} / ${totals.satisfaction.neutral} / ${totals.satisfaction.negative}</b></div>
</div>
<h2>Frequent issues, calls per ${issues.granularity}</h2>
${issueChart}
<table><tr><th>issue (top terms)</th><th>calls</th><th>share</th><th>representative utterance</th><th></th></tr>${issueRows}</table>
<h2>Compliance per ${issues.granularity}</h2>
${complianceChart}
<h2>Compliance per rule</h2>
${ruleChart}
<h2>Agents</h2>
${scorecardTable('agent', report.agents)}
<h2>Queues</h2>
${scorecardTable('queue', report.queues)}
</body></html>
`;
}
