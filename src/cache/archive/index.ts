export { parseArchiveManifest, type ArchiveManifest } from './archive-manifest.ts';
export { writeArchive } from './write-archive.ts';
export { readArchive, type ArchiveEntry, type ArchiveLimits } from './read-archive.ts';
