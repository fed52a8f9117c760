import path from 'node:path';
import { compile } from '@snnc/dsl';
import { applyOverrides, definedOverrides, type Experiment } from '@snnc/ir';
import type { RunRecord } from '@snnc/experiments';
import { specHash } from '@snnc/experiments/node';
import { RUN_FILES } from '@snnc/ir/node';
import { readText } from './io.js';

/**
 * A replay re-trains the recorded experiment (experiment.json / record.json). The run
 * directory's spec.snn is what a reader takes that experiment to be, so it must still compile
 * to it: returns a line saying how it does not (undefined when it does, or when there is no
 * spec.snn). `use` imports resolve against the spec's original place.
 */
export function specMismatch(runDir: string, original: RunRecord): string | undefined {
  const specPath = path.join(runDir, RUN_FILES.spec);
  const read = readText(specPath);
  if ('error' in read) return undefined;
  // Compiled under its original name, so relative data paths resolve as they did for the run.
  const file = original.spec?.file ?? specPath;
  const r = compile(read.text, {
    file,
    readFile: (p) => {
      const t = readText(path.resolve(path.dirname(file), p));
      if ('error' in t) throw new Error(t.error);
      return t.text;
    },
  });
  if (r.ir === undefined) {
    const first = r.diagnostics.find((d) => d.severity === 'error');
    return `spec.snn no longer compiles${first !== undefined ? ` (${first.code} at line ${first.range.line}: ${first.message})` : ''}`;
  }
  const point = original.point;
  const found: Experiment | undefined =
    point !== undefined
      ? r.ir.sweeps.find((s) => s.name === point.sweep)?.points.find((p) => p.id === point.pointId)?.experiment
      : r.ir.experiments.find((e) => e.name === original.experiment.name);
  if (found === undefined) return `spec.snn has no ${point !== undefined ? `sweep point \`${point.sweep}/${point.pointId}\`` : `experiment \`${original.experiment.name}\``} any more`;
  const now = specHash(applyOverrides(found, definedOverrides(original.overrides)), original.limits);
  return now === original.specHash ? undefined : 'spec.snn (edited after the run?) compiles to another experiment than the one the run trained';
}
