import { describe, expect, it } from 'vitest';
import { figureFormatOf, renderFigure, renderSvg, timeSeriesChart, trainingCurvesChart } from './index.js';

describe('plots', () => {
  it('renders stacked time series to an SVG with one path per series', async () => {
    const t = Array.from({ length: 500 }, (_, i) => i / 100);
    const spec = timeSeriesChart(
      [
        { title: 'inputs', yLabel: 'value', series: [{ name: 'a', x: t, y: t.map(() => 0.5) }] },
        { title: 'probes', yLabel: 'decoded', series: [{ name: 'c', x: t, y: t.map((s) => Math.sin(s)) }, { name: 'd', x: t, y: t }] },
      ],
      { title: 'multiply' },
    );
    const svg = await renderSvg(spec);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('multiply');
    expect(svg).toContain('probes');
    // one line mark per series: a, c and d
    expect((svg.match(/aria-roledescription="line mark" d="M/g) ?? []).length).toBe(3);
  });

  it('strides long series and drops non-finite values', () => {
    const x = Array.from({ length: 10_000 }, (_, i) => i);
    const y = x.map((v) => (v === 5 ? NaN : v));
    const spec = timeSeriesChart([{ title: 'p', yLabel: 'y', series: [{ name: 's', x, y }] }], { title: 't', maxPoints: 100 }) as {
      vconcat: { data: { values: unknown[] } }[];
    };
    expect(spec.vconcat[0]!.data.values.length).toBe(100);
  });

  it('renders training curves and PNG bytes', async () => {
    const metrics = [0, 1, 2].map((epoch) => ({ epoch, train_loss: 0.1 / (epoch + 1), test_loss: 0.08 / (epoch + 1), train_acc: 0.9 + epoch / 100, test_acc: 0.91 + epoch / 100 }));
    const svg = await renderSvg(trainingCurvesChart(metrics, 'run'));
    expect(svg).toContain('accuracy');
    const png = (await renderFigure(trainingCurvesChart(metrics, 'run'), 'png', 1)) as Uint8Array;
    expect([...png.slice(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
  });

  it('knows figure formats by extension', () => {
    expect(figureFormatOf('out.SVG')).toBe('svg');
    expect(figureFormatOf('a/b.png')).toBe('png');
    expect(figureFormatOf('x.pdf')).toBeUndefined();
  });
});
