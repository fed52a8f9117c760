import type { Command } from 'commander';
import type { Io } from '../io.js';
import { positiveInt } from '../options.js';

/** `snnc import FILE.nir [-o OUT.snn] [--dt TIME] [--steps N]`: a NIR graph as a `.snn` model plus its weights. */
export function registerImportCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('import')
    .description('write a NIR graph (.nir) as a .snn model and a .safetensors weights file beside it')
    .argument('<file>', '.nir file')
    .option('-o, --out <snn>', 'the .snn file to write (default: NAME.snn in the working directory); weights go beside it as .safetensors')
    .option('--dt <time>', "step of the imported continuous-time neurons (default: the file's metadata dt, else 1ms)")
    .option('--steps <n>', "time steps per sample in the model header (default: the steps snnc recorded in the file's metadata, else 100)", positiveInt)
    .action(async (file: string, opts: { out?: string; dt?: string; steps?: number }) => {
      const { importCommand } = await import('./import-impl.js');
      setExit(await importCommand(file, opts, io));
    });
}
