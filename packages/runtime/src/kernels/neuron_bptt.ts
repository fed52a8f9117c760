import * as tf from '@tensorflow/tfjs-core';
import { assertNever } from '@snnc/ir';
import { surrogateDerivativeTensor } from '../model/surrogate.js';
import type { FusedNeuronConfig } from './neuron_loops.js';

/**
 * The multi-step IF/LIF neuron as tfjs ops with a hand-written backward pass (BPTT), for
 * backends without the fused kernels (tensorflow: copying data out of TensorFlow into a JS
 * kernel and back costs more than it saves). The forward runs the same per-step ops as the
 * autodiff path (model/neurons/sequence.ts), so spikes are bit-identical, but records no tape;
 * the backward computes the surrogate and the reset derivative for all T steps in a few
 * whole-sequence ops and keeps only the recurrence dL/dV[t-1] = dL/dH[t] dH/dV in the time
 * loop: ~3 small ops per step instead of autodiff's ~15.
 * x: [T*B, ...] time-major, or [B, ...] with cfg.staticInput. Returns spikes [T*B, ...].
 */
export function bpttNeuron(x: tf.Tensor, cfg: FusedNeuronConfig): tf.Tensor {
  const T = cfg.steps;
  const isStatic = cfg.staticInput === true;
  if (!isStatic && x.shape[0]! % T !== 0) {
    throw new Error(`bpttNeuron: expected a leading axis divisible by T=${T}, got [${x.shape.join(', ')}]`);
  }
  let dhdv: number;
  let dhdx: number;
  switch (cfg.charge) {
    case 'if':
      dhdv = 1;
      dhdx = 1;
      break;
    case 'lif':
      dhdv = 1 - cfg.invTau;
      dhdx = cfg.decayInput ? cfg.invTau : 1;
      break;
    default:
      return assertNever(cfg.charge);
  }
  const { threshold: thr, vReset: vr } = cfg;
  const charge = (v: tf.Tensor, xt: tf.Tensor): tf.Tensor => {
    if (cfg.charge === 'if') return tf.add(v, xt);
    const leak = vr === 0 ? v : tf.sub(v, vr);
    return cfg.decayInput ? tf.add(v, tf.mul(tf.sub(xt, leak), cfg.invTau)) : tf.add(tf.sub(v, tf.mul(leak, cfg.invTau)), xt);
  };
  // Step 0 from V[-1] = V_reset: with V_reset = 0 the charge reduces exactly (0 + y = y,
  // x - 0 = x) to x k (decay_input) or x, saving a fill and two ops; else the general charge.
  const firstCharge = (xt: tf.Tensor): tf.Tensor => {
    if (vr !== 0) return charge(tf.fill(xt.shape, vr), xt);
    return cfg.charge === 'lif' && cfg.decayInput ? tf.mul(xt, cfg.invTau) : tf.clone(xt);
  };
  const f = tf.customGrad((xIn, save) => {
    const xv = xIn as tf.Tensor;
    const xs = isStatic ? null : T === 1 ? [xv] : tf.split(xv, T, 0);
    const hs: tf.Tensor[] = [];
    const ss: tf.Tensor[] = [];
    let v: tf.Tensor | null = null; // V[-1] = V_reset
    for (let t = 0; t < T; t++) {
      const xt = isStatic ? xv : xs![t]!;
      const h: tf.Tensor = v === null ? firstCharge(xt) : charge(v, xt);
      // h >= thr is exactly f32(h - thr) >= 0 (the difference of two floats near the
      // threshold cannot round to zero), one op less than the composed path's test
      const s = tf.cast(tf.greaterEqual(h, thr), 'float32');
      v = cfg.reset === 'hard' ? tf.sub(h, tf.mul(s, vr === 0 ? h : tf.sub(h, vr))) : tf.sub(h, tf.mul(s, thr));
      hs.push(h);
      ss.push(s);
    }
    const hAll = T === 1 ? hs[0]! : tf.concat(hs, 0);
    const sAll = T === 1 ? ss[0]! : tf.concat(ss, 0);
    (save as tf.GradSaveFunc)([hAll, sAll]);
    return {
      value: sAll,
      gradFunc: (dy, saved) => {
        const [h, s] = saved as [tf.Tensor, tf.Tensor];
        const sg = surrogateDerivativeTensor(cfg.surrogate, tf.sub(h, thr));
        const direct = tf.mul(dy, sg);
        // dV[t]/dH[t] through the reset (the spike's surrogate term cut when detached)
        let dvdh: tf.Tensor | null;
        if (cfg.reset === 'hard') {
          const keep = tf.sub(1, s);
          dvdh = cfg.detachReset ? keep : vr === 0 ? tf.sub(keep, tf.mul(h, sg)) : tf.add(keep, tf.mul(tf.sub(vr, h), sg));
        } else {
          dvdh = cfg.detachReset ? null : tf.sub(1, tf.mul(sg, thr)); // null: identically 1
        }
        const d = T === 1 ? [direct] : tf.split(direct, T, 0);
        const r = dvdh === null ? null : T === 1 ? [dvdh] : tf.split(dvdh, T, 0);
        const gh: tf.Tensor[] = new Array<tf.Tensor>(T);
        let gv: tf.Tensor | null = null; // dL/dV[t], carried backwards in time
        for (let t = T - 1; t >= 0; t--) {
          const carried: tf.Tensor | null = gv === null ? null : r === null ? gv : tf.mul(gv, r[t]!);
          const g: tf.Tensor = carried === null ? d[t]! : tf.add(d[t]!, carried);
          gh[t] = g;
          if (t > 0) gv = dhdv === 1 ? g : tf.mul(g, dhdv); // dL/dV[-1] is not needed
        }
        let dx: tf.Tensor = isStatic ? (T === 1 ? gh[0]! : tf.addN(gh)) : T === 1 ? gh[0]! : tf.concat(gh, 0);
        if (dhdx !== 1) dx = tf.mul(dx, dhdx);
        return dx;
      },
    };
  });
  return f(x.dtype === 'float32' ? x : tf.cast(x, 'float32'));
}
