/** One injected misbehaviour. */
export type Fault =
  /** Send N body bytes, then destroy the socket. */
  /** Sends N body bytes, then closes the connection (after `lingerMs`, so the client can read what it got). */
  | { type: 'drop'; afterBytes: number; lingerMs?: number }
  /** Send N body bytes, then nothing: until the client gives up, or for `ms` and then the rest. */
  | { type: 'stall'; afterBytes: number; ms?: number }
  /**
   * Flip the byte at this file offset (xor `xor`, default 0xff), when the served range includes it
   * (of an API answer: at this body offset). `xor: 1` flips one bit and keeps ASCII text valid.
   */
  | { type: 'corrupt'; atByte: number; xor?: number }
  /** Announce this Content-Length, send the real bytes, then close the connection. */
  | { type: 'wrong-length'; contentLength: number }
  /** Answer 200 with the whole file although a Range was asked. */
  | { type: 'ignore-range' }
  /**
   * Answer this status (JSON error body), with Retry-After when given; `exposeRetryAfter` makes it
   * readable cross-origin on the Hub origin (the live Hub does not expose it; a mirror may).
   */
  | { type: 'status'; status: number; retryAfter?: number; exposeRetryAfter?: boolean }
  /** Answer 200 text/html (a captive-portal "gateway login" page) instead of the content. */
  | { type: 'html' }
  /** Sends N body bytes, then nothing until the control API releases `name` (`POST /__hub/release/{name}`), then the rest. */
  | { type: 'hold'; afterBytes: number; name: string }
  /** Send the body at this rate. */
  | { type: 'throttle'; bytesPerSecond: number };

/** When to inject a fault: matching requests, how many times. */
export interface FaultRule {
  /** "org/name"; any repo when absent. */
  repo?: string;
  /** File path in the repo, exact; any request of the repo (API ones too, for origin "hub") when absent. */
  path?: string;
  /** "bytes" (default): whichever origin serves the file's bytes (cdn for LFS, hub otherwise). */
  origin?: 'hub' | 'cdn' | 'bytes';
  /** Only this kind of API call (origin "hub"): model info (revision), tree listing, paths-info. */
  api?: 'info' | 'tree' | 'paths-info';
  /** Default 1; 0 = forever. */
  times?: number;
  fault: Fault;
}

/** What a request is, for matching. */
export interface FaultTarget {
  origin: 'hub' | 'cdn';
  method: string;
  repo?: string;
  path?: string;
  /** Whether the response carries the file's own bytes. */
  servesBytes: boolean;
  /** The kind of API call, for API answers. */
  api?: 'info' | 'tree' | 'paths-info';
  /** Whether a GET answer would have a body. */
  hasBody: boolean;
  rangeRequested: boolean;
  /** Inclusive file range the response would serve. */
  served?: { start: number; end: number };
}

interface Entry {
  id: string;
  rule: FaultRule;
  left: number;
}

const nonNegative = (n: unknown): boolean => typeof n === 'number' && Number.isFinite(n) && n >= 0;

/** Throws unless `rule` is a well-formed FaultRule. */
export function validateFaultRule(rule: FaultRule): void {
  const f = rule?.fault;
  if (!f || typeof f !== 'object') throw new Error('fault rule needs a fault');
  if (rule.origin !== undefined && !['hub', 'cdn', 'bytes'].includes(rule.origin)) throw new Error(`bad origin ${String(rule.origin)}`);
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times >= 0)) throw new Error('times must be an integer >= 0');
  const ok = (() => {
    switch (f.type) {
      case 'drop':
        return nonNegative(f.afterBytes) && (f.lingerMs === undefined || nonNegative(f.lingerMs));
      case 'stall':
        return nonNegative(f.afterBytes) && (f.ms === undefined || nonNegative(f.ms));
      case 'hold':
        return nonNegative(f.afterBytes) && typeof f.name === 'string' && f.name.length > 0;
      case 'corrupt':
        return nonNegative(f.atByte) && (f.xor === undefined || (Number.isInteger(f.xor) && f.xor >= 1 && f.xor <= 255));
      case 'wrong-length':
        return nonNegative(f.contentLength);
      case 'ignore-range':
      case 'html':
        return true;
      case 'status':
        return (
          Number.isInteger(f.status) && f.status >= 200 && f.status <= 599 && (f.retryAfter === undefined || nonNegative(f.retryAfter))
        );
      case 'throttle':
        return typeof f.bytesPerSecond === 'number' && f.bytesPerSecond > 0;
      default:
        return false;
    }
  })();
  if (!ok) throw new Error(`invalid fault ${JSON.stringify(f)}`);
}

function applies(fault: Fault, t: FaultTarget): boolean {
  const get = t.method === 'GET';
  switch (fault.type) {
    case 'status':
    case 'html':
      return get || t.method === 'HEAD';
    case 'drop':
    case 'stall':
    case 'hold':
    case 'wrong-length':
    case 'throttle':
      return get && t.hasBody;
    case 'corrupt':
      if (!t.servesBytes) return get && t.hasBody && t.api !== undefined;
      return get && !!t.served && fault.atByte >= t.served.start && fault.atByte <= t.served.end;
    case 'ignore-range':
      return get && t.servesBytes && t.rangeRequested;
  }
}

/** Active fault rules, oldest first; a request takes the first rule that matches it. */
export class FaultList {
  private entries: Entry[] = [];
  private next = 1;

  /** Adds a rule, returns its id. */
  add(rule: FaultRule): string {
    validateFaultRule(rule);
    const id = `fault-${this.next++}`;
    this.entries.push({ id, rule: structuredClone(rule), left: rule.times ?? 1 });
    return id;
  }

  /** Removes a rule; false if it was not (or no longer) there. */
  remove(id: string): boolean {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.id !== id);
    return this.entries.length !== before;
  }

  /** Removes every rule. */
  clear(): void {
    this.entries = [];
  }

  /** The fault for a request, if any; counts one use of the matching rule. */
  take(t: FaultTarget): Fault | undefined {
    for (const e of this.entries) {
      const { rule } = e;
      if (rule.repo !== undefined && rule.repo !== t.repo) continue;
      if (rule.path !== undefined && rule.path !== t.path) continue;
      if (rule.api !== undefined && rule.api !== t.api) continue;
      const origin = rule.origin ?? 'bytes';
      if (origin === 'bytes' ? !t.servesBytes : origin !== t.origin) continue;
      if (!applies(rule.fault, t)) continue;
      if (e.left > 0 && --e.left === 0) this.remove(e.id);
      return rule.fault;
    }
    return undefined;
  }
}
