import { Option, type Command } from 'commander';
import { BACKEND_REQUESTS, type BackendRequest } from '@snnc/experiments';
import type { Io } from '../io.js';
import { positiveInt } from '../options.js';

/**
 * `snnc trace FILE ...`: the shared registration of the trace modes. `--neuron NAME` drives
 * one neuron (commands/trace-neuron.ts); otherwise a whole model runs on one input sequence
 * (commands/trace-model.ts, `--model` optional when FILE defines one model).
 */
export function registerTraceCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('trace')
    .description('write per-step traces as CSV: one neuron driven by an input (--neuron), or a whole model on one input sequence')
    .argument('<file>', '.snn file (its neurons and models, and the standard library\'s neurons, can be traced)')
    .option('--neuron <name>', 'the neuron to trace: a neuron of FILE or of the standard library')
    .option('--model <name>', 'the model to trace (may be left out when FILE defines one model)')
    .option('--input <value|csv>', 'neuron: a constant or a CSV of one value per step; model: a CSV, one row per step, one column per input unit')
    .option('--checkpoint <run-dir>', 'model: use the trained weights of a run directory, a checkpoint, or a .safetensors file such as snnc import writes (default: as initialised)')
    .option('--state', 'model: also write each neuron layer\'s membrane potential (before firing)')
    .option('--duration <time>', 'neuron: simulated time, such as 1s or 500ms')
    .option('--steps <n>', 'neuron: number of steps', positiveInt)
    .option('--dt <time>', "neuron: step, such as 0.1ms (default: the neuron's dt); model: the step of its continuous-time neurons (NIR imports), and rows labelled t = (step + 1) dt")
    .option('--out <csv>', 'CSV to write')
    .option('--plot <svg>', 'neuron: also draw the trace as an SVG')
    .addOption(new Option('--backend <name>', 'model: tfjs backend').choices(BACKEND_REQUESTS).default('auto'))
    .action(async (file: string, opts: TraceFlags) => {
      if (opts.neuron !== undefined && opts.model !== undefined) {
        io.stderr.write('error: snnc trace takes --neuron or --model, not both\n');
        setExit(2);
        return;
      }
      const missing = (['input', 'out'] as const).filter((k) => opts[k] === undefined);
      if (missing.length > 0) {
        io.stderr.write(`error: snnc trace needs ${missing.map((m) => `--${m}`).join(', ')}\n`);
        setExit(2);
        return;
      }
      if (opts.neuron === undefined) {
        const modelOnly = (['duration', 'steps', 'plot'] as const).filter((k) => opts[k] !== undefined);
        if (modelOnly.length > 0) {
          io.stderr.write(`error: ${modelOnly.map((m) => `--${m}`).join(', ')} only apply with --neuron\n`);
          setExit(2);
          return;
        }
        const { traceModelCommand } = await import('./trace-model.js');
        const o: Parameters<typeof traceModelCommand>[1] = { input: opts.input!, out: opts.out!, state: opts.state === true, backend: opts.backend };
        if (opts.model !== undefined) o.model = opts.model;
        if (opts.checkpoint !== undefined) o.checkpoint = opts.checkpoint;
        if (opts.dt !== undefined) o.dt = opts.dt;
        setExit(await traceModelCommand(file, o, io));
        return;
      }
      if (opts.checkpoint !== undefined || opts.state !== undefined) {
        io.stderr.write('error: --checkpoint and --state only apply to a model trace (--model)\n');
        setExit(2);
        return;
      }
      const { traceNeuronCommand } = await import('./trace-neuron.js');
      const o: Parameters<typeof traceNeuronCommand>[1] = { neuron: opts.neuron, input: opts.input!, out: opts.out! };
      if (opts.duration !== undefined) o.duration = opts.duration;
      if (opts.steps !== undefined) o.steps = opts.steps;
      if (opts.dt !== undefined) o.dt = opts.dt;
      if (opts.plot !== undefined) o.plot = opts.plot;
      setExit(await traceNeuronCommand(file, o, io));
    });
}

interface TraceFlags {
  neuron?: string;
  model?: string;
  input?: string;
  checkpoint?: string;
  state?: boolean;
  duration?: string;
  steps?: number;
  dt?: string;
  out?: string;
  plot?: string;
  backend: BackendRequest;
}
