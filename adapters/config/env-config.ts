/**
 * Env config for every deployable: read once, every key checked, all problems reported together,
 * the result frozen. An empty variable (as Terraform may render an unset optional) means "unset".
 */
export class ConfigError extends Error {
  static readonly code = 'ERR_CONFIG';
  readonly code = ConfigError.code;
  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid ${service} config:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Collects problems while reading typed values; `done()` throws if there were any. */
export class EnvReader {
  private readonly problems: string[] = [];
  constructor(
    private readonly env: Env,
    private readonly service: string,
  ) {}

  private raw(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  }

  string(name: string, fallback?: string): string {
    const v = this.raw(name) ?? fallback;
    if (v === undefined) {
      this.problems.push(`${name}: required`);
      return '';
    }
    return v;
  }

  optional(name: string): string | undefined {
    return this.raw(name);
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${name}: must be an integer from ${min} to ${max} (got ${JSON.stringify(v)})`);
      return fallback;
    }
    return n;
  }

  bool(name: string, fallback: boolean): boolean {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
    this.problems.push(`${name}: must be true or false (got ${JSON.stringify(v)})`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    this.problems.push(`${name}: must be one of ${allowed.join(', ')} (got ${JSON.stringify(v)})`);
    return fallback;
  }

  url(name: string, opts: { required: boolean; fallback?: string }): string | undefined {
    const v = this.raw(name) ?? opts.fallback;
    if (v === undefined) {
      if (opts.required) this.problems.push(`${name}: required`);
      return undefined;
    }
    if (!URL.canParse(v)) this.problems.push(`${name}: not a URL (got ${JSON.stringify(v)})`);
    return v;
  }

  list(name: string, fallback: readonly string[] = []): string[] {
    const v = this.raw(name);
    return v === undefined
      ? [...fallback]
      : v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  }

  problem(message: string): void {
    this.problems.push(message);
  }

  done<T extends object>(config: T): Readonly<T> {
    if (this.problems.length > 0) throw new ConfigError(this.service, this.problems);
    return Object.freeze(config);
  }
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
