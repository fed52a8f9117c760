import type { Experiment } from '@snnc/ir';
import type { BatchProgress, EpochMetrics, LayerSpikes } from '@snnc/runtime';
import type { FileWeights } from '../files/nir.js';

/**
 * The tfjs backends the editor trains on (never webgl: ~10x slower than wasm where the GPU is
 * software, see the toolchain notes).
 */
export type BrowserBackend = 'webgpu' | 'wasm' | 'cpu';

/** What the page asks for: `auto` is WebGPU on a hardware GPU adapter, else wasm. */
export type BackendRequest = 'auto' | BrowserBackend;

export type TrainRequest =
  /** `weights`: start from these (an opened `.nir` file's) instead of a fresh initialisation. */
  | { kind: 'start'; experiment: Experiment; backend: BackendRequest; assetUrl: string; weights?: FileWeights }
  | { kind: 'stop' }
  /** Asks for the current weights as a `.safetensors` file. */
  | { kind: 'weights' };

export type TrainResponse =
  | { kind: 'status'; message: string }
  /** `workers`: data-parallel replica workers training together (1: this worker alone). */
  | { kind: 'ready'; backend: BrowserBackend; workers: number; trainCount: number; testCount: number; batchesPerEpoch: number; epochs: number; params: number }
  | { kind: 'batch'; progress: BatchProgress; step: number }
  /** `line` is the report's epoch line (formatEpochLine), made in the worker so the page does not load tfjs. */
  /** `energy`: the estimate per test sample, formatted in the worker too (docs/energy.md). */
  | { kind: 'epoch'; metrics: EpochMetrics; line: string; energy?: { text: string; detail: string } }
  /** A neuron layer stayed silent or saturated over a logging interval (SNN7250/SNN7251, with its hint). */
  | { kind: 'warning'; message: string }
  /**
   * Every neuron layer's spikes for one fixed test sample (eval mode), after epoch `epoch`
   * (0-based), with `epoch` null when a run stopped mid-epoch (sent before `done`), or with
   * `epoch` 'file' before training when the run starts from a file's weights.
   */
  | { kind: 'trace'; epoch: number | 'file' | null; sample: number; label: number; layers: LayerSpikes[] }
  | { kind: 'done'; status: 'completed' | 'aborted' }
  | { kind: 'weights'; bytes: Uint8Array; name: string }
  | { kind: 'error'; message: string };
