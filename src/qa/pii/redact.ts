// PII redaction before a transcript is stored or shown (when `qa.redact` is on): card numbers
// (Luhn-valid), phone numbers (Chinese mobiles and landlines, international, North American),
// national ID numbers (PRC 18-digit with checksum and the old 15-digit form, US SSN, Hong Kong
// ID) and e-mail addresses. Digits may be full-width or Chinese numerals (一三八…, 幺), as
// recognisers write them; the replacement keeps the rest of the text as it was.
import { cnId15Plausible, cnIdValid, luhnValid } from './checksums.js';

export type PiiKind = 'card' | 'phone' | 'id' | 'email';

export interface PiiFinding {
  kind: PiiKind;
  start: number;
  end: number;
}

export const piiMarks: Record<PiiKind, string> = {
  card: '[CARD]',
  phone: '[PHONE]',
  id: '[ID]',
  email: '[EMAIL]',
};

const chineseDigits: Record<string, string> = {
  〇: '0',
  零: '0',
  一: '1',
  幺: '1',
  二: '2',
  两: '2',
  三: '3',
  四: '4',
  五: '5',
  六: '6',
  七: '7',
  八: '8',
  九: '9',
};

/** One character for one: full-width forms and Chinese numerals as ASCII, so offsets still hold. */
function asciiDigits(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch.length === 2) out += '\u0000\u0000';
    else if (code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0);
    else if (code === 0x3000) out += ' ';
    else out += chineseDigits[ch] ?? ch;
  }
  return out;
}

const email = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// A run of digits with the separators people and recognisers put in numbers.
const numberRun =
  /(?<![\dA-Za-z(])(?:\+|00|\()?\d[\d \-–.()]{4,}\d[Xx]?(?![\dA-Za-z])|(?<![\dA-Za-z])\d{17}[Xx](?![\dA-Za-z])/g;
const hkId = /(?<![A-Za-z0-9])[A-Z]{1,2}\d{6}\s?\(?[0-9A]\)?(?![A-Za-z0-9])/g;

function classify(raw: string): PiiKind | null {
  const digits = raw.replace(/[^\dXx]/g, '');
  const plain = digits.replace(/[Xx]$/, '');
  if (cnIdValid(digits)) return 'id';
  if (/^\d{3}-\d{2}-\d{4}$/.test(raw.trim())) return 'id';
  if (/[Xx]$/.test(digits)) return null;
  if (luhnValid(plain) && plain.length >= 13 && !raw.trim().startsWith('+')) return 'card';
  if (cnId15Plausible(plain) && !/[\s\-.]/.test(raw.trim())) return 'id';
  const national = plain.replace(/^(0086|86)(?=1[3-9]\d{9}$)/, '');
  if (/^1[3-9]\d{9}$/.test(national)) return 'phone';
  if (/^(\+|00)/.test(raw.trim()) && plain.length >= 8 && plain.length <= 15) return 'phone';
  if (/^0\d{2,3}\d{7,8}$/.test(plain) && /^0\d{2,3}[\s-]?\d{7,8}$/.test(raw.trim())) return 'phone';
  if (/^\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}$/.test(raw.trim())) return 'phone';
  if (/^1?\d{10}$/.test(plain) && /[\s().-]/.test(raw)) return 'phone';
  return null;
}

/** Every piece of PII in `text`, as character ranges, in order. */
export function findPii(text: string): PiiFinding[] {
  const mapped = asciiDigits(text);
  const found: PiiFinding[] = [];
  for (const m of mapped.matchAll(email))
    found.push({ kind: 'email', start: m.index, end: m.index + m[0].length });
  for (const m of mapped.matchAll(hkId))
    found.push({ kind: 'id', start: m.index, end: m.index + m[0].length });
  for (const m of mapped.matchAll(numberRun)) {
    // Trim separators the run picked up at its ends ("(", " ").
    const lead = m[0].length - m[0].trimStart().length;
    const raw = m[0].trim();
    const kind = classify(raw);
    if (kind) found.push({ kind, start: m.index + lead, end: m.index + lead + raw.length });
  }
  found.sort((a, b) => a.start - b.start);
  // Overlaps (an e-mail's digits): the first, longest finding wins.
  return found.filter((f, i) => !found.slice(0, i).some((g) => f.start < g.end && g.start < f.end));
}

export interface Redaction {
  text: string;
  findings: PiiFinding[];
}

/** `text` with each piece of PII replaced by its mark ([CARD], [PHONE], [ID], [EMAIL]). */
export function redact(text: string): Redaction {
  const findings = findPii(text);
  if (!findings.length) return { text, findings };
  let out = '';
  let at = 0;
  for (const f of findings) {
    out += text.slice(at, f.start) + piiMarks[f.kind];
    at = f.end;
  }
  return { text: out + text.slice(at), findings };
}
