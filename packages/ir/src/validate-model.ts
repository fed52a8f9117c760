import type { SnncError } from './diagnostic.js';
import { assertNever, freeVariables, type Expr } from './expr.js';
import { MODEL_INPUT } from './graph.js';
import type { Encoder, EquationNeuron, Layer, Model, NeuronDef, Shape, Surrogate } from './ir.js';
import type { SourceRange } from './source.js';
import { Problems } from './validate-problems.js';
import { IR_RANGES } from './validate-ranges.js';

/**
 * A trained model's structure and values, in named steps: header, encoder, layer ids and
 * edges, each layer's parameters (neurons included), and the shapes along the edges.
 */
export function validateModel(model: Model, p: Problems = new Problems()): SnncError[] {
  checkHeader(model, p);
  checkEncoder(model.encoder, model.range, p);
  const ids = checkGraph(model, p);
  for (const layer of model.layers) checkLayer(layer, p);
  if (ids) checkShapes(model, ids, p);
  if (!model.layers.some((l) => l.kind === 'neuron')) p.add('SNN4005', { model: model.name }, model.range);
  return p.list;
}

const shapeText = (s: Shape): string => `[${s.join(', ')}]`;

function checkShape(name: string, shape: Shape, range: SourceRange | undefined, p: Problems): boolean {
  if (shape.length >= 1 && shape.length <= 3 && shape.every((d) => Number.isInteger(d) && d >= 1)) return true;
  p.add('SNN3002', { name, constraint: 'a shape of 1 to 3 positive integers', value: shapeText(shape) }, range);
  return false;
}

function checkHeader(model: Model, p: Problems): void {
  p.number('steps', model.steps, IR_RANGES.model.steps, model.range);
  checkShape('input', model.input, model.range, p);
  for (const [name, v] of Object.entries(model.params)) {
    if (!Number.isFinite(v)) p.add('SNN3002', { name, constraint: 'a finite number', value: String(v) }, model.range);
  }
}

function checkEncoder(e: Encoder, range: SourceRange | undefined, p: Problems): void {
  const R = IR_RANGES.encoder;
  switch (e.kind) {
    case 'direct':
      return;
    case 'poisson':
      p.number('gain', e.gain, R.gain, range);
      return;
    case 'latency':
      p.number('tau', e.tau, R.tau, range);
      p.number('threshold', e.threshold, R.threshold, range);
      return;
    default:
      assertNever(e);
  }
}

/**
 * Layer ids are unique, every edge names an earlier layer or the model input (only a `delay`
 * may read a later one), and the output is a layer. Returns the ids in order, or undefined when
 * the edges are broken (shapes are then not compared).
 */
function checkGraph(model: Model, p: Problems): string[] | undefined {
  const ids: string[] = [];
  let ok = true;
  for (const layer of model.layers) {
    if (ids.includes(layer.id) || layer.id === MODEL_INPUT) {
      p.add('SNN2002', { what: 'layer', name: layer.id }, layer.range);
      ok = false;
    }
    ids.push(layer.id);
  }
  const all = new Set(ids);
  model.layers.forEach((layer, i) => {
    for (const src of layer.inputs ?? []) {
      const at = ids.indexOf(src);
      if (src !== MODEL_INPUT && !all.has(src)) {
        p.add('SNN2001', { what: 'layer input', name: src }, layer.range);
        ok = false;
      } else if (at >= i && layer.kind !== 'delay') {
        p.add('SNN4202', { cycle: `\`${layer.id}\` and \`${src}\`` }, layer.range);
        ok = false;
      }
    }
  });
  if (model.output !== undefined && !all.has(model.output)) {
    p.add('SNN2001', { what: 'model output', name: model.output }, model.range);
    ok = false;
  }
  if (model.layers.length === 0) ok = false;
  return ok ? ids : undefined;
}

function checkLayer(layer: Layer, p: Problems): void {
  const R = IR_RANGES.layer;
  const r = layer.range;
  const pair = (name: string, v: readonly number[], spec: (typeof R)[keyof typeof R]) => {
    if (v.length !== 2) p.add('SNN3002', { name, constraint: 'a pair [rows, columns]', value: `[${v.join(', ')}]` }, r);
    else for (const x of v) if (!p.number(name, x, spec, r)) return;
  };
  switch (layer.kind) {
    case 'conv2d':
      p.number('filters', layer.filters, R.filters, r);
      pair('kernel', layer.kernel, R.kernel);
      pair('stride', layer.stride, R.stride);
      pair('padding', layer.padding, R.padding);
      return;
    case 'conv1d':
      p.number('filters', layer.filters, R.filters, r);
      p.number('kernel', layer.kernel, R.kernel, r);
      p.number('stride', layer.stride, R.stride, r);
      p.number('padding', layer.padding, R.padding, r);
      return;
    case 'dense':
      p.number('units', layer.units, R.units, r);
      return;
    case 'batchnorm':
      p.number('eps', layer.eps, R.eps, r);
      p.number('momentum', layer.momentum, R.momentum, r);
      return;
    case 'layernorm':
      p.number('eps', layer.eps, R.eps, r);
      return;
    case 'maxpool':
    case 'avgpool':
    case 'sumpool':
      pair('size', layer.size, R.size);
      pair('stride', layer.stride, R.stride);
      return;
    case 'dropout':
      p.number('rate', layer.rate, R.rate, r);
      return;
    case 'scale':
      p.number('factor', layer.factor, {}, r);
      return;
    case 'delay':
      p.number('steps', layer.steps, R.delay, r);
      return;
    case 'neuron':
      checkNeuron(layer.neuron, p);
      return;
    case 'flatten':
    case 'add':
    case 'concat':
    case 'iand':
      return;
    default:
      assertNever(layer);
  }
}

