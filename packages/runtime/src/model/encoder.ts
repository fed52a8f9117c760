import * as tf from '@tensorflow/tfjs-core';
import { assertNever, type Encoder, type Random } from '@snnc/ir';

/**
 * Encoders turn a batch of static samples x [B, ...] into what the first layer sees.
 * `direct` keeps x as it is (the same analogue input at every step), so the network can run
 * everything before its first neuron layer once on [B, ...] and broadcast (SpikingJelly's
 * trick); the spike encoders produce a time-major [T*B, ...] sequence.
 */
export type Encoded = { folded: false; x: tf.Tensor } | { folded: true; x: tf.Tensor };

export function encode(encoder: Encoder, x: tf.Tensor, steps: number, rng: Random): Encoded {
  switch (encoder.kind) {
    case 'direct':
      return { folded: false, x };
    case 'poisson':
      return { folded: true, x: poissonEncode(x, steps, encoder.gain, rng) };
    case 'latency':
      return { folded: true, x: latencyEncode(x, steps, encoder) };
    default:
      return assertNever(encoder);
  }
}

/** Bernoulli spikes with probability clamp(gain x, 0, 1), drawn independently per step. */
export function poissonEncode(x: tf.Tensor, steps: number, gain: number, rng: Random): tf.Tensor {
  return tf.tidy(() => {
    const p = tf.clipByValue(tf.mul(x, gain), 0, 1);
    const n = x.size * steps;
    const u = new Float32Array(n);
    for (let i = 0; i < n; i++) u[i] = rng.random();
    const uniform = tf.tensor(u, [steps * x.shape[0]!, ...x.shape.slice(1)], 'float32');
    const probs = steps === 1 ? p : tf.tile(p, [steps, ...x.shape.slice(1).map(() => 1)]);
    return tf.cast(tf.less(uniform, probs), 'float32');
  });
}

/**
 * One spike per input at step round((1 - x) (T - 1)) (`linear`, x clipped to [0, 1]) or
 * round(tau ln(x / (x - threshold))) clipped to T - 1 (`log`, snnTorch); inputs below
 * `threshold` never fire.
 */
export function latencyEncode(x: tf.Tensor, steps: number, enc: Extract<Encoder, { kind: 'latency' }>): tf.Tensor {
  return tf.tidy(() => {
    const fires = tf.greaterEqual(x, enc.threshold);
    let time: tf.Tensor;
    switch (enc.mode) {
      case 'linear':
        time = tf.round(tf.mul(tf.sub(1, tf.clipByValue(x, 0, 1)), steps - 1));
        break;
      case 'log': {
        const above = tf.greater(x, enc.threshold);
        // Guard the log's argument where it is not used, so no NaN leaks through `where`.
        const safe = tf.where(above, x, tf.fill(x.shape, enc.threshold + 1));
        const t = tf.mul(tf.log(tf.div(safe, tf.sub(safe, enc.threshold))), enc.tau);
        time = tf.where(above, tf.minimum(tf.round(t), steps - 1), tf.fill(x.shape, steps - 1));
        break;
      }
      default:
        return assertNever(enc.mode);
    }
    const frames: tf.Tensor[] = [];
    for (let t = 0; t < steps; t++) frames.push(tf.cast(tf.logicalAnd(tf.equal(time, t), fires), 'float32'));
    return steps === 1 ? frames[0]! : tf.concat(frames, 0);
  });
}

/**
 * Sequence data already has its time axis: x [T*B, ...] time-major. `direct` presents it as
 * it is, `poisson` draws Bernoulli spikes per step and unit; `latency` (one spike per static
 * value) has no meaning for a sequence.
 */
export function encodeSequence(encoder: Encoder, x: tf.Tensor, rng: Random): Encoded {
  switch (encoder.kind) {
    case 'direct':
      return { folded: true, x };
    case 'poisson':
      return { folded: true, x: poissonEncode(x, 1, encoder.gain, rng) };
    case 'latency':
      throw new Error('encode latency: sequence data already has a time axis; use `direct` or `poisson`');
    default:
      return assertNever(encoder);
  }
}
