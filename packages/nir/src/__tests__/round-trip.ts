import { compile } from '@snnc/dsl';
import type { Model } from '@snnc/ir';
import { expect } from 'vitest';
import { exportModel, type ExportTensor } from '../export/export.js';
import { planImport } from '../import/plan.js';
import { plannedWeights } from '../import/weights.js';
import type { NirGraph } from '../types.js';

/** Imports a NIR graph as .snn, compiles it and exports it back. */
export function roundTrip(g: NirGraph, dt: number) {
  const plan = planImport(g, { model: 'm', dt, steps: 10, origin: 'test' });
  const r = compile(plan.source, { file: 'm.snn' });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const model: Model = r.ir!.models[0]!;
  const weights = new Map<string, ExportTensor>(plannedWeights(plan, model.layers).map((w) => [w.name, w]));
  return exportModel(model, weights, { dt });
}