/** A trained neuron's parameters; used for layers and for the program's named neurons. */
export function checkNeuron(n: NeuronDef, p: Problems): void {
  const R = IR_RANGES.neuron;
  const r = n.range;
  checkSurrogate(n.surrogate, r, p);
  switch (n.kind) {
    case 'equations':
      checkEquationNeuron(n, p);
      return;
    case 'alif':
      p.number('tau_adapt', n.tauAdapt, R.tauAdapt, r);
      p.number('beta', n.beta, R.beta, r);
      p.number('tau', n.tau, R.tau, r);
      break;
    case 'lif':
    case 'plif':
      p.number('tau', n.tau, R.tau, r);
      break;
    case 'if':
      break;
    default:
      assertNever(n);
  }
  p.number('threshold', n.threshold, {}, r);
  p.number('reset', n.resetValue, {}, r);
}

function checkSurrogate(s: Surrogate, r: SourceRange | undefined, p: Problems): void {
  p.number(`${s.kind} alpha`, s.alpha, IR_RANGES.neuron.alpha, r);
}

/**
 * A neuron from a definition: its step and parameters are finite, updates and resets assign
 * state variables, and expressions read only parameters, state and the input.
 */
function checkEquationNeuron(n: EquationNeuron, p: Problems): void {
  const r = n.range;
  p.number('dt', n.dt, IR_RANGES.nef.dt, r);
  for (const [name, v] of Object.entries(n.params)) if (!Number.isFinite(v)) p.add('SNN3002', { name, constraint: 'a finite number', value: String(v) }, r);
  const state = new Set(n.state.map((s) => s.name));
  const readable = new Set([...Object.keys(n.params), ...state, n.input]);
  const reads = (e: Expr, where: string, names: ReadonlySet<string>) => {
    for (const v of freeVariables(e)) if (!names.has(v)) p.add('SNN5006', { what: `name (in ${where} of neuron \`${n.name}\`)`, name: v }, e.range ?? r);
  };
  // An initial value reads the parameters and the state declared before it (`state u = b * v`).
  const earlier = new Set(Object.keys(n.params));
  for (const s of n.state) {
    reads(s.init, `the initial value of \`${s.name}\``, earlier);
    earlier.add(s.name);
  }
  for (const eq of n.equations) {
    if (!state.has(eq.target)) p.add('SNN2001', { what: 'state variable', name: eq.target }, r);
    reads(eq.rhs, `the update of \`${eq.target}\``, readable);
  }
  for (const a of n.reset) {
    if (!state.has(a.target)) p.add('SNN2001', { what: 'state variable', name: a.target }, r);
    reads(a.value, 'the reset', readable);
  }
  if (n.spike !== null) {
    reads(n.spike.left, 'the spike condition', readable);
    reads(n.spike.right, 'the spike condition', readable);
  }
  if (n.refractory !== null) {
    const spec = n.refractory.unit === 'steps' ? { integer: true, min: 0 } : { min: 0 };
    p.number('refractory', n.refractory.value, spec, r);
  }
}

/**
 * Each layer's recorded input shape is what its first input gives (the model input for the
 * first layer of a chain), and the model's output shape is its output layer's.
 */
function checkShapes(model: Model, ids: string[], p: Problems): void {
  const out = new Map<string, Shape>([[MODEL_INPUT, model.input]]);
  model.layers.forEach((layer, i) => {
    if (!checkShape(`${layer.id} output`, layer.outShape, layer.range, p)) return;
    out.set(layer.id, layer.outShape);
  });
  model.layers.forEach((layer, i) => {
    const first = layer.inputs?.[0] ?? (i === 0 ? MODEL_INPUT : ids[i - 1]!);
    const given = out.get(first);
    if (given !== undefined && shapeText(given) !== shapeText(layer.inShape)) {
      p.add('SNN4001', { layer: `\`${layer.id}\``, expected: shapeText(layer.inShape), previous: first === MODEL_INPUT ? 'the input' : `\`${first}\``, actual: shapeText(given) }, layer.range);
    }
  });
  const outputId = model.output ?? ids[ids.length - 1]!;
  const last = out.get(outputId);
  if (last !== undefined && shapeText(last) !== shapeText(model.outputShape)) {
    p.add('SNN3002', { name: 'outputShape', constraint: `the output of \`${outputId}\`, ${shapeText(last)}`, value: shapeText(model.outputShape) }, model.range);
  }
}
