import { Option, type Command } from 'commander';
import { definedOverrides } from '@snnc/ir';
import { BACKEND_REQUESTS, type BackendRequest, type QuickOverrides } from '@snnc/experiments';
import type { Io } from './io.js';
import { nonNegativeInt, positiveInt, positiveNumber } from './options.js';

/** The flags `snnc run` and `snnc sweep` share: the backend and the quick-run overrides. */
export interface QuickRunFlags {
  backend: BackendRequest;
  epochs?: number;
  trainLimit?: number;
  testLimit?: number;
  batch?: number;
  lr?: number;
  seed?: number;
}

export function addQuickRunOptions(command: Command): Command {
  return command
    .addOption(new Option('--backend <name>', 'tfjs backend for training').choices(BACKEND_REQUESTS).default('auto'))
    .option('--epochs <n>', 'override the number of epochs', positiveInt)
    .option('--train-limit <n>', 'train on the first N training images only', positiveInt)
    .option('--test-limit <n>', 'evaluate on the first N test images only', positiveInt)
    .option('--batch <n>', 'override the batch size', positiveInt)
    .option('--lr <x>', 'override the learning rate', positiveNumber)
    .option('--seed <n>', 'override the seed', nonNegativeInt);
}

/** The overrides among the flags (the one list of override keys is @snnc/ir's). */
export function overridesOf(flags: QuickRunFlags): QuickOverrides {
  return definedOverrides(flags);
}

/**
 * Ctrl-C handling for long runs: the first Ctrl-C aborts the returned signal (the trainer then
 * writes a checkpoint and returns), a second one exits at once with 130.
 */
export function interruptible(io: Io, what: string): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    io.stderr.write(`\ninterrupted: ${what} (Ctrl-C again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}
