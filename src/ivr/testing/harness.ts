// Runs flows written inline in a test against the fakes: parse (with the real validator), start
// a CallSession, and hand back the pieces to drive and inspect.
import { formatProblem } from '../errors.js';
import type { Flow } from '../flow/flow.js';
import { parseFlow } from '../flow/load.js';
import { defaultLanguages } from '../languages.js';
import { CallSession, type SessionEnd } from '../runtime/session.js';
import type { IvrServices } from '../verbs/verb.js';
import { FakeChannel, FakeSources, MemoryTrail, fakeServices, testLogger } from './fakes.js';

export function flowFrom(yaml: string, file = 'test.yaml'): Flow {
  const result = parseFlow(yaml, file, { languages: Object.keys(defaultLanguages) });
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  return result.flow;
}

export interface Running {
  session: CallSession;
  channel: FakeChannel;
  trail: MemoryTrail;
  sources: FakeSources;
  services: IvrServices;
  done: Promise<SessionEnd>;
  responseTimes: number[];
}

export function runFlows(
  flows: Flow | Flow[],
  options: {
    services?: Partial<IvrServices>;
    channel?: FakeChannel;
    maxSteps?: number;
    sources?: FakeSources;
    vars?: Record<string, unknown>;
  } = {},
): Running {
  const list = Array.isArray(flows) ? flows : [flows];
  const channel = options.channel ?? new FakeChannel();
  const trail = new MemoryTrail();
  const sources = options.sources ?? new FakeSources();
  const services = fakeServices(options.services);
  const responseTimes: number[] = [];
  const session = new CallSession({
    call: {
      id: channel.id,
      callerNumber: channel.callerNumber,
      callerName: channel.callerName,
      dialled: channel.dialled,
    },
    channel,
    flows: new Map(list.map((f) => [f.name, f])),
    entry: list[0]!,
    services,
    trail,
    sources,
    log: testLogger,
    defaultLanguage: 'en',
    maxSteps: options.maxSteps ?? 200,
    vars: options.vars,
    onResponseTime: (ms) => responseTimes.push(ms),
  });
  return { session, channel, trail, sources, services, done: session.run(), responseTimes };
}
