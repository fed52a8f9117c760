import { BUILTIN_CONSTANTS, BUILTIN_FUNCTIONS } from '@snnc/ir';
import { CALL_SIGNATURES, EXPERIMENT_FIELDS, LOSSES, TARGET_CODES } from './check/experiments.js';
import { LAYER_KINDS } from './check/layers.js';
import { DECODERS, ENCODERS, STANDALONE_NAMES } from './check/models.js';
import { ENSEMBLE_KINDS } from './check/nef-objects.js';
import { NEURON_KINDS, SURROGATE_ALPHA } from './check/neurons.js';
import { KEYWORDS } from './tokens.js';
import { KNOWN_UNITS } from './units.js';

/**
 * The words the language knows, taken from the tables the checks use, for editors
 * (completion, highlighting) so their lists cannot drift from the compiler's.
 */
export const VOCABULARY = {
  keywords: KEYWORDS,
  neuronKinds: Object.keys(NEURON_KINDS),
  surrogates: Object.keys(SURROGATE_ALPHA),
  layers: [...LAYER_KINDS],
  encoders: [...ENCODERS],
  decoders: [...DECODERS],
  experimentFields: [...EXPERIMENT_FIELDS],
  targets: [...TARGET_CODES],
  losses: [...LOSSES],
  optimizers: Object.keys(CALL_SIGNATURES['optimizer']!),
  schedules: Object.keys(CALL_SIGNATURES['schedule']!),
  datasets: Object.keys(CALL_SIGNATURES['data']!),
  normalizations: Object.keys(CALL_SIGNATURES['normalize']!),
  ensembleKinds: Object.keys(ENSEMBLE_KINDS),
  signals: ['piecewise', 'white_noise'],
  probeAttributes: ['neurons', 'spikes', 'voltage'],
  functions: Object.keys(BUILTIN_FUNCTIONS),
  constants: Object.keys(BUILTIN_CONSTANTS),
  modelNames: [...STANDALONE_NAMES.keys()],
  units: [...KNOWN_UNITS],
} as const;
