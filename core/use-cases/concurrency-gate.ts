/**
 * A bound on how many calls of one kind run at once in a process; the others wait in arrival
 * order, holding nothing meanwhile. ListTasks goes through one (gateway/app.ts makes it), so a
 * flood of large lists takes a few turns of the event loop at a time instead of all of them.
 */
export interface ConcurrencyGate {
  run<T>(fn: () => Promise<T>): Promise<T>;
}

export function concurrencyGate(limit: number): ConcurrencyGate {
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error('concurrency gate: limit must be a positive integer');
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    async run(fn) {
      if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      else active += 1;
      try {
        return await fn();
      } finally {
        // hand the place straight to the next caller, or free it
        const next = waiting.shift();
        if (next) next();
        else active -= 1;
      }
    },
  };
}
