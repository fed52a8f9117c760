import { assertNever, type Expr } from './expr.js';
import type { BuiltinNeuron, EquationNeuron } from './ir.js';

/**
 * The built-in IF/LIF/PLIF/ALIF (SpikingJelly semantics, documented on `NeuronDef`) as an
 * {@link EquationNeuron}, so `snnc trace` and the scalar simulator drive them like any
 * definition. PLIF is traced at its starting tau (its 1/tau is learned only in training).
 * Runtime tests keep this equal to the hand-written kernels.
 */
export function builtinAsEquations(def: BuiltinNeuron): EquationNeuron {
  const num = (value: number): Expr => ({ kind: 'num', value });
  const v = (name: string): Expr => ({ kind: 'var', name });
  const bin = (op: '+' | '-' | '*' | '/', left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });
  const params: Record<string, number> = { threshold: def.threshold, reset: def.resetValue };
  const state: EquationNeuron['state'] = [{ name: 'v', init: v('reset') }];
  const equations: EquationNeuron['equations'] = [];
  let threshold: Expr = v('threshold');
  const resets: EquationNeuron['reset'] = [];
  // charge: H = V + X (IF); decay_input: H = V + (X - (V - V_reset)) / tau; else H = V - (V - V_reset) / tau + X
  const leaky = (tau: number): Expr => {
    params['tau'] = tau;
    const leak = bin('-', v('v'), v('reset'));
    return def.kind !== 'if' && def.decayInput ? bin('+', v('v'), bin('/', bin('-', v('x'), leak), v('tau'))) : bin('+', bin('-', v('v'), bin('/', leak, v('tau'))), v('x'));
  };
  switch (def.kind) {
    case 'if':
      equations.push({ target: 'v', form: 'assign', rhs: bin('+', v('v'), v('x')) });
      break;
    case 'lif':
    case 'plif':
      equations.push({ target: 'v', form: 'assign', rhs: leaky(def.tau) });
      break;
    case 'alif':
      // a[t] = a[t-1] (1 - 1/tau_adapt) + S[t-1]; `fired` carries S[t-1] into the step
      params['tau_adapt'] = def.tauAdapt;
      params['beta'] = def.beta;
      state.push({ name: 'a', init: num(0) }, { name: 'fired', init: num(0) });
      equations.push(
        { target: 'a', form: 'assign', rhs: bin('+', bin('*', v('a'), bin('-', num(1), bin('/', num(1), v('tau_adapt')))), v('fired')) },
        { target: 'fired', form: 'assign', rhs: num(0) },
        { target: 'v', form: 'assign', rhs: leaky(def.tau) },
      );
      threshold = bin('+', v('threshold'), bin('*', v('beta'), v('a')));
      resets.push({ target: 'fired', value: num(1) });
      break;
    default:
      return assertNever(def);
  }
  resets.unshift({ target: 'v', value: def.reset === 'soft' ? bin('-', v('v'), threshold) : v('reset') });
  const out: EquationNeuron = {
    kind: 'equations',
    name: def.name,
    definition: def.kind.toUpperCase(),
    params,
    input: 'x',
    state,
    scheme: 'discrete',
    dt: 1e-3,
    equations,
    spike: { left: v('v'), op: '>=', right: threshold },
    reset: resets,
    refractory: null,
    surrogate: def.surrogate,
    detachReset: def.detachReset,
  };
  if (def.range) out.range = def.range;
  return out;
}
