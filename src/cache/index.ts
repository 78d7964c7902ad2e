export { createCacheApi, type CacheApi, type VerifyReport, type VerifyProblem } from './create-cache-api.ts';
export { makeRoom } from './make-room.ts';
export { storeLocalBlob, type LocalBlob } from './store-local-blob.ts';
export { parseArchiveManifest, type ArchiveManifest } from './archive/index.ts';
