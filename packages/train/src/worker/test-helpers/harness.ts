/** A host connected to a test worker that records every event and can wait for one. */

import type { MessageEndpoint } from '../endpoint.js';
import { connectTrainer } from '../host.js';
import type { TrainerEvent } from '../protocol.js';
import type { TestJob } from './jobs.js';

export type TestEvent = TrainerEvent<{ n: number }, { epoch: number }>;

export function harness(endpoint: MessageEndpoint) {
  const events: TestEvent[] = [];
  const waiting: Array<() => boolean> = [];
  const connection = connectTrainer<TestJob, { n: number }, { epoch: number }>(endpoint, (m) => {
    events.push(m);
    for (let i = waiting.length - 1; i >= 0; i--) if (waiting[i]!()) waiting.splice(i, 1);
  });
  /** The first event (from index `from` on) that `pick` accepts, waiting for it if needed. */
  function until<E extends TestEvent>(pick: (e: TestEvent) => e is E, from = 0): Promise<E> {
    return new Promise((ok) => {
      const check = () => {
        const found = events.slice(from).find(pick);
        if (found) ok(found);
        return found !== undefined;
      };
      if (!check()) waiting.push(check);
    });
  }
  const of =
    <T extends TestEvent['type']>(type: T) =>
    (e: TestEvent): e is Extract<TestEvent, { type: T }> =>
      e.type === type;
  const progress = () => events.filter(of('progress'));
  return { connection, events, until, of, progress };
}
