// Inline SVG charts for the printable report (no script, no CDN): a line chart of counts or
// rates over periods, and horizontal bars.

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

export interface Series {
  name: string;
  values: (number | null)[];
}

export function lineChart(
  periods: string[],
  series: Series[],
  options: { width?: number; height?: number; max?: number; percent?: boolean } = {},
): string {
  const width = options.width ?? 640;
  const height = options.height ?? 220;
  const left = 40;
  const bottom = 30;
  const plotW = width - left - 150;
  const plotH = height - bottom - 10;
  const max = options.max ?? Math.max(1, ...series.flatMap((s) => s.values.map((v) => v ?? 0)));
  const x = (i: number) => left + (periods.length <= 1 ? plotW / 2 : (i * plotW) / (periods.length - 1));
  const y = (v: number) => 10 + plotH - (v / max) * plotH;
  const fmt = (v: number) => (options.percent ? `${Math.round(v * 100)}%` : String(Math.round(v)));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`,
    `<line x1="${left}" y1="${10 + plotH}" x2="${left + plotW}" y2="${10 + plotH}" stroke="#999"/>`,
    `<line x1="${left}" y1="10" x2="${left}" y2="${10 + plotH}" stroke="#999"/>`,
    `<text x="${left - 4}" y="14" font-size="10" text-anchor="end">${fmt(max)}</text>`,
    `<text x="${left - 4}" y="${10 + plotH}" font-size="10" text-anchor="end">${fmt(0)}</text>`,
  ];
  const step = Math.max(1, Math.ceil(periods.length / 8));
  periods.forEach((p, i) => {
    if (i % step === 0)
      parts.push(
        `<text x="${x(i)}" y="${height - 12}" font-size="9" text-anchor="middle">${esc(p.slice(5))}</text>`,
      );
  });
  series.forEach((s, k) => {
    const color = palette[k % palette.length]!;
    const points = s.values
      .map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`))
      .filter(Boolean);
    if (points.length > 1)
      parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.join(' ')}"/>`);
    for (const p of points) {
      const [cx, cy] = p!.split(',');
      parts.push(`<circle cx="${cx}" cy="${cy}" r="2.5" fill="${color}"/>`);
    }
    parts.push(`<rect x="${left + plotW + 10}" y="${12 + k * 16}" width="10" height="10" fill="${color}"/>`);
    parts.push(
      `<text x="${left + plotW + 24}" y="${21 + k * 16}" font-size="10">${esc(s.name.slice(0, 22))}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

export function barChart(
  bars: { label: string; value: number | null }[],
  options: { width?: number; max?: number; percent?: boolean } = {},
): string {
  const width = options.width ?? 640;
  const row = 20;
  const labelW = 200;
  const height = bars.length * row + 10;
  const max = options.max ?? Math.max(1, ...bars.map((b) => b.value ?? 0));
  const plotW = width - labelW - 60;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`,
  ];
  bars.forEach((b, i) => {
    const y = 5 + i * row;
    const w = b.value === null ? 0 : (b.value / max) * plotW;
    const text =
      b.value === null
        ? 'n/a'
        : options.percent
          ? `${Math.round(b.value * 100)}%`
          : String(Math.round(b.value * 10) / 10);
    parts.push(
      `<text x="${labelW - 6}" y="${y + 13}" font-size="11" text-anchor="end">${esc(b.label.slice(0, 32))}</text>`,
    );
    parts.push(
      `<rect x="${labelW}" y="${y + 2}" width="${w.toFixed(1)}" height="${row - 6}" fill="${palette[0]}"/>`,
    );
    parts.push(`<text x="${labelW + w + 4}" y="${y + 13}" font-size="11">${text}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

export { esc };
