import type { Ensemble, NefInput } from '@snnc/ir';
import type { ReadCtx } from './read.js';

/** Nengo's defaults (seconds, hertz). */
export const NEF_DEFAULTS = {
  dt: 0.001,
  tauRc: 0.02,
  tauRef: 0.002,
  minVoltage: 0,
  amplitude: 1,
  maxRates: [200, 400] as [number, number],
  intercepts: [-1, 0.9] as [number, number],
  radius: 1,
  dims: 1,
  synapse: 0.005,
  probeSynapse: null,
};

/** Names expressions already give a meaning to; inputs, ensembles and parameters cannot take them. */
export const RESERVED_MEANING: Record<string, string> = { t: 'the time', x: "a connection's input", pi: 'the constant pi', e: 'the constant e' };
export const RESERVED = new Set(Object.keys(RESERVED_MEANING));

/** A declared input or ensemble, resolved. */
export type Obj = { kind: 'input'; value: NefInput } | { kind: 'ensemble'; value: Ensemble };

/** What the network checks share: the resolved objects and every declared name. */
export interface NetCtx extends ReadCtx {
  objects: Map<string, Obj>;
  /** Every declared name, including those whose definitions had errors (no "unknown" cascade). */
  declared: Set<string>;
}

