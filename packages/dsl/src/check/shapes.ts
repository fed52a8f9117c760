import { assertNever, type Shape } from '@snnc/ir';
import type { LayerSpec } from './layers.js';
import type { Sink } from './sink.js';

export function shapeText(s: Shape): string {
  return `[${s.join(', ')}]`;
}

/**
 * The per-sample output shape of a layer, or undefined after reporting why the input does
 * not fit. `label` names the layer and `previous` what fed it (`flatten`, `the input`).
 */
export function inferShape(spec: LayerSpec, label: string, input: Shape, previous: string, sink: Sink): Shape | undefined {
  const range = spec.range!;
  const needImage = (): undefined => {
    sink.report('SNN4001', range, { layer: label, expected: 'an image [C, H, W]', previous, actual: shapeText(input) }, input.length === 1 ? `\`${label.replace(/\(.*/, '')}\` works on images; it cannot follow a flat vector` : undefined);
    return undefined;
  };
  const collapsed = (out: Shape): undefined => {
    sink.report('SNN4002', range, { layer: label, input: shapeText(input), output: shapeText(out) });
    return undefined;
  };
  switch (spec.kind) {
    case 'conv2d': {
      if (input.length !== 3) return needImage();
      const [c, h, w] = input as [number, number, number];
      void c;
      const oh = Math.floor((h + 2 * spec.padding[0] - spec.kernel[0]) / spec.stride[0]) + 1;
      const ow = Math.floor((w + 2 * spec.padding[1] - spec.kernel[1]) / spec.stride[1]) + 1;
      const out = [spec.filters, oh, ow];
      return oh < 1 || ow < 1 ? collapsed(out.map((v) => Math.max(0, v))) : out;
    }
    case 'conv1d': {
      if (input.length !== 2) {
        sink.report('SNN4001', range, { layer: label, expected: 'a sequence [C, L]', previous, actual: shapeText(input) });
        return undefined;
      }
      const l = Math.floor((input[1]! + 2 * spec.padding - spec.kernel) / spec.stride) + 1;
      return l < 1 ? collapsed([spec.filters, 0]) : [spec.filters, l];
    }
    case 'sumpool':
    case 'maxpool':
    case 'avgpool': {
      if (input.length !== 3) return needImage();
      const [c, h, w] = input as [number, number, number];
      const oh = Math.floor((h - spec.size[0]) / spec.stride[0]) + 1;
      const ow = Math.floor((w - spec.size[1]) / spec.stride[1]) + 1;
      const out = [c, oh, ow];
      return oh < 1 || ow < 1 ? collapsed(out.map((v) => Math.max(0, v))) : out;
    }
    case 'dense':
      if (input.length !== 1) {
        sink.report('SNN4001', range, { layer: label, expected: 'a vector [N]', previous, actual: shapeText(input) }, 'add `flatten` before it');
        return undefined;
      }
      return [spec.units];
    case 'flatten':
      return [input.reduce((a, b) => a * b, 1)];
    case 'batchnorm':
    case 'dropout':
    case 'neuron':
    case 'scale':
    case 'layernorm':
    case 'delay':
    // Merges: the first input's shape; the graph check compares the others (and widens concat).
    case 'add':
    case 'concat':
    case 'iand':
      return input;
    default:
      return assertNever(spec);
  }
}
