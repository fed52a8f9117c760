/**
 * Nengo 4.1's defaults for NEF objects (seconds, hertz), written once: the `.snn` parameter
 * table fills them in, and the IR constructors of @snnc/nef (for tests and tools) use them, so
 * hand-built IR and compiled IR agree.
 */
export const NENGO_DEFAULTS = {
  /** Simulation step, s. */
  dt: 0.001,
  /** LIF membrane RC time constant, s. */
  tauRc: 0.02,
  /** LIF absolute refractory period, s. */
  tauRef: 0.002,
  minVoltage: 0,
  /** ReLU output scale / spike height. */
  amplitude: 1,
  /** Firing rates at the radius, Hz. */
  maxRates: [200, 400] as const,
  /** In units of the radius. */
  intercepts: [-1, 0.9] as const,
  radius: 1,
  dims: 1,
  /** Lowpass time constant of a connection, s. */
  synapse: 0.005,
} as const;
