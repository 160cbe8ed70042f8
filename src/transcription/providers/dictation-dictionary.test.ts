import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cutDictionary, dictationDictionary, trieVocabulary } from './dictation-dictionary.js';

const MODEL = '/usr/share/pocketsphinx/model/en-us';

/** A trie-format language model as sphinxbase writes it: header, counts, data, then the words. */
function trieModel(words: string[]): Buffer {
  const counts = Buffer.alloc(4);
  counts.writeUInt32LE(words.length);
  return Buffer.concat([
    Buffer.from('Trie Language Model', 'latin1'),
    Buffer.from([1]),
    counts,
    Buffer.from([7, 7, 7, 0]),
    Buffer.from(`${words.join('\0')}\0`),
  ]);
}

const dirs: string[] = [];
function work(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hotline-dict-test-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('dictation dictionary', () => {
  it("reads the vocabulary of Debian's English language model", () => {
    const vocabulary = trieVocabulary(readFileSync(`${MODEL}/en-us.lm.bin`))!;
    expect(vocabulary.size).toBe(72547);
    for (const word of ['hello', 'patience', "'bout", '</s>']) expect(vocabulary.has(word)).toBe(true);
  });

  it('reads no vocabulary from a model that is not in the trie format', () => {
    expect(trieVocabulary(Buffer.from('\\data\\\nngram 1=2\n'))).toBeNull();
    // The header promises more words than the file holds.
    const short = trieModel(['hello']);
    short.writeUInt32LE(5, 20);
    expect(trieVocabulary(short)).toBeNull();
  });

  it('keeps the entries of the words in the vocabulary, alternative pronunciations too', () => {
    const dict = 'hello HH AH L OW\nhello(2) HH EH L OW\nzorblax Z AO R B L AE K S\nworld W ER L D\n';
    expect(cutDictionary(dict, new Set(['hello', 'world']))).toBe(
      'hello HH AH L OW\nhello(2) HH EH L OW\nworld W ER L D\n',
    );
  });

  it('writes the cut copy once and a new one when the dictionary changes', async () => {
    const dir = work();
    const lm = path.join(dir, 'model.lm.bin');
    const dict = path.join(dir, 'words.dict');
    writeFileSync(lm, trieModel(['hello', 'world']));
    writeFileSync(dict, 'hello HH AH L OW\nzorblax Z AO R B L AE K S\n');
    const first = await dictationDictionary(lm, dict, dir);
    expect(first).not.toBe(dict);
    expect(readFileSync(first, 'utf8')).toBe('hello HH AH L OW\n');
    expect(await dictationDictionary(lm, dict, dir)).toBe(first);
    writeFileSync(dict, 'hello HH AH L OW\nworld W ER L D\n');
    const second = await dictationDictionary(lm, dict, dir);
    expect(second).not.toBe(first);
    expect(readFileSync(second, 'utf8')).toBe('hello HH AH L OW\nworld W ER L D\n');
  });

  it('uses the whole dictionary when the model cannot be read as a trie', async () => {
    const dir = work();
    const lm = path.join(dir, 'model.lm');
    const dict = path.join(dir, 'words.dict');
    writeFileSync(lm, '\\data\\\nngram 1=1\n');
    writeFileSync(dict, 'hello HH AH L OW\n');
    expect(await dictationDictionary(lm, dict, dir)).toBe(dict);
    expect(await dictationDictionary(path.join(dir, 'missing.lm'), dict, dir)).toBe(dict);
  });
});
