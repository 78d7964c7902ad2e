/** How a file's content hash was computed: LFS files use SHA-256, files stored in git use the git blob SHA-1. */
export type HashAlgorithm = 'sha256' | 'git-sha1';

/** A content hash, lowercase hex. */
export interface FileHash {
  algorithm: HashAlgorithm;
  value: string;
}

/** One file of a repo at a commit, as the Hub lists it. */
export interface RepoFile {
  path: string;
  size: number;
  hash: FileHash;
  lfs: boolean;
}

/** Where and as whom to talk to the Hub, and how long to wait. */
export interface HubContext {
  endpoint: string;
  accessToken?: string | undefined;
  signal?: AbortSignal | undefined;
  /**
   * An answer that sends no byte for this long is STALLED.
   * @default 30 s
   */
  stallMs?: number;
  /**
   * An answer not complete within this long is TIMEOUT.
   * @default 1 h
   */
  timeoutMs?: number;
}
