import { describe, expect, it } from 'vitest';
import { ControlQueue, QueueClosedError } from './control-queue.js';

describe('a channel command queue', () => {
  it('runs commands one after another in the order they came', async () => {
    const q = new ControlQueue();
    const order: string[] = [];
    let release!: () => void;
    const first = q.run(() => new Promise<void>((r) => (release = () => (order.push('first'), r()))));
    const second = q.run(() => void order.push('second'));
    await Promise.resolve();
    expect(order).toEqual([]);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
  });

  it('drops what has not started when closed, and refuses new commands', async () => {
    const q = new ControlQueue();
    let release!: () => void;
    const running = q.run(() => new Promise<void>((r) => (release = r)));
    const waiting = q.run(() => 'never');
    await Promise.resolve();
    q.close();
    release();
    await running;
    await expect(waiting).rejects.toBeInstanceOf(QueueClosedError);
    await expect(q.run(() => 1)).rejects.toBeInstanceOf(QueueClosedError);
  });

  it('keeps going after a command fails', async () => {
    const q = new ControlQueue();
    await expect(q.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(q.run(() => 2)).resolves.toBe(2);
    expect(q.size).toBe(0);
  });
});
