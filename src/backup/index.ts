export { createBackupApi, type BackupApi, type BackupOptions, type BackupStatus } from './create-backup-api.ts';
export type { BackupReport } from './run-backup.ts';
export type { RestoreReport, DamagedBlob } from './restore-backup.ts';
export type { BackupRun } from './backup-settings.ts';
