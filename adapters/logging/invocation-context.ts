/**
 * The Lambda invocation a log line belongs to. Each Lambda entry runs its handler inside
 * `withInvocation(context, …)`; the logger's mixin adds `awsRequestId` to every line written
 * during that invocation, however deep the call, without threading it through every function.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

interface Invocation {
  awsRequestId: string;
}

const storage = new AsyncLocalStorage<Invocation>();

export function invocationFields(): Record<string, string> {
  const current = storage.getStore();
  return current ? { awsRequestId: current.awsRequestId } : {};
}

/** Wraps a Lambda handler so its logs carry the invocation's request id. */
export function withInvocation<E, R, C extends { awsRequestId?: string } = { awsRequestId?: string }>(
  handler: (event: E, context?: C) => Promise<R>,
): (event: E, context?: C) => Promise<R> {
  return (event, context) => {
    const awsRequestId = context?.awsRequestId;
    return awsRequestId
      ? storage.run({ awsRequestId }, () => handler(event, context))
      : handler(event, context);
  };
}
