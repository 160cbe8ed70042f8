// Contrast: after "but" / "however" / 但是 the speaker says what they mean; what comes before is
// the concession ("the staff were lovely but the flight was a disaster"), and an "although"
// clause is a concession too. As VADER does, the part before the turn counts half and the part
// after it one and a half.

export interface WeightedPart {
  text: string;
  weight: number;
}

// "nothing but", "all but", "not only … but also" are not a turn.
const turnEn = /(?<!\b(?:nothing|anything|all|only|cannot|can't) )\b(?:but|however)\b(?! also\b)/i;
const turnZh = /(?:但是|可是|然而|(?<![不只])不过(?!如此))/u;
const concessionEn = /\b(?:although|even though|despite|though)\b[^,;:]*/i;
const concessionZh = /(?:虽然|尽管|虽说)[^，,；;：:]*/u;

export const concessionWeight = 0.5;
export const turnWeight = 1.5;

/** Splits a sentence at its last turn; an "although" clause becomes its own half-weight part. */
export function contrastParts(sentence: string, chinese: boolean): WeightedPart[] {
  const turn = chinese ? turnZh : turnEn;
  const concession = chinese ? concessionZh : concessionEn;
  const parts: WeightedPart[] = [];
  let rest = sentence;
  let after = 1;
  const m = turn.exec(rest);
  if (m) {
    parts.push({ text: rest.slice(0, m.index), weight: concessionWeight });
    rest = rest.slice(m.index + m[0].length);
    after = turnWeight;
  }
  const c = concession.exec(rest);
  if (c) {
    parts.push({ text: c[0], weight: concessionWeight });
    rest = rest.slice(0, c.index) + ' , ' + rest.slice(c.index + c[0].length);
  }
  parts.push({ text: rest, weight: after });
  return parts.filter((p) => p.text.trim());
}
