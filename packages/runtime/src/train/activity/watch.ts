import { DIAGNOSTIC_CODES, diagnosticMessage, type Diagnostic, type SourceRange } from '@snnc/ir';
import type { ActivityCounts } from './collector.js';
import { shortLabel, type LayerPlan } from './plan.js';
import { neuronStats } from './summary.js';

/** A layer that stayed silent or saturated over one logging interval. */
export interface ActivityWarning {
  code: 'SNN7250' | 'SNN7251';
  layer: string;
  message: string;
  hint: string;
  /** The neuron layer in the `.snn` source, when the IR carries it. */
  range?: SourceRange;
}

/** One neuron layer's mean firing rate over the last interval (spikes per neuron per step). */
export interface LayerRate {
  layer: string;
  /** For compact lines: the name the source gave the node (`h`), else `n0` for `neuron_0`. */
  label: string;
  rate: number;
}

/** A layer counts as saturated when at least this fraction of its neurons fire at every step. */
export const SATURATED_FRACTION = 0.9;

const SILENT_HINT = 'put `batchnorm` before the neuron, lower its threshold, or start from larger weights (`init: kaiming(gain: 2)`)';
const SATURATED_HINT = 'raise the neuron threshold, start from smaller weights (`init: pytorch(gain: 0.5)`), or put `batchnorm` before the neuron';

/**
 * Watches training activity interval by interval: each {@link check} compares cumulative
 * counts with the previous call's and reports every neuron layer that fired no spike at all
 * (silent) or whose neurons nearly all fired at every step (saturated) in between. Each layer
 * is reported at most once per condition per epoch ({@link startEpoch} clears that).
 */
export class ActivityWatch {
  private readonly neurons: LayerPlan[];
  private readonly steps: number;
  private previous: ActivityCounts | null = null;
  private readonly warned = new Set<string>();

  constructor(plans: readonly LayerPlan[], steps: number) {
    this.neurons = plans.filter((p) => p.role.role === 'neuron');
    this.steps = steps;
  }

  /** A new epoch: counts restart from zero and layers may be reported again. */
  startEpoch(): void {
    this.previous = null;
    this.warned.clear();
  }

  /** `span` names the interval in messages (`epoch 0, batches 1-3`). */
  check(counts: ActivityCounts, span: string): { rates: LayerRate[]; warnings: ActivityWarning[] } {
    const prev = this.previous;
    this.previous = counts;
    const samples = counts.samples - (prev?.samples ?? 0);
    const rates: LayerRate[] = [];
    const warnings: ActivityWarning[] = [];
    if (samples <= 0) return { rates, warnings };
    const last = this.neurons.at(-1);
    for (const plan of this.neurons) {
      const id = plan.layer.id;
      const now = counts.layers.get(id)?.spikes;
      if (!now) continue;
      const before = prev?.layers.get(id)?.spikes;
      const delta = before ? now.map((v, i) => v - before[i]!) : now;
      const s = neuronStats(delta, samples * this.steps);
      rates.push({ layer: id, label: shortLabel(plan.layer), rate: s.rate });
      const neuron = `${plan.role.role === 'neuron' ? plan.role.neuron : ''}${plan === last ? ', the output layer' : ''}`;
      if (s.total === 0 && !this.warned.has(`silent:${id}`)) {
        this.warned.add(`silent:${id}`);
        warnings.push(warning('SNN7250', plan, { layer: id, neuron, span, samples }, SILENT_HINT));
      } else if (s.saturated >= SATURATED_FRACTION && !this.warned.has(`saturated:${id}`)) {
        this.warned.add(`saturated:${id}`);
        warnings.push(warning('SNN7251', plan, { layer: id, neuron, span, percent: Math.round(s.saturated * 100) }, SATURATED_HINT));
      }
    }
    return { rates, warnings };
  }
}

function warning(code: ActivityWarning['code'], plan: LayerPlan, args: Record<string, string | number>, hint: string): ActivityWarning {
  const w: ActivityWarning = { code, layer: plan.layer.id, message: diagnosticMessage(code, args), hint };
  if (plan.layer.range) w.range = plan.layer.range;
  return w;
}

/** As a located diagnostic (the neuron layer's source line) when the range is known. */
export function warningDiagnostic(w: ActivityWarning): Diagnostic | null {
  if (!w.range) return null;
  return { code: w.code, severity: DIAGNOSTIC_CODES[w.code].severity, message: w.message, range: w.range, hint: w.hint };
}

/** Compact rates for progress lines: `fr neuron_0=0.124 neuron_1=0.000`. */
export function formatRates(rates: readonly LayerRate[]): string {
  return rates.length === 0 ? '' : `fr ${rates.map((r) => `${r.label}=${r.rate.toFixed(3)}`).join(' ')}`;
}
