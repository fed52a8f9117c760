import type { EnergyTable } from './ir.js';

/**
 * The named cost tables `energy:` accepts, picojoules per operation, from Horowitz, "Computing's
 * energy problem", ISSCC 2014 (45 nm, 0.9 V): fp32 add 0.9, mult 3.7; fp16 add 0.4, mult 1.1;
 * int8 add 0.03, mult 0.2. A MAC is one multiply plus one add; an AC (a spike's synaptic
 * operation) is one add. One copy: the dsl's choices and the runtime's estimates read this.
 */
export const ENERGY_TABLES = {
  horowitz45_fp32: { name: 'horowitz45_fp32', macPj: 4.6, acPj: 0.9 },
  horowitz45_fp16: { name: 'horowitz45_fp16', macPj: 1.5, acPj: 0.4 },
  horowitz45_int8: { name: 'horowitz45_int8', macPj: 0.23, acPj: 0.03 },
} as const satisfies Record<string, EnergyTable>;

export type EnergyTableName = keyof typeof ENERGY_TABLES;

export const DEFAULT_ENERGY_TABLE: EnergyTable = ENERGY_TABLES.horowitz45_fp32;

/** The table an experiment uses: its own, or the default. */
export function energyTableOf(e: { energy?: EnergyTable }): EnergyTable {
  return e.energy ?? DEFAULT_ENERGY_TABLE;
}
