// A named pipe to stream audio into a recogniser process that reads its input from a file path.
//
// Why not the child's stdin: Node gives a child a socketpair, not a pipe, and
// `pocketsphinx_continuous -infile /dev/stdin` cannot fopen() a socket (ENXIO). A FIFO is a real
// pipe. The writer opens it O_RDWR, which on Linux never blocks (no libuv thread waits for the
// reader to open it, and writes never fail with EPIPE while the reader starts); closing our end
// is the reader's end of file.
import { execFile } from 'node:child_process';
import { constants, open } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const openAsync = promisify(open);

export interface FifoDir {
  /** A private temporary folder for the FIFO and whatever else the process needs (grammars). */
  dir: string;
  fifoPath: string;
  /** Writes into the FIFO; `end()` closes it (the reader sees end of file). */
  writer: net.Socket;
  /** Closes the writer and deletes the folder. Safe to call more than once. */
  remove(): Promise<void>;
}

export async function createFifo(prefix = 'hotline-asr-'): Promise<FifoDir> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  const fifoPath = path.join(dir, 'audio');
  try {
    await execFileAsync('mkfifo', ['-m', '600', fifoPath]);
    const fd = await openAsync(fifoPath, constants.O_RDWR);
    const writer = new net.Socket({ fd, readable: false, writable: true });
    // A reader that died leaves nothing to report here: the process exit says why.
    writer.on('error', () => undefined);
    let removed: Promise<void> | null = null;
    return {
      dir,
      fifoPath,
      writer,
      remove() {
        removed ??= (async () => {
          writer.destroy();
          await rm(dir, { recursive: true, force: true });
        })();
        return removed;
      },
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
