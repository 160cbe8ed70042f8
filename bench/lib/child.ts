// Runs a TypeScript module in a child process (through tsx) and talks to it by request/reply
// over the IPC channel, so benchmark peers load a core other than the process they measure.
import { fork, type ChildProcess } from 'node:child_process';

export class BenchChild {
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: unknown) => void>();

  constructor(modulePath: string) {
    this.child = fork(modulePath, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (message: { id: number; reply: unknown }) => {
      this.waiting.get(message.id)?.(message.reply);
      this.waiting.delete(message.id);
    });
  }

  request<T>(command: Record<string, unknown>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, resolve as (reply: unknown) => void);
      this.child.send({ id, ...command }, (err) => err && reject(err));
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill();
    await exited;
  }
}

/** In the child: answers each request with `handler`'s result. */
export function serveRequests(handler: (command: Record<string, unknown>) => Promise<unknown>): void {
  process.on('message', (message: { id: number } & Record<string, unknown>) => {
    void handler(message).then((reply) => process.send?.({ id: message.id, reply }));
  });
}
