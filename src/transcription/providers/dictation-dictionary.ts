// The pronunciation dictionary cut down to the words of the language model, for dictation.
// pocketsphinx_continuous spends most of its start-up reading the dictionary (Debian's
// cmudict-en-us.dict: 134,723 entries, 0.22 of the 0.29 CPU-seconds a recogniser takes to load,
// measured) although in dictation it can only ever output words of the language model (72,547 in
// en-us.lm.bin): the search tree it builds is the same with the cut-down copy ("Created 723 root,
// 152481 non-root channels" either way), so results are the same, for 75% of the load time and
// 14 MB less memory per recogniser. Speech menus keep the whole dictionary (their phrases may use
// words the language model lacks).
//
// Hand-written: no library reads sphinxbase's binary "trie" language model. Its vocabulary is the
// file's tail, one NUL-terminated word per unigram, the unigram count in the header. Anything else
// (an ARPA or DMP model, a header that does not match) keeps the whole dictionary.
import { createHash } from 'node:crypto';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const TRIE_MAGIC = 'Trie Language Model';

/** The words of a trie-format binary language model, or null when it is not one. */
export function trieVocabulary(lm: Buffer): Set<string> | null {
  if (lm.length < TRIE_MAGIC.length + 5 || lm.toString('latin1', 0, TRIE_MAGIC.length) !== TRIE_MAGIC)
    return null;
  const order = lm[TRIE_MAGIC.length]!;
  if (order < 1 || order > 9) return null;
  const unigrams = lm.readUInt32LE(TRIE_MAGIC.length + 1);
  if (lm[lm.length - 1] !== 0) return null;
  const words: string[] = [];
  let end = lm.length - 1;
  for (let i = lm.length - 2; i >= 0 && words.length < unigrams; i--) {
    if (lm[i] !== 0) continue;
    words.push(lm.toString('utf8', i + 1, end));
    end = i;
  }
  if (words.length < unigrams) return null;
  return words.some((w) => !w || /[\s\0]/.test(w)) ? null : new Set(words);
}

/** The dictionary entries (alternative pronunciations included) whose word is in `vocabulary`. */
export function cutDictionary(dict: string, vocabulary: Set<string>): string {
  const kept: string[] = [];
  for (const line of dict.split('\n')) {
    const head = line.split(/\s/, 1)[0];
    if (head && vocabulary.has(head.replace(/\(\d+\)$/, ''))) kept.push(line);
  }
  return kept.length ? `${kept.join('\n')}\n` : '';
}

const made = new Map<string, Promise<string>>();

/** `dictationDictionary` once per process for each model and dictionary. */
export function dictationDictionaryOnce(lm: string, dict: string): Promise<string> {
  const key = `${lm}\0${dict}`;
  let found = made.get(key);
  if (!found) made.set(key, (found = dictationDictionary(lm, dict)));
  return found;
}

/**
 * A cut-down copy of `dict` for `lm`, cached in the temporary folder under a name that changes
 * with either file; `dict` itself when the model's vocabulary cannot be read.
 */
export async function dictationDictionary(lm: string, dict: string, dir = tmpdir()): Promise<string> {
  try {
    const [lmStat, dictStat] = await Promise.all([stat(lm), stat(dict)]);
    const key = createHash('sha256')
      .update(`${lm}:${lmStat.size}:${lmStat.mtimeMs}:${dict}:${dictStat.size}:${dictStat.mtimeMs}`)
      .digest('hex')
      .slice(0, 16);
    const cached = path.join(dir, `hotline-dictation-${key}.dict`);
    if (
      await stat(cached).then(
        (s) => s.size > 0,
        () => false,
      )
    )
      return cached;
    const vocabulary = trieVocabulary(await readFile(lm));
    if (!vocabulary) return dict;
    const cut = cutDictionary(await readFile(dict, 'utf8'), vocabulary);
    if (!cut) return dict;
    // Written whole, then renamed: a recogniser never reads a half-written copy.
    const partial = `${cached}.${process.pid}.part`;
    await writeFile(partial, cut);
    await rename(partial, cached);
    return cached;
  } catch {
    // Unreadable files: the recogniser reports those itself, naming them.
    return dict;
  }
}
