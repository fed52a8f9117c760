/**
 * A spike raster on a canvas: one row per neuron, a tick per spike. Spikes arrive in chunks
 * and are drawn incrementally; the time axis spans `duration` seconds and is rescaled
 * (redrawn from the kept spikes) when the simulation runs past it.
 */
export class SpikeRaster {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly times: number[] = [];
  private readonly neurons: number[] = [];
  private readonly countEl: HTMLElement;

  constructor(
    title: string,
    private readonly rows: number,
    private duration: number,
    key: string,
    /** Time each tick covers (same unit as `duration`); ticks are at least 1 px wide. */
    private readonly tickSpan = 0,
    /** Which neurons the rows are, for the count readout ("N spikes in <rowsLabel>"). */
    private readonly rowsLabel = `the first ${rows} neurons`,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'plot';
    this.element.dataset['raster'] = key;
    const h = document.createElement('h4');
    h.textContent = title;
    this.countEl = document.createElement('span');
    this.countEl.className = 'value';
    h.append(this.countEl);
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'raster';
    this.element.append(h, this.canvas);
  }

  append(times: ArrayLike<number>, neurons: ArrayLike<number>): void {
    const start = this.times.length;
    for (let i = 0; i < times.length; i++) {
      this.times.push(times[i]!);
      this.neurons.push(neurons[i]!);
    }
    const last = this.times[this.times.length - 1] ?? 0;
    if (last > this.duration) {
      this.duration = Math.max(last, this.duration * 2);
      this.redraw();
    } else this.draw(start);
    this.countEl.textContent = `${this.times.length} spikes in ${this.rowsLabel}`;
    this.element.dataset['spikes'] = String(this.times.length);
  }

  private fit(): CanvasRenderingContext2D {
    const c = this.canvas;
    const w = Math.max(100, c.clientWidth);
    const h = Math.max(60, c.clientHeight);
    if (c.width !== w || c.height !== h) {
      c.width = w;
      c.height = h;
    }
    return c.getContext('2d')!;
  }

  private redraw(): void {
    const ctx = this.fit();
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.draw(0);
  }

  private draw(from: number): void {
    const ctx = this.fit();
    const w = this.canvas.width;
    const rowH = this.canvas.height / this.rows;
    const tickW = Math.max(1, (this.tickSpan / this.duration) * w - 1);
    ctx.fillStyle = '#1f2328';
    for (let i = from; i < this.times.length; i++) {
      const x = (this.times[i]! / this.duration) * w;
      ctx.fillRect(x, this.neurons[i]! * rowH, tickW, Math.max(1, rowH - 0.5));
    }
  }

  destroy(): void {
    this.element.remove();
  }
}
