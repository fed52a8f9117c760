import { describe, expect, it } from 'vitest';
import { codes, compileText } from '../test-util.js';

const ROWS = 'model rows(input: [28], steps: 28) { dense(64) -> LIF -> dense(classes) -> LIF }\n';
const SHD = 'model rec(input: [700], steps: 50) { dense(64) -> LIF -> dense(classes) -> LIF }\n';
const NMNIST = 'model ev(input: [2, 34, 34], steps: 30) { conv2d(8, kernel: 3) -> LIF -> flatten -> dense(classes) -> LIF }\n';

describe('sequence data choices', () => {
  it('reads sequential MNIST: 28 steps of 28 inputs, 10 classes', () => {
    const r = compileText(`${ROWS}experiment e { model: rows  data: sequential_mnist }`);
    expect(codes(r)).toEqual([]);
    expect(r.ir!.experiments[0]!.data).toEqual({ kind: 'sequential_mnist' });
    expect(r.ir!.experiments[0]!.model.outputShape).toEqual([10]);
  });

  it('reads shd with paths relative to the file, steps and a duration in seconds; 20 classes', () => {
    const r = compileText(`${SHD}experiment e { model: rec  data: shd(train: "shd/train.h5", test: "shd/test.h5", steps: 50, duration: 1000ms) }`, {}, 'dir/main.snn');
    expect(codes(r)).toEqual([]);
    expect(r.ir!.experiments[0]!.data).toEqual({ kind: 'shd', train: 'dir/shd/train.h5', test: 'dir/shd/test.h5', steps: 50, duration: 1, units: 700, classes: 20 });
    expect(r.ir!.experiments[0]!.model.outputShape).toEqual([20]);
  });

  it('reads nmnist frames [2, 34, 34] with default steps and duration', () => {
    const r = compileText(`${NMNIST}experiment e { model: ev  data: nmnist(train: "N/Train", test: "N/Test") }`);
    expect(codes(r)).toEqual([]);
    expect(r.ir!.experiments[0]!.data).toEqual({ kind: 'nmnist', train: 'N/Train', test: 'N/Test', steps: 30, duration: 0.3 });
  });

  it('checks the model against the frames and the step count, with located messages', () => {
    expect(codes(compileText(`${ROWS.replace('steps: 28', 'steps: 10')}experiment e { model: rows  data: sequential_mnist }`))).toEqual([
      'SNN4450 model `rows` runs 10 steps but `sequential_mnist` gives 28 steps per sample',
    ]);
    expect(codes(compileText(`${SHD}experiment e { model: rec  data: shd(train: "a", test: "b", steps: 40) }`))).toEqual(['SNN4450 model `rec` runs 50 steps but `shd` gives 40 steps per sample']);
    expect(codes(compileText(`${ROWS.replace('[28]', '[784]')}experiment e { model: rows  data: sequential_mnist }`))).toEqual([
      'SNN4004 model `rows` takes [784] but `sequential_mnist` gives frames of [28]',
    ]);
    const plain = compileText(`${SHD}experiment e { model: rec  data: shd(train: "a", test: "b", steps: 50, duration: 2) }`);
    expect(plain.ir!.experiments[0]!.data).toMatchObject({ duration: 2 });
    const rate = codes(compileText(`${SHD}experiment e { model: rec  data: shd(train: "a", test: "b", steps: 50, duration: 5Hz) }`));
    expect(rate).toHaveLength(1);
    expect(rate[0]).toMatch(/^SNN3004 `duration`/);
  });

  it('needs both paths', () => {
    expect(codes(compileText(`${SHD}experiment e { model: rec  data: shd(train: "a", steps: 50) }`))).toEqual(['SNN2004 data `shd` needs `test`']);
  });
});
