export { startFakeHub, type FakeHub, type FakeHubOptions } from './server';
export {
  DEFAULT_TOKEN,
  gitBlobSha1,
  isLfsPath,
  lfsPointer,
  type FileSource,
  type RepoDef,
  type RepoFileInfo,
  type RepoInfo,
} from './repos';
export type { Fault, FaultRule } from './faults';
export type { FileStats, HubStats, RequestRecord } from './stats';
export { SYNTHETIC_BLOCK_SIZE, syntheticBlock, syntheticBytes, syntheticChunks } from './content';
export { GATEWAY_LOGIN_HTML } from './respond';
