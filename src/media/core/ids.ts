// Identifiers in Asterisk's shapes. Channel unique ids are "<epoch seconds>.<sequence>";
// channel names carry an 8-hex-digit sequence shared by every technology
// (PJSIP/agent1-0000000b); playbacks and bridges get UUIDs.
import { randomUUID } from 'node:crypto';

let uniqueSeq = 0;
let nameSeq = 0;

export function newUniqueId(now: number = Date.now()): string {
  uniqueSeq += 1;
  return `${Math.floor(now / 1000)}.${uniqueSeq}`;
}

export function nextNameSuffix(): string {
  nameSeq = (nameSeq + 1) % 0x100000000;
  return nameSeq.toString(16).padStart(8, '0');
}

export function newUuid(): string {
  return randomUUID();
}
