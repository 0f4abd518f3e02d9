/**
 * A decorator's one mechanism: `target` with some members replaced by `overrides`, every other
 * member read from `target` as it is (a Proxy, so members a decorator does not name, getters
 * included, need no forwarding code and stay in step with the target). The overrides are built
 * once, by the caller, not on each property read.
 */
export function overriding<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get: (t, prop, receiver) =>
      Object.hasOwn(overrides, prop) ? overrides[prop as keyof T] : Reflect.get(t, prop, receiver),
  });
}
