/** Per-file counters, for the origin that serves the file's bytes. */
export interface FileStats {
  requests: number;
  rangeRequests: number;
  /** Body bytes actually written. */
  bytes: number;
  statuses: number[];
  /** Bodies of this file being written now (a client that went away is noticed a little later). */
  inFlight: number;
}

/** One request as the fake hub saw it (control API calls are not recorded). */
export interface RequestRecord {
  origin: 'hub' | 'cdn';
  method: string;
  /** Absolute URL. */
  url: string;
  range?: string;
  authorization?: string;
  /** 0 until the response head is sent. */
  status: number;
  /** Repo and file the request was about, when known (CDN requests included). */
  repo?: string;
  path?: string;
}

/** Counters since start or the last reset. */
export interface HubStats {
  /** Keyed "org/name/path". */
  files: Record<string, FileStats>;
  cdnAuthorizationSeen: number;
  inFlight: number;
  /** Most body streams (both origins) at once. */
  maxInFlight: number;
  requests: RequestRecord[];
}

const MAX_RECORDS = 20_000;

/** Collects HubStats. */
export class StatsRecorder {
  private files = new Map<string, FileStats>();
  private records: RequestRecord[] = [];
  private cdnAuth = 0;
  private inFlight = 0;
  private maxInFlight = 0;

  /** Counters of a file (created on first use). */
  file(key: string): FileStats {
    let s = this.files.get(key);
    if (!s) {
      s = { requests: 0, rangeRequests: 0, bytes: 0, statuses: [], inFlight: 0 };
      this.files.set(key, s);
    }
    return s;
  }

  /** Adds a request record (the oldest go beyond 20000) and returns it for later status updates. */
  request(record: RequestRecord): RequestRecord {
    this.records.push(record);
    if (this.records.length > MAX_RECORDS) this.records.splice(0, this.records.length - MAX_RECORDS);
    if (record.origin === 'cdn' && record.authorization !== undefined) this.cdnAuth++;
    return record;
  }

  /** Marks a body stream of file `key` as started; call the returned function (idempotent) when it ends. */
  streamStarted(key: string): () => void {
    const file = this.file(key);
    file.inFlight++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      file.inFlight--;
      this.inFlight--;
    };
  }

  /** A deep copy of the counters, optionally only those about one repo. */
  snapshot(repo?: string): HubStats {
    const files: Record<string, FileStats> = {};
    for (const [k, v] of this.files) {
      if (repo === undefined || k.startsWith(`${repo}/`)) files[k] = { ...v, statuses: [...v.statuses] };
    }
    const requests = this.records.filter((r) => repo === undefined || r.repo === repo).map((r) => ({ ...r }));
    return { files, cdnAuthorizationSeen: this.cdnAuth, inFlight: this.inFlight, maxInFlight: this.maxInFlight, requests };
  }

  /** Clears everything except streams still in flight (maxInFlight restarts from those). */
  reset(): void {
    this.files.clear();
    this.records = [];
    this.cdnAuth = 0;
    this.maxInFlight = this.inFlight;
  }
}
