import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const COLORS = ['#2563eb', '#d9480f', '#2f9e44', '#9c36b5', '#0c8599', '#e8590c', '#5c940d', '#c2255c'];

export interface SeriesSpec {
  label: string;
  /** Drawn dashed (an expected value next to the measured one). */
  dashed?: boolean;
  /** Index into the colour cycle; dashed series reuse their measured series' colour. */
  color?: number;
}

/**
 * A live time-series plot (uPlot): samples are appended as they arrive and the chart is
 * redrawn at most once per animation frame. The header shows each series' recent mean.
 */
export class LivePlot {
  readonly element: HTMLElement;
  private readonly plot: uPlot;
  private readonly data: number[][];
  private readonly valueEl: HTMLElement;
  private pending = false;
  /** Samples averaged for the header readout. */
  private readonly readoutWindow: number;

  constructor(
    title: string,
    private readonly series: SeriesSpec[],
    opts: { xLabel: string; height?: number; points?: boolean; key: string; readoutWindow?: number },
  ) {
    this.element = document.createElement('div');
    this.element.className = 'plot';
    this.element.dataset['plot'] = opts.key;
    const h = document.createElement('h4');
    h.textContent = title;
    this.valueEl = document.createElement('span');
    this.valueEl.className = 'value';
    h.append(this.valueEl);
    this.element.append(h);
    this.readoutWindow = opts.readoutWindow ?? 100;
    this.data = [[], ...series.map(() => [])];
    const width = 420;
    this.plot = new uPlot(
      {
        width,
        height: opts.height ?? 170,
        legend: { show: series.length > 1 },
        scales: { x: { time: false } },
        axes: [{ label: opts.xLabel, size: 36 }, { size: 48 }],
        series: [
          { label: opts.xLabel },
          ...series.map((s, i) => ({
            label: s.label,
            // Expected values are drawn dashed in grey, so the measured trace stays readable on top.
            stroke: s.dashed ? '#4b5563' : COLORS[(s.color ?? i) % COLORS.length],
            width: 1.5,
            dash: s.dashed ? [6, 4] : undefined,
            points: { show: opts.points ?? false },
          })),
        ],
      },
      this.data as uPlot.AlignedData,
      this.element,
    );
    new ResizeObserver(() => {
      const w = this.element.clientWidth - 10;
      if (w > 50 && Math.abs(w - this.plot.width) > 2) this.plot.setSize({ width: w, height: this.plot.height });
    }).observe(this.element);
  }

  /** Appends samples: `xs` and one array per series, all the same length. */
  append(xs: ArrayLike<number>, ys: ArrayLike<number>[]): void {
    for (let i = 0; i < xs.length; i++) {
      this.data[0]!.push(xs[i]!);
      for (let s = 0; s < this.series.length; s++) this.data[s + 1]!.push(ys[s]?.[i] ?? NaN);
    }
    this.schedule();
  }

  /** The mean of each series over the last `readoutWindow` samples. */
  recentMeans(): number[] {
    return this.series.map((_, s) => {
      const col = this.data[s + 1]!;
      const from = Math.max(0, col.length - this.readoutWindow);
      let sum = 0;
      for (let i = from; i < col.length; i++) sum += col[i]!;
      return col.length > from ? sum / (col.length - from) : NaN;
    });
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.plot.setData(this.data as uPlot.AlignedData);
      const means = this.recentMeans();
      this.valueEl.textContent = this.series
        .map((s, i) => `${s.label} ${Number.isFinite(means[i]) ? means[i]!.toFixed(3) : '-'}`)
        .join('  ');
      this.valueEl.dataset['values'] = JSON.stringify(means);
    });
  }

  destroy(): void {
    this.plot.destroy();
    this.element.remove();
  }
}
