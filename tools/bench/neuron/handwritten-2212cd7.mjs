// The hand-written IF/LIF kernels as they were at commit 2212cd7 (before the kernels were
// generated from neuron definitions), transpiled from packages/runtime/src/kernels/neuron_loops.ts
// and neuron_bptt.ts, kept only as the baseline of tools/bench/neuron/bench.mjs.
import * as tf from "@tensorflow/tfjs-core";
import { assertNever } from "@snnc/ir";
import { surrogateDerivative, surrogateDerivativeTensor } from "@snnc/runtime";

const f32 = Math.fround;
function neuronForward(x, s, h, cfg) {
  if (cfg.charge === "lif" && cfg.decayInput && cfg.reset === "hard" && cfg.vReset === 0) lifHardZeroForward(x, s, h, cfg);
  else neuronForwardGeneric(x, s, h, cfg);
}
function lifHardZeroForward(x, s, h, cfg) {
  const T = cfg.steps;
  const n = checkLength(s.length, T);
  const xStride = cfg.staticInput ? 0 : n;
  if (x.length !== (cfg.staticInput ? n : n * T)) throw new Error(`fused neuron: input has ${x.length} values, expected ${cfg.staticInput ? n : n * T}`);
  const k = f32(cfg.invTau);
  const thr = f32(cfg.threshold);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let t = 0, j = i, xi = i; t < T; t++, j += n, xi += xStride) {
      const hv = f32(v + f32(f32(x[xi] - v) * k));
      const sp = f32(hv - thr) >= 0 ? 1 : 0;
      h[j] = hv;
      s[j] = sp;
      v = sp === 0 ? hv : 0;
    }
  }
}
function neuronForwardGeneric(x, s, h, cfg) {
  const T = cfg.steps;
  const n = checkLength(s.length, T);
  const xStride = cfg.staticInput ? 0 : n;
  if (x.length !== (cfg.staticInput ? n : n * T)) throw new Error(`fused neuron: input has ${x.length} values, expected ${cfg.staticInput ? n : n * T}`);
  const k = f32(cfg.invTau);
  const vr = f32(cfg.vReset);
  const thr = f32(cfg.threshold);
  const isIf = cfg.charge === "if";
  const decay = cfg.decayInput;
  const hard = cfg.reset === "hard";
  for (let i = 0; i < n; i++) {
    let v = vr;
    for (let t = 0, j = i, xi = i; t < T; t++, j += n, xi += xStride) {
      const xj = x[xi];
      let hv;
      if (isIf) hv = f32(v + xj);
      else {
        const leak = vr === 0 ? v : f32(v - vr);
        hv = decay ? f32(v + f32(f32(xj - leak) * k)) : f32(f32(v - f32(leak * k)) + xj);
      }
      const sp = f32(hv - thr) >= 0 ? 1 : 0;
      h[j] = hv;
      s[j] = sp;
      if (hard) v = sp === 0 ? hv : vr === 0 ? 0 : f32(hv - f32(hv - vr));
      else v = sp === 0 ? hv : f32(hv - thr);
    }
  }
}
function neuronBackward(dy, s, h, dx, cfg) {
  const T = cfg.steps;
  const n = checkLength(dy.length, T);
  const sg = surrogateDerivative(cfg.surrogate);
  let dhdv;
  let dhdx;
  switch (cfg.charge) {
    case "if":
      dhdv = 1;
      dhdx = 1;
      break;
    case "lif":
      dhdv = 1 - cfg.invTau;
      dhdx = cfg.decayInput ? cfg.invTau : 1;
      break;
    default:
      assertNever(cfg.charge);
  }
  const thr = cfg.threshold;
  const vr = cfg.vReset;
  const hard = cfg.reset === "hard";
  const detached = cfg.detachReset;
  const isStatic = cfg.staticInput === true;
  if (dx.length !== (isStatic ? n : n * T)) throw new Error(`fused neuron: dx has ${dx.length} values, expected ${isStatic ? n : n * T}`);
  for (let i = 0; i < n; i++) {
    let gv = 0;
    let gx = 0;
    for (let t = T - 1, j = i + (T - 1) * n; t >= 0; t--, j -= n) {
      const hv = h[j];
      const sp = s[j];
      const g = sg(hv - thr);
      const dvdh = hard ? detached ? 1 - sp : 1 - sp + (vr - hv) * g : detached ? 1 : 1 - thr * g;
      const gh = dy[j] * g + gv * dvdh;
      if (isStatic) gx += gh * dhdx;
      else dx[j] = gh * dhdx;
      gv = gh * dhdv;
    }
    if (isStatic) dx[i] = gx;
  }
}
function checkLength(size, T) {
  if (!Number.isInteger(T) || T < 1 || size % T !== 0) {
    throw new Error(`fused neuron: expected a size divisible by T=${T}, got ${size}`);
  }
  return size / T;
}
export {
  neuronBackward,
  neuronForward,
  neuronForwardGeneric
};
function bpttNeuron(x, cfg) {
  const T = cfg.steps;
  const isStatic = cfg.staticInput === true;
  if (!isStatic && x.shape[0] % T !== 0) {
    throw new Error(`bpttNeuron: expected a leading axis divisible by T=${T}, got [${x.shape.join(", ")}]`);
  }
  let dhdv;
  let dhdx;
  switch (cfg.charge) {
    case "if":
      dhdv = 1;
      dhdx = 1;
      break;
    case "lif":
      dhdv = 1 - cfg.invTau;
      dhdx = cfg.decayInput ? cfg.invTau : 1;
      break;
    default:
      return assertNever(cfg.charge);
  }
  const { threshold: thr, vReset: vr } = cfg;
  const charge = (v, xt) => {
    if (cfg.charge === "if") return tf.add(v, xt);
    const leak = vr === 0 ? v : tf.sub(v, vr);
    return cfg.decayInput ? tf.add(v, tf.mul(tf.sub(xt, leak), cfg.invTau)) : tf.add(tf.sub(v, tf.mul(leak, cfg.invTau)), xt);
  };
  const firstCharge = (xt) => {
    if (vr !== 0) return charge(tf.fill(xt.shape, vr), xt);
    return cfg.charge === "lif" && cfg.decayInput ? tf.mul(xt, cfg.invTau) : tf.clone(xt);
  };
  const f = tf.customGrad((xIn, save) => {
    const xv = xIn;
    const xs = isStatic ? null : T === 1 ? [xv] : tf.split(xv, T, 0);
    const hs = [];
    const ss = [];
    let v = null;
    for (let t = 0; t < T; t++) {
      const xt = isStatic ? xv : xs[t];
      const h = v === null ? firstCharge(xt) : charge(v, xt);
      const s = tf.cast(tf.greaterEqual(h, thr), "float32");
      v = cfg.reset === "hard" ? tf.sub(h, tf.mul(s, vr === 0 ? h : tf.sub(h, vr))) : tf.sub(h, tf.mul(s, thr));
      hs.push(h);
      ss.push(s);
    }
    const hAll = T === 1 ? hs[0] : tf.concat(hs, 0);
    const sAll = T === 1 ? ss[0] : tf.concat(ss, 0);
    save([hAll, sAll]);
    return {
      value: sAll,
      gradFunc: (dy, saved) => {
        const [h, s] = saved;
        const sg = surrogateDerivativeTensor(cfg.surrogate, tf.sub(h, thr));
        const direct = tf.mul(dy, sg);
        let dvdh;
        if (cfg.reset === "hard") {
          const keep = tf.sub(1, s);
          dvdh = cfg.detachReset ? keep : vr === 0 ? tf.sub(keep, tf.mul(h, sg)) : tf.add(keep, tf.mul(tf.sub(vr, h), sg));
        } else {
          dvdh = cfg.detachReset ? null : tf.sub(1, tf.mul(sg, thr));
        }
        const d = T === 1 ? [direct] : tf.split(direct, T, 0);
        const r = dvdh === null ? null : T === 1 ? [dvdh] : tf.split(dvdh, T, 0);
        const gh = new Array(T);
        let gv = null;
        for (let t = T - 1; t >= 0; t--) {
          const carried = gv === null ? null : r === null ? gv : tf.mul(gv, r[t]);
          const g = carried === null ? d[t] : tf.add(d[t], carried);
          gh[t] = g;
          if (t > 0) gv = dhdv === 1 ? g : tf.mul(g, dhdv);
        }
        let dx = isStatic ? T === 1 ? gh[0] : tf.addN(gh) : T === 1 ? gh[0] : tf.concat(gh, 0);
        if (dhdx !== 1) dx = tf.mul(dx, dhdx);
        return dx;
      }
    };
  });
  return f(x.dtype === "float32" ? x : tf.cast(x, "float32"));
}
export { bpttNeuron };
