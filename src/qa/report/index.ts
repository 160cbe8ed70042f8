export { buildReport, type ReportData } from './data.js';
export { reportHtml } from './html.js';
export { reportCsv } from './csv.js';
