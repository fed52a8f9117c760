import { callable, defaultNumber, defaultOf, defaultPair } from '../catalog/index.js';
import type { Connection, Ensemble, NefInput } from '@snnc/ir';
import type { DataReader } from './matrices.js';
import type { ReadCtx } from './read.js';
import type { CheckedNeuron } from './neuron-defs.js';

const LIF = callable('ensemble', 'LIF');
const CONNECT = callable('connection', 'connect');

/** Nengo's defaults (seconds, hertz), from the parameter table. */
export const NEF_DEFAULTS = {
  dt: defaultNumber(callable('network', 'network'), 'dt'),
  tauRc: defaultNumber(LIF, 'tau_rc'),
  tauRef: defaultNumber(LIF, 'tau_ref'),
  minVoltage: defaultNumber(LIF, 'min_voltage'),
  amplitude: defaultNumber(callable('ensemble', 'ReLU'), 'amplitude'),
  maxRates: defaultPair(LIF, 'max_rates'),
  intercepts: defaultPair(LIF, 'intercepts'),
  radius: defaultNumber(LIF, 'radius'),
  dims: defaultNumber(LIF, 'dims'),
  synapse: defaultNumber(CONNECT, 'synapse'),
  probeSynapse: defaultOf(callable('probe', 'probe'), 'synapse') as null,
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
  /** Named connections (`connect c = a -> b`): declared names, and those resolved so far. */
  connectionNames: Set<string>;
  connections: Map<string, Connection>;
  /** Reads matrix files (`load("w.npy")`), relative to the .snn file. */
  data: DataReader;
  /** Names of network instances (`network integ = Integrator()`); their objects are `integ.NAME`. */
  instances: Set<string>;
  /** Neuron definitions (library and file) by name, for ensembles of defined neurons (`ensemble a = Izhikevich(n: 50)`). */
  neuronDefinition?: (name: string) => CheckedNeuron | undefined;
}

