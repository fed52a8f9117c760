import { assertNever, type NefInput, type Network } from '@snnc/ir';
import { LivePlot } from '../ui/plot.js';
import { SpikeRaster } from '../ui/raster.js';
import { graphSvg, layoutNetwork } from './graph.js';
import type { NefRequest, NefResponse, SimSpeed } from './protocol.js';
import NefWorker from './worker.ts?worker';

export interface NefPanelElements {
  graph: HTMLElement;
  sliders: HTMLElement;
  plots: HTMLElement;
  status: HTMLElement;
  empty: HTMLElement;
}

/**
 * The Network tab: the graph of the network, a slider per input dimension (moving one
 * overrides that input in the running simulation), a live plot per decoded probe and a
 * raster per spike probe.
 */
export class NefPanel {
  private worker: Worker | undefined;
  private plots = new Map<string, LivePlot>();
  private rasters = new Map<string, SpikeRaster>();
  running = false;
  onStateChange: (running: boolean) => void = () => {};

  constructor(private readonly el: NefPanelElements) {}

  /** Draws a compiled network without running it (the graph and sliders only). */
  preview(net: Network): void {
    this.el.graph.innerHTML = graphSvg(layoutNetwork(net));
    this.el.empty.hidden = true;
  }

  start(net: Network, speed: SimSpeed, keepRunning: boolean): void {
    // A new run replaces the old one outright; late messages of the old worker are ignored.
    this.worker?.terminate();
    this.clear();
    this.preview(net);
    this.buildSliders(net.inputs);
    const worker = new NefWorker({ name: 'snnc-nef' });
    this.worker = worker;
    worker.onmessage = (ev: MessageEvent<NefResponse>) => {
      if (this.worker === worker) this.receive(ev.data, net);
    };
    worker.onerror = (ev) => {
      if (this.worker === worker) this.receive({ kind: 'error', message: ev.message || 'the simulation worker failed to start' }, net);
    };
    this.el.status.textContent = 'building…';
    delete this.el.status.dataset['done'];
    delete this.el.status.dataset['error'];
    this.setRunning(true);
    this.post({ kind: 'start', network: net, speed, keepRunning });
  }

  stop(): void {
    if (!this.worker) return;
    this.post({ kind: 'stop' });
  }

  private post(m: NefRequest): void {
    this.worker?.postMessage(m);
  }

  private setRunning(r: boolean): void {
    this.running = r;
    this.onStateChange(r);
  }

  private clear(): void {
    for (const p of this.plots.values()) p.destroy();
    for (const r of this.rasters.values()) r.destroy();
    this.plots.clear();
    this.rasters.clear();
    this.el.plots.replaceChildren();
    this.el.sliders.replaceChildren();
  }

  private buildSliders(inputs: NefInput[]): void {
    for (const inp of inputs) {
      const initial = inp.signal.kind === 'constant' ? inp.signal.value : null;
      for (let d = 0; d < inp.dims; d++) {
        const v0 = initial?.[d] ?? 0;
        const lim = Math.max(1, Math.ceil(Math.abs(v0)));
        const label = document.createElement('label');
        label.textContent = inp.dims === 1 ? inp.name : `${inp.name}[${d}]`;
        const range = document.createElement('input');
        range.type = 'range';
        range.min = String(-lim);
        range.max = String(lim);
        range.step = '0.01';
        range.value = String(v0);
        range.dataset['input'] = inp.name;
        range.dataset['dim'] = String(d);
        range.id = `slider-${inp.name}-${d}`;
        label.htmlFor = range.id;
        const out = document.createElement('output');
        out.textContent = initial ? v0.toFixed(2) : inp.signal.kind;
        range.addEventListener('input', () => {
          // Every dimension of the input is set together, from the sliders' current values.
          const all = [...this.el.sliders.querySelectorAll<HTMLInputElement>(`input[data-input="${CSS.escape(inp.name)}"]`)];
          const value = all.map((s) => Number(s.value));
          out.textContent = Number(range.value).toFixed(2);
          this.post({ kind: 'set-input', name: inp.name, value });
        });
        this.el.sliders.append(label, range, out);
      }
    }
  }

  private receive(m: NefResponse, net: Network): void {
    switch (m.kind) {
      case 'built':
        this.el.status.textContent = `built in ${m.buildMs.toFixed(0)} ms; simulating…`;
        for (const p of m.probes) {
          if (p.attr === 'spikes') {
            const r = new SpikeRaster(`${p.name} (spikes)`, p.shown, net.runTime, p.name);
            this.rasters.set(p.name, r);
            this.el.plots.append(r.element);
          } else {
            const weights = p.attr === 'weights';
            const columns = weights ? p.columns.slice(0, p.shown) : p.columns;
            const series = columns.map((label, i) => ({ label, color: i }));
            if (p.hasExpected) series.push(...p.columns.map((label, i) => ({ label: `${label} expected`, color: i, dashed: true })));
            const title = weights && p.shown < p.columns.length ? `${p.name} (learned weights, first ${p.shown} of ${p.columns.length})` : p.name;
            const plot = new LivePlot(title, series, { xLabel: 't (s)', key: p.name, readoutWindow: Math.max(1, Math.round(0.1 / m.dt)) });
            this.plots.set(p.name, plot);
            this.el.plots.append(plot.element);
          }
        }
        return;
      case 'frame':
        for (const s of m.series) this.plots.get(s.name)?.append(m.t, [...s.columns, ...(s.expected ?? [])]);
        for (const s of m.spikes) this.rasters.get(s.name)?.append(s.times, s.neurons);
        this.el.status.dataset['t'] = String(m.t[m.t.length - 1] ?? 0);
        this.el.status.textContent = `t = ${(m.t[m.t.length - 1] ?? 0).toFixed(2)} s`;
        return;
      case 'done': {
        const why = { finished: 'finished', stopped: 'stopped', limit: 'stopped at the keep-running limit' }[m.reason];
        this.el.status.textContent = `${why}: ${m.simTime.toFixed(2)} s simulated in ${(m.wallMs / 1000).toFixed(1)} s${m.activityText ? `; ${m.activityText}` : ''}`;
        this.el.status.dataset['done'] = m.reason;
        this.el.status.dataset['synopsPerS'] = String(m.activity.total.synopsPerSecond);
        this.worker?.terminate();
        this.worker = undefined;
        this.setRunning(false);
        return;
      }
      case 'error':
        this.el.status.textContent = `error: ${m.message}`;
        this.el.status.dataset['error'] = m.message;
        // Every worker error ends the run (a build failure, a step that threw).
        this.worker?.terminate();
        this.worker = undefined;
        this.setRunning(false);
        return;
      default:
        assertNever(m);
    }
  }
}
