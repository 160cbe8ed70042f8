// Emoticons, emoji and Weibo's bracketed faces carry feeling that the word lexicons never see
// (punctuation is dropped before scoring). A crying or angry face is the writer's own emotion,
// so it scores like a feeling word; a smile or laughter softens the segment.

export interface Emoticons {
  /** AFINN-scale sum of the faces found (sad/angry negative, smiles positive). */
  score: number;
  /** An angry face (😠, >:(, [怒]): intensity, not only displeasure. */
  angry: boolean;
  /** Sad or angry faces: the writer showing their own feeling, as a feeling word does. */
  upset: number;
}

// ASCII faces: not after a digit or another colon (a time "10:30", a link "https://"), and a
// repeated mouth (":((((") is one face. "D:" and "):" are left out: "Plan D:" and "(see above):"
// are far commoner in service text than the faces.
const sadAscii = /(?<![\d:])(?:[:;]-?'?\(+|:-?\[|:-?\/(?![\w/])|\bt_t\b|;_;)/gi;
const angryAscii = /(?<![\d:])>:-?[([]+/gu;
const smileAscii = /(?<![\d:])(?:[:;]-?\)+|:-?d\b|:-?p\b|\^_*\^)/gi;

const sadEmoji = /[😞😟😢😥😩😫😭😔😕🙁☹😖😣💔]/gu;
const angryEmoji = /[😠😡🤬😤🙄👎]/gu;
const smileEmoji = /[😀😁😂🤣😃😄😅😆😊🙂😉😍🥰😘👍❤💕🙏]/gu;

// Weibo/WeChat faces as the text of their brackets. [泪], [汗], [晕], [衰], [囧] are left out: on
// Weibo they as often mean moved, embarrassed or teasing as sad; [呵呵] and [微笑] are Weibo's
// sarcastic faces, not smiles.
const sadBracket = /\[(委屈|伤心|失望|悲伤)\]/gu;
const angryBracket = /\[(怒|发怒|發怒|哼|鄙视|生气|怒骂|左哼哼|右哼哼|白眼)\]/gu;
const smileBracket = /\[(哈哈|嘻嘻|偷笑|可爱|爱你|心|赞|good|鼓掌|耶|太开心|抱抱)\]/giu;

// Laughter written out is mostly friendly in service text ("lol", "haha"), but is already in
// AFINN; it is not repeated here.

const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

export function emoticonsOf(text: string): Emoticons {
  const angry = count(text, angryAscii) + count(text, angryEmoji) + count(text, angryBracket);
  const sad = count(text, sadAscii) + count(text, sadEmoji) + count(text, sadBracket);
  const smile = count(text, smileAscii) + count(text, smileEmoji) + count(text, smileBracket);
  // Faces repeat for emphasis; beyond two they add nothing.
  const score = -3 * Math.min(2, angry) - 2 * Math.min(2, sad) + 2 * Math.min(2, smile);
  return { score, angry: angry > 0, upset: angry + sad };
}
