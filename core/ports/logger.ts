/** The slice of a pino logger that core uses (core does not import pino). */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
  /** pino's: false when a call at `level` would write nothing */
  isLevelEnabled?(level: string): boolean;
}

/**
 * A child logger made on its first line. Most requests log nothing at info, and a pino child
 * (bindings serialized up front) was ~2 % of the gateway's CPU per request; this one costs a
 * closure until something is written. Debug calls are dropped without making it when the parent
 * says debug is off.
 */
export function lazyChild(parent: Logger, bindings: Record<string, unknown>): Logger {
  let made: Logger | undefined;
  const get = (): Logger => {
    made ??= parent.child(bindings);
    return made;
  };
  return {
    debug(obj, msg) {
      if (parent.isLevelEnabled?.('debug') !== false) get().debug(obj, msg);
    },
    info: (obj, msg) => get().info(obj, msg),
    warn: (obj, msg) => get().warn(obj, msg),
    error: (obj, msg) => get().error(obj, msg),
    child: (more) => lazyChild(parent, { ...bindings, ...more }),
    isLevelEnabled: (level) => parent.isLevelEnabled?.(level) ?? true,
  };
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};
