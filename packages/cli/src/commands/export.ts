import type { Command } from 'commander';
import type { Io } from '../io.js';

/** `snnc export FILE.snn [--model NAME] [--checkpoint RUN_DIR|FILE.safetensors] [--dt TIME] [--strict] -o OUT.nir`. */
export function registerExportCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('export')
    .description('write a model and its trained weights as a NIR graph (.nir); lossy steps are warnings')
    .argument('<file>', '.snn file')
    .requiredOption('-o, --out <nir>', 'the .nir file to write')
    .option('--model <name>', 'the model to export (may be left out when FILE defines one model)')
    .option('--checkpoint <run-dir>', 'weights: a run directory, a checkpoint, or a .safetensors file (default: the initial weights, with a warning)')
    .option('--dt <time>', 'seconds per time step for the continuous-time NIR neurons (default 1ms)')
    .option('--strict', 'treat every lossy step as an error')
    .action(async (file: string, opts: { out: string; model?: string; checkpoint?: string; dt?: string; strict?: boolean }) => {
      const { exportCommand } = await import('./export-impl.js');
      setExit(await exportCommand(file, opts, io));
    });
}
