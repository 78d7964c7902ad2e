export { createCacheApi, type CacheApi, type VerifyReport, type VerifyProblem } from './create-cache-api.ts';
export { makeRoom } from './make-room.ts';
