import { describe, expect, it } from 'vitest';
import { IR_VERSION, type Program } from '@snnc/ir';
import { canonicalJson } from './canonical.js';
import { applyOverrides, definedOverrides } from './overrides.js';
import { buildReport } from './report/table.js';
import { formatMarkdownTable, formatTerminalTable, reportCsv, reportTable } from './report/format.js';
import { reportHtml } from './report/html.js';
import { accuracyVsFieldChart } from './report/figures.js';
import { selectSweep } from './select-sweep.js';
import type { RunData } from './types.js';
import { tinyExperiment, tinySweep } from './node/__tests__/fixtures.js';

describe('canonicalJson', () => {
  it('sorts keys, drops undefined and the given keys anywhere, and refuses non-JSON numbers', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: undefined }], c: 'x', range: 5 } }, ['range'])).toBe('{"a":{"c":"x","d":[1,{"z":0}]},"b":1}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/finite number/);
  });
});

describe('applyOverrides', () => {
  it('bakes epochs, batch, lr and seed into a copy and keeps a cosine floor below a new rate', () => {
    const e = tinyExperiment();
    e.schedule = { kind: 'cosine', minLr: 0.005 };
    const o = applyOverrides(e, { epochs: 1, batch: 8, lr: 0.001, seed: 7, trainLimit: 10 });
    expect([o.epochs, o.batch, o.optimizer.lr, o.seed, o.schedule]).toEqual([1, 8, 0.001, 7, { kind: 'cosine', minLr: 0.001 }]);
    expect(e.epochs).toBe(2);
    expect(definedOverrides({ epochs: 1, lr: undefined, testLimit: 5 })).toEqual({ epochs: 1, testLimit: 5 });
  });
});

describe('selectSweep', () => {
  const program = (names: string[]): Program => ({ irVersion: IR_VERSION, file: 'f.snn', imports: [], neurons: [], models: [], experiments: [], sweeps: names.map((n) => tinySweep(n, { batch: [1] })), networks: [] });
  it('takes the named or the only sweep, and lists the choices otherwise', () => {
    expect('sweep' in selectSweep(program(['a']), undefined)).toBe(true);
    expect(selectSweep(program(['a', 'b']), 'b')).toMatchObject({ sweep: { name: 'b' } });
    expect(selectSweep(program(['a', 'b']), undefined)).toEqual({ error: 'f.snn defines several sweeps; choose one with --sweep\n  sweeps: a, b' });
    expect(selectSweep(program(['a']), 'c')).toEqual({ error: 'no sweep `c` in f.snn\n  sweeps: a' });
    expect(selectSweep(program([]), undefined)).toMatchObject({ error: expect.stringContaining('defines no sweep') });
  });
});

function run(label: string, target: string, rows: { test_acc: number; total_time: number }[], status = 'completed'): RunData {
  const e = tinyExperiment();
  e.target = target as RunData['experiment'] extends infer E ? (E extends { target: infer T } ? T : never) : never;
  return {
    dir: `/runs/${label}`,
    label,
    experiment: e,
    summary: { status, backend: { name: 'wasm', detail: 'wasm (SIMD, 1 thread)' }, trainSamples: 1000 },
    metrics: rows.map((r, epoch) => ({ epoch, train_acc: r.test_acc, train_loss: 0.1, ...r })),
  };
}

describe('report formatting', () => {
  const runs = [
    run('a,"quoted"', 'onehot', [{ test_acc: 0.5, total_time: 10 }, { test_acc: 0.75, total_time: 30 }]),
    run('b|pipe', 'gray', [{ test_acc: 0.6, total_time: 20 }, { test_acc: 0.4, total_time: 20 }]),
    run('c', 'binary', [{ test_acc: 0.1, total_time: 5 }], 'interrupted'),
  ];
  const report = buildReport(runs);

  it('takes the differing fields as columns and reads the runtime summary', () => {
    expect(report.fields).toEqual(['target']);
    expect(report.rows.map((r) => [r.status, r.testAcc, r.bestTestAcc, r.secondsPerEpoch, r.imagesPerSecond, r.backend])).toEqual([
      ['ok', 0.75, 0.75, 20, 50, 'wasm'],
      ['ok', 0.4, 0.6, 20, 50, 'wasm'],
      ['incomplete', 0.1, 0.1, 5, 200, 'wasm'],
    ]);
  });

  it('quotes CSV, escapes Markdown pipes, escapes HTML, and aligns the terminal table', () => {
    const csv = reportCsv(report).split('\n');
    expect(csv[1]!.startsWith('"a,""quoted""",onehot,ok,2,0.75,0.75,0.75,')).toBe(true);
    expect(formatMarkdownTable(reportTable(report))).toContain('| b\\|pipe | gray | ok | 2 | 40.00 | 40.00 | 60.00 | 20.0 | 50.0 | wasm |');
    expect(reportHtml(report, [], 'T <1>')).toContain('<title>T &lt;1&gt;</title>');
    expect(reportHtml(report, [], 'T')).toContain('<td>a,&quot;quoted&quot;</td>');
    const lines = formatTerminalTable(reportTable(report)).split('\n');
    expect(lines[2]!.indexOf(' ok ') + 1).toBe(lines[0]!.indexOf('status'));
    expect(lines[4]!.indexOf('incomplete')).toBe(lines[0]!.indexOf('status'));
  });

  it('plots text values as categories, and the best line only where it differs from the final', () => {
    const spec = accuracyVsFieldChart(report, 'target') as { encoding: { x: { type: string } }; data: { values: { measure: string }[] } };
    expect(spec.encoding.x.type).toBe('nominal');
    expect(new Set(spec.data.values.map((v) => v.measure))).toEqual(new Set(['final test acc', 'best test acc']));
    const lr = buildReport([0.001, 0.01, 0.1].map((x, i) => {
      const r = run(`lr${i}`, 'onehot', [{ test_acc: 0.9 - i * 0.1, total_time: 1 }]);
      r.experiment!.optimizer.lr = x;
      return r;
    }));
    const lrSpec = accuracyVsFieldChart(lr, 'optimizer.lr') as { encoding: { x: { type: string; scale: { type?: string } } }; data: { values: { measure: string }[] } };
    expect(lrSpec.encoding.x).toMatchObject({ type: 'quantitative', scale: { type: 'log' } });
    expect(new Set(lrSpec.data.values.map((v) => v.measure))).toEqual(new Set(['final test acc']));
  });
});
