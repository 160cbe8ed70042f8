// Checksums that tell a real card or ID number from any long number, so redaction hides the
// caller's card and not an order number.

/** Luhn (ISO/IEC 7812) check of a card number's digits. */
export function luhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const idCheck = '10X98765432';

function plausibleDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** PRC resident identity card, 18 characters (GB 11643-1999): region, birth date, checksum. */
export function cnIdValid(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  const sum = idWeights.reduce((acc, w, i) => acc + w * (id.charCodeAt(i) - 48), 0);
  if (idCheck[sum % 11] !== id[17]!.toUpperCase()) return false;
  return plausibleDate(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14)));
}

/** The old 15-digit PRC ID: no checksum, but a two-digit-year birth date at 7–12. */
export function cnId15Plausible(id: string): boolean {
  if (!/^\d{15}$/.test(id)) return false;
  return plausibleDate(1900 + Number(id.slice(6, 8)), Number(id.slice(8, 10)), Number(id.slice(10, 12)));
}
