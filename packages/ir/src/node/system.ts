import { createRequire } from 'node:module';
import os from 'node:os';

/** The machine a run ran on, for run records and summaries (one shape for every package). */
export interface MachineInfo {
  hostname: string;
  /** `linux 6.8.0-...` */
  platform: string;
  arch: string;
  cpuModel: string;
  /** Cores available to this process (os.availableParallelism). */
  cores: number;
  memoryBytes: number;
  /** The Node.js version, `v20.20.2`. */
  node: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    platform: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    node: process.version,
  };
}

/** The snnc version (the toolchain's packages share one version), recorded in every run. */
export function snncVersion(): string {
  // dist/node/system.js and src/node/system.ts both sit two levels below package.json
  const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };
  return pkg.version;
}
