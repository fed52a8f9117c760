import type { Command } from 'commander';
import type { Io } from '../io.js';
import { positiveInt } from '../options.js';

/**
 * `snnc trace FILE ...`: the shared registration of the trace modes. `--neuron NAME` drives
 * one neuron (commands/trace-neuron.ts); a whole-model mode can be added beside it.
 */
export function registerTraceCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('trace')
    .description('drive one neuron with a constant or recorded input and write its state per step as CSV')
    .argument('<file>', '.snn file (its neurons, and the standard library, can be traced)')
    .option('--neuron <name>', 'the neuron to trace: a neuron of FILE or of the standard library')
    .option('--input <value|csv>', 'a constant input, or a CSV with one value per step (or an `input` column)')
    .option('--duration <time>', 'simulated time, such as 1s or 500ms')
    .option('--steps <n>', 'number of steps', positiveInt)
    .option('--dt <time>', 'step, such as 0.1ms (default: the neuron\'s dt)')
    .option('--out <csv>', 'CSV to write: t, input, each state variable, spike')
    .option('--plot <svg>', 'also draw the trace as an SVG')
    .action(async (file: string, opts: { neuron?: string; input?: string; duration?: string; steps?: number; dt?: string; out?: string; plot?: string }) => {
      const missing = (['neuron', 'input', 'out'] as const).filter((k) => opts[k] === undefined);
      if (missing.length > 0) {
        io.stderr.write(`error: snnc trace needs ${missing.map((m) => `--${m}`).join(', ')}\n`);
        setExit(2);
        return;
      }
      const { traceNeuronCommand } = await import('./trace-neuron.js');
      const o: Parameters<typeof traceNeuronCommand>[1] = { neuron: opts.neuron!, input: opts.input!, out: opts.out! };
      if (opts.duration !== undefined) o.duration = opts.duration;
      if (opts.steps !== undefined) o.steps = opts.steps;
      if (opts.dt !== undefined) o.dt = opts.dt;
      if (opts.plot !== undefined) o.plot = opts.plot;
      setExit(await traceNeuronCommand(file, o, io));
    });
}
