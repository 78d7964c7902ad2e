import { cpus, release, totalmem } from 'node:os';

/** The machine a benchmark ran on. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  chromium?: string;
}

/** CPU model, core count, memory, kernel and Node version of this machine. */
export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
  };
}

/** One line describing `info`. */
export function describeMachine(info: MachineInfo): string {
  const chromium = info.chromium === undefined ? '' : `, Chromium ${info.chromium}`;
  return `${info.cpu}, ${info.cores} cores, ${info.memoryGiB} GiB, Linux ${info.kernel}, Node ${info.node}${chromium}`;
}
