import { describe, expect, test } from 'vitest';
import { compile } from '@snnc/dsl';
import { connectionLabel, graphSvg, layoutNetwork } from './graph.js';

const net = compile(
  `network n {
  input a = 0.5
  input b = piecewise({0: 0, 0.2: 1})
  ensemble ab = LIF(n: 50, dims: 2)
  ensemble c = LIF(n: 50)
  connect a -> ab[0]
  connect b -> ab[1]
  connect ab -> c (function: x[0] * x[1], synapse: 5ms)
  connect c -> c (synapse: 100ms, transform: 0.9)
  connect a -> c.neurons (transform: -2)
  probe c
  run 1s
}
`,
  { file: 'n.snn' },
).ir!.networks[0]!;

describe('network graph', () => {
  test('columns follow the signal flow, recurrence ignored', () => {
    const g = layoutNetwork(net);
    const x = Object.fromEntries(g.nodes.map((n) => [n.name, n.x]));
    expect(x['a']).toBe(x['b']);
    expect(x['ab']!).toBeGreaterThan(x['a']!);
    expect(x['c']!).toBeGreaterThan(x['ab']!);
    expect(g.nodes.find((n) => n.name === 'ab')?.detail).toBe('50 LIF, 2-D');
    expect(g.nodes.find((n) => n.name === 'b')?.detail).toBe('input, piecewise');
  });

  test('connections are labelled with function, transform and synapse', () => {
    const labels = net.connections.map(connectionLabel);
    expect(labels).toEqual(['τ 5ms', 'τ 5ms', 'x[0] * x[1]  τ 5ms', '×0.9  τ 100ms', '×-2  τ 5ms']);
  });

  test('the SVG has a node per ensemble and input and a path per connection', () => {
    const svg = graphSvg(layoutNetwork(net));
    expect(svg.match(/class="net-node"/g)).toHaveLength(4);
    expect(svg.match(/class="net-edge"/g)).toHaveLength(5);
    expect(svg).toContain('x[0] * x[1]');
    expect(svg).toContain('stroke-dasharray'); // the a -> c.neurons connection
    expect(svg).not.toMatch(/NaN|undefined/);
  });
});
