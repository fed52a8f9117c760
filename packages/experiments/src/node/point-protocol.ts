import type { RunRecord } from '../types.js';
import type { RecordInput } from './record.js';

/** Parent -> point process: what to train, where, and with which trainer module. */
export interface PointJob extends RecordInput {
  runDir: string;
  trainerModule: string;
  /** Continue the interrupted run in `runDir` (see isResumable) instead of emptying it. */
  resume?: boolean;
}

/** Point process -> parent. */
export type PointMessage = { kind: 'started'; pid: number } | { kind: 'finished'; record: RunRecord };

export type ParentMessage = { kind: 'run'; job: PointJob };
