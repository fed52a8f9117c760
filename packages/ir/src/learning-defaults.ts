/**
 * Nengo 4.1's learning-rule defaults (nengo/learning_rules.py): learning rates per second,
 * synapse time constants in seconds (lowpass). The language's parameter table (@snnc/dsl
 * catalog) and the NEF test builders read them from here.
 */
export const LEARNING_RULE_DEFAULTS = {
  PES: { learningRate: 1e-4, preSynapse: 0.005 },
  BCM: { learningRate: 1e-9, preSynapse: 0.005, thetaSynapse: 1 },
  Oja: { learningRate: 1e-6, preSynapse: 0.005, beta: 1 },
  Voja: { learningRate: 1e-2, postSynapse: 0.005 },
} as const;
