/**
 * Every diagnostic snnc can report, in one table: the stable code, its severity, a title
 * (for docs/diagnostics.md) and a message template whose `{name}` holes are filled by
 * {@link diagnosticMessage}. Codes never change meaning once published; retire, don't reuse.
 *
 * 1xxx syntax · 2xxx names and scopes · 3xxx parameter types, values and units ·
 * 4xxx shapes · 5xxx NEF networks and expressions · 6xxx experiments and sweeps ·
 * 7xxx data, checkpoints and runs (raised by the runtimes) · 9xxx command line.
 */
export const DIAGNOSTIC_CODES = {
  // 1xxx syntax
  SNN1001: { severity: 'error', title: 'unexpected character', template: 'unexpected character {text}' },
  SNN1002: { severity: 'error', title: 'syntax error', template: '{message}' },
  SNN1003: { severity: 'error', title: 'unterminated string', template: 'unterminated string literal' },
  SNN1004: { severity: 'error', title: 'unknown unit', template: 'unknown unit `{unit}` (known: {known})' },
  SNN1005: { severity: 'error', title: 'invalid number', template: 'invalid number `{text}`' },
  SNN1009: { severity: 'error', title: 'internal compiler error', template: 'internal compiler error: {message} (please report this with the file that caused it)' },

  // 2xxx names and scopes
  SNN2001: { severity: 'error', title: 'unknown name', template: 'unknown {what} `{name}`' },
  SNN2002: { severity: 'error', title: 'duplicate definition', template: '{what} `{name}` is already defined' },
  SNN2003: { severity: 'error', title: 'unknown parameter', template: '{owner} has no parameter `{name}`' },
  SNN2004: { severity: 'error', title: 'missing parameter', template: '{owner} needs `{name}`' },
  SNN2005: { severity: 'error', title: 'duplicate parameter', template: '`{name}` is given twice' },
  SNN2006: { severity: 'error', title: 'cannot read imported file', template: 'cannot read `{path}`: {reason}' },
  SNN2007: { severity: 'error', title: 'import cycle', template: 'import cycle: {cycle}' },
  SNN2008: { severity: 'error', title: 'too many positional arguments', template: '{owner} takes at most {max} positional argument(s)' },
  SNN2009: { severity: 'warning', title: 'unused definition', template: '{what} `{name}` is never used' },
  SNN2200: { severity: 'error', title: 'block uses itself', template: 'block `{name}` uses itself: {cycle}' },
  SNN2201: { severity: 'error', title: 'not allowed in a block', template: '`{what}` belongs in a model, not in block `{block}`' },
  SNN2100: { severity: 'error', title: 'not a state variable', template: '`{name}` is {what} of neuron `{neuron}`, not a state variable, so it cannot be {verb}' },
  SNN2101: { severity: 'warning', title: 'state never changes', template: 'state `{name}` of neuron `{neuron}` never changes: no equation or reset assigns it' },
  SNN2102: { severity: 'error', title: 'state updated twice', template: '`{name}` already has {what} in neuron `{neuron}`' },
  SNN2103: { severity: 'error', title: 'reserved name in a neuron definition', template: '`{name}` cannot be {what} of a neuron: {reason}' },

  // 3xxx parameter types, values and units
  SNN3001: { severity: 'error', title: 'wrong type', template: '`{name}` expects {expected} but got {actual}' },
  SNN3002: { severity: 'error', title: 'value out of range', template: '`{name}` must be {constraint}, got {value}' },
  SNN3003: { severity: 'error', title: 'not one of the choices', template: '`{name}` must be one of {choices}, got `{value}`' },
  SNN3004: { severity: 'error', title: 'wrong unit', template: '`{name}` is {expected}; `{unit}` is {actual}' },
  SNN3005: { severity: 'error', title: 'unit not allowed', template: '`{name}` takes a plain number, not `{unit}`' },
  SNN3006: { severity: 'error', title: 'not a constant', template: '`{name}` must be a constant, not an expression of {uses}' },
  SNN3007: { severity: 'error', title: 'mixed units', template: 'cannot combine {left} and {right} with `{op}`' },
  SNN3200: { severity: 'error', title: 'merge input is not a name', template: '`{merge}` takes names of results (`h = ...`, or `x`), got {actual}' },
  SNN3201: { severity: 'error', title: 'wrong number of merge inputs', template: '`{merge}` needs {expected} inputs, got {actual}' },
  SNN3100: { severity: 'error', title: 'wrong dimension in a neuron equation', template: '{what} must be {expected}, but it is {actual}' },
  SNN3101: { severity: 'error', title: 'mixed dimensions in a neuron equation', template: 'cannot combine {left} and {right} with `{op}`' },
  SNN3600: { severity: 'error', title: 'parameter cannot be per neuron', template: '`{name}` cannot be `per_neuron` here: {reason}' },

  // 4xxx shapes
  SNN4001: { severity: 'error', title: 'shape mismatch', template: '{layer} expects {expected} but {previous} gives {actual}' },
  SNN4002: { severity: 'error', title: 'shape collapses', template: '{layer} turns {input} into an empty shape {output}' },
  SNN4003: { severity: 'error', title: 'output does not fit the target code', template: 'model `{model}` outputs {actual} but target `{target}` needs [{needed}]' },
  SNN4004: { severity: 'error', title: 'input shape does not fit the data', template: 'model `{model}` takes {actual} but `{data}` gives {expected}' },
  SNN4005: { severity: 'error', title: 'model without neurons', template: 'model `{model}` has no spiking layer' },
  SNN4006: { severity: 'warning', title: 'model does not end in a neuron', template: 'model `{model}` ends in {layer}, so `{decoder}` decoding sees no spikes' },
  SNN4200: { severity: 'error', title: 'merged shapes differ', template: '`{merge}` needs inputs of one shape but {left} gives {a} and {right} gives {b}' },
  SNN4201: { severity: 'error', title: 'concatenated shapes differ', template: '`concat` joins channels, so the other axes must match, but {left} gives {a} and {right} gives {b}' },
  SNN4202: { severity: 'error', title: 'loop without delay', template: '{cycle} feed each other in the same time step; put a `delay(1)` in the loop' },
  SNN4203: { severity: 'error', title: 'shape cannot be inferred', template: 'the shape of {layer} depends only on itself through a loop; feed the loop from outside it' },
  SNN4400: { severity: 'error', title: 'model too large', template: '{subject} about {size} of memory, more than the {budget} available (the most, {partSize}, for {part})' },
  SNN4401: { severity: 'warning', title: 'large model', template: '{subject} about {size} of memory, a large part of the {budget} available (the most, {partSize}, for {part})' },
  SNN4450: { severity: 'error', title: 'steps do not fit the sequence data', template: 'model `{model}` runs {actual} steps but `{data}` gives {expected} steps per sample' },

  // 5xxx NEF networks and expressions
  SNN5001: { severity: 'error', title: 'dimension mismatch', template: 'connection gives {actual} dimension(s) but {target} takes {expected}' },
  SNN5002: { severity: 'error', title: 'slice out of range', template: 'index {index} is out of range for `{name}` with {dims} dimension(s)' },
  SNN5003: { severity: 'error', title: 'function arity', template: 'function reads x[{index}] but `{pre}` gives {dims} dimension(s)' },
  SNN5004: { severity: 'error', title: 'recurrent connection without synapse', template: 'recurrent connection `{name} -> {name}` needs a synapse' },
  SNN5005: { severity: 'error', title: 'transform shape', template: 'transform is {actual} but the connection needs {expected}' },
  SNN5006: { severity: 'error', title: 'unknown name in expression', template: 'unknown {what} `{name}` in expression' },
  SNN5007: { severity: 'error', title: 'wrong number of arguments', template: '`{fn}` takes {expected} argument(s), got {actual}' },
  SNN5008: { severity: 'error', title: 'expression not allowed here', template: '{message}' },
  SNN5009: { severity: 'error', title: 'bad probe target', template: '{message}' },
  SNN5010: { severity: 'error', title: 'bad piecewise signal', template: '{message}' },
  SNN5011: { severity: 'error', title: 'encoder length', template: 'encoder {index} has {actual} element(s) but `{name}` has {dims} dimension(s)' },
  SNN5012: { severity: 'error', title: 'bad connection endpoint', template: '{message}' },
  SNN5013: { severity: 'error', title: 'loop without synapse', template: 'connections {cycle} form a loop with no synapse; give one of them a synapse' },
  SNN5014: { severity: 'error', title: 'ensemble cannot decode', template: 'no neuron of `{name}` fires at any evaluation point, so nothing can be decoded from it' },
  SNN5400: { severity: 'error', title: 'network too large', template: '{subject} about {size} of memory, more than the {budget} available (the most, {partSize}, for {part})' },
  SNN5401: { severity: 'warning', title: 'large network', template: '{subject} about {size} of memory, a large part of the {budget} available (the most, {partSize}, for {part})' },
  SNN5402: { severity: 'error', title: 'transform too large', template: 'the transform of this connection would have {actual} entries (at most {max})' },
  SNN5100: { severity: 'error', title: 'integration scheme does not fit', template: '{message}' },
  SNN5101: { severity: 'error', title: 'bad spike condition', template: 'the spike condition must compare two values with `>=` or `>` (as in `v >= threshold`), got {actual}' },
  SNN5102: { severity: 'error', title: 'not allowed in a neuron definition', template: '{message}' },
  SNN5103: { severity: 'error', title: 'ensemble rate out of reach', template: 'the neurons of `{name}` ({neuron}) {reason} at dt {dt} s, so max_rates up to {rate} Hz cannot be met' },
  // 53xx NEF learning, synapses, computing nodes, matrices (helper block 5)
  SNN5300: { severity: 'error', title: 'learning rule not allowed here', template: '{message}' },
  SNN5301: { severity: 'error', title: 'bad learning connection', template: '{message}' },
  SNN5302: { severity: 'error', title: 'bad synapse', template: 'synapse {synapse}: {message}' },
  SNN5303: { severity: 'error', title: 'weights probe too large', template: 'probe `{name}` would record {entries} weights per step (at most {max}); probe `.weights_norm` or a smaller connection' },
  SNN5304: { severity: 'error', title: 'bad node input', template: '{message}' },
  SNN5305: { severity: 'error', title: 'bad matrix', template: '{message}' },
  SNN5306: { severity: 'error', title: 'cannot load matrix file', template: 'cannot load `{path}`: {reason}' },
  SNN5307: { severity: 'error', title: 'bad subnetwork', template: '{message}' },

  // 6xxx experiments and sweeps
  SNN6001: { severity: 'error', title: 'unknown experiment field', template: 'experiment has no field `{name}`' },
  SNN6002: { severity: 'error', title: 'missing experiment field', template: 'experiment `{experiment}` needs `{name}`' },
  SNN6003: { severity: 'error', title: 'unknown sweep axis', template: 'cannot sweep `{path}`: {reason}' },
  SNN6004: { severity: 'error', title: 'empty sweep axis', template: 'sweep axis `{path}` has no values' },
  SNN6005: { severity: 'error', title: 'bad sweep point', template: 'sweep point {point}: {message}' },
  SNN6006: { severity: 'error', title: 'inheritance cycle', template: 'experiment `{name}` inherits from itself: {cycle}' },

  // 7xxx data, checkpoints and runs (runtime)
  SNN7001: { severity: 'error', title: 'data file missing', template: 'cannot read {what} `{path}`: {reason}' },
  SNN7002: { severity: 'error', title: 'not an IDX file', template: '`{path}` is not an IDX {what} file (magic number {magic}, expected {expected})' },
  SNN7003: { severity: 'error', title: 'truncated IDX file', template: '`{path}` is truncated: the header promises {expected} bytes but the file has {actual}' },
  SNN7004: { severity: 'error', title: 'image and label counts differ', template: '{images} images but {labels} labels' },
  SNN7005: { severity: 'error', title: 'loss is not finite', template: 'loss became {value} at epoch {epoch}, step {step}' },
  SNN7006: { severity: 'error', title: 'backend unavailable', template: 'backend `{backend}` cannot be used: {reason}' },
  SNN7007: { severity: 'error', title: 'bad checkpoint', template: 'cannot use checkpoint `{path}`: {reason}' },
  SNN7008: { severity: 'error', title: 'label out of range', template: '`{path}` has label {label} but the data set has {classes} classes' },
  SNN7009: { severity: 'error', title: 'loss does not fit the target code', template: 'loss `{loss}` cannot train target `{target}`: {reason}' },
  SNN7010: { severity: 'error', title: 'bad IDX header', template: '`{path}` {reason}' },
  SNN7011: { severity: 'error', title: 'cannot write run directory', template: 'cannot write `{path}`: {reason}' },
  SNN7012: { severity: 'error', title: 'not a run directory', template: '`{path}` is not a run directory: {reason}' },
  SNN7013: { severity: 'error', title: 'queue unavailable', template: 'cannot use the queue at `{url}`: {reason}' },
  SNN7250: { severity: 'warning', title: 'silent layer', template: 'layer `{layer}` ({neuron}) stayed silent over {span}: no spike in {samples} sample(s)' },
  SNN7251: { severity: 'warning', title: 'saturated layer', template: 'layer `{layer}` ({neuron}) stayed saturated over {span}: {percent}% of its neurons fire at every step' },
  SNN7400: { severity: 'error', title: 'malformed queue record', template: '{what} in the queue at `{url}` is malformed: {reason}' },
  SNN7450: { severity: 'error', title: 'bad sequence data file', template: '`{path}` is not a valid {format} file: {reason}' },
  SNN7451: { severity: 'error', title: 'sequence data too large', template: '`{path}` holds {actual} {what}, more than the limit of {limit}' },
  SNN7452: { severity: 'error', title: 'sequence data not usable here', template: '`{data}` is sequence data (one frame per time step), which {what} cannot use yet' },
  SNN7460: { severity: 'error', title: 'not a NIR file', template: '`{path}` is not a NIR file: {reason}' },
  SNN7461: { severity: 'error', title: 'malformed NIR graph', template: '`{path}`: {where}: {reason}' },
  SNN7462: { severity: 'error', title: 'cannot write NIR file', template: 'cannot write NIR file `{path}`: {reason}' },
  SNN7463: { severity: 'error', title: 'NIR graph cannot be imported', template: 'cannot import `{path}`: {where}: {reason}' },
  SNN7464: { severity: 'error', title: 'model cannot be exported to NIR', template: 'model `{model}` cannot be exported to NIR: {reason}' },
  SNN7465: { severity: 'warning', title: 'lossy NIR export', template: 'NIR export of `{model}`: {message}' },
  SNN7600: { severity: 'error', title: 'per-neuron parameters unusable', template: 'neuron layer `{layer}`: {reason}' },

  // 9xxx command line
  SNN9001: { severity: 'error', title: 'cannot read file', template: 'cannot read `{path}`: {reason}' },
  SNN9002: { severity: 'error', title: 'nothing to run', template: '{message}' },
  SNN9003: { severity: 'error', title: 'bad option', template: '{message}' },
} as const satisfies Record<string, { severity: 'error' | 'warning' | 'info'; title: string; template: string }>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** Fills a code's template; a hole without a value is left visible so tests catch it. */
export function diagnosticMessage(code: DiagnosticCode, args: Record<string, string | number> = {}): string {
  return DIAGNOSTIC_CODES[code].template.replace(/\{(\w+)\}/g, (hole, name: string) =>
    Object.prototype.hasOwnProperty.call(args, name) ? String(args[name]) : hole,
  );
}
