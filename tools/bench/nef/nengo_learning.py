#!/usr/bin/env python3
"""Nengo 4.1's own learning examples, run here, for the comparison in docs/nef.md.

The three networks are the ones on nengo.ai (examples/learning/learn-communication-channel,
learn-product, examples/dynamics/controlled-oscillator), as examples/nef/nengo_examples.snn
writes them, measured the way tools/bench/nef/learning.mjs measures snnc's:

  learn_communication_channel  RMSE(post[d] - stim[d]), first 1 s and the last 5 s (10-15 s,
                               after the error population is silenced), per dimension
  learn_product                RMSE(post - x0 x1), first 1 s and last 5 s (55-60 s, inhibited);
                               the reference ensemble `product` over the last 5 s
  controlled_oscillator        RMSE(frequency - control), 0.5-5 s; and the state's angular
                               velocity against the commanded speed * control, per 1 s segment

Nengo is not installable from this machine's package indexes; it is pure Python on NumPy, so
it runs from a source checkout (v4.1.0):
  git clone --branch v4.1.0 https://github.com/nengo/nengo /path/to/nengo
  NENGO_PATH=/path/to/nengo /usr/bin/python3 tools/bench/nef/nengo_learning.py --seeds 5 --json out.json
Nengo's own examples start the learned connections from a random function
(`np.random.random`); snnc's start from zero. `--start zero` runs Nengo from zero too.
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

sys.path.insert(0, os.environ.get("NENGO_PATH", ""))
import numpy as np  # noqa: E402
import nengo  # noqa: E402
from nengo.processes import Piecewise, WhiteSignal  # noqa: E402

DT = 0.001


def rmse(y, ideal, t, lo, hi):
    m = (t > lo) & (t <= hi)
    return float(np.sqrt(np.mean((y[m] - ideal[m]) ** 2)))


def start_fn(start, dims):
    if start == "zero":
        return lambda x: np.zeros(dims)
    return lambda x: np.random.random(dims)


def learn_communication_channel(seed, start):
    with nengo.Network(seed=seed) as net:
        inp = nengo.Node(WhiteSignal(60, high=5), size_out=2)
        pre = nengo.Ensemble(60, dimensions=2)
        nengo.Connection(inp, pre)
        post = nengo.Ensemble(60, dimensions=2)
        conn = nengo.Connection(pre, post, function=start_fn(start, 2), learning_rule_type=nengo.PES())
        error = nengo.Ensemble(60, dimensions=2)
        nengo.Connection(post, error)
        nengo.Connection(pre, error, transform=-1)
        nengo.Connection(error, conn.learning_rule)
        stop = nengo.Node(lambda t: t >= 10)
        nengo.Connection(stop, error.neurons, transform=-20 * np.ones((error.n_neurons, 1)))
        p_inp = nengo.Probe(inp)
        p_post = nengo.Probe(post, synapse=0.01)
    with nengo.Simulator(net, dt=DT, progress_bar=False, seed=seed) as sim:
        sim.run(15)
    t = sim.trange()
    out = {}
    for d in (0, 1):
        out[f"first[{d}]"] = rmse(sim.data[p_post][:, d], sim.data[p_inp][:, d], t, 0, 1)
        out[f"last[{d}]"] = rmse(sim.data[p_post][:, d], sim.data[p_inp][:, d], t, 10, 15)
    return out


def learn_product(seed, start):
    with nengo.Network(seed=seed) as net:
        inp = nengo.Node(WhiteSignal(60, high=5), size_out=2)
        pre = nengo.Ensemble(120, dimensions=2)
        nengo.Connection(inp, pre)
        post = nengo.Ensemble(60, dimensions=1)
        product = nengo.Ensemble(60, dimensions=1)
        nengo.Connection(inp, product, function=lambda x: x[0] * x[1], synapse=None)
        error = nengo.Ensemble(60, dimensions=1)
        nengo.Connection(post, error)
        nengo.Connection(product, error, transform=-1)
        conn = nengo.Connection(pre, post, function=start_fn(start, 1), learning_rule_type=nengo.PES())
        nengo.Connection(error, conn.learning_rule)
        inhib = nengo.Node(lambda t: 2.0 if t > 40.0 else 0.0)
        nengo.Connection(inhib, error.neurons, transform=[[-1]] * error.n_neurons)
        p_inp = nengo.Probe(inp)
        p_post = nengo.Probe(post, synapse=0.01)
        p_product = nengo.Probe(product, synapse=0.01)
    with nengo.Simulator(net, dt=DT, progress_bar=False, seed=seed) as sim:
        sim.run(60)
    t = sim.trange()
    ideal = sim.data[p_inp][:, 0] * sim.data[p_inp][:, 1]
    return {
        "first": rmse(sim.data[p_post][:, 0], ideal, t, 0, 1),
        "last": rmse(sim.data[p_post][:, 0], ideal, t, 55, 60),
        "reference": rmse(sim.data[p_product][:, 0], ideal, t, 55, 60),
    }


CONTROL = {0: 1, 1: 0.5, 2: 0, 3: -0.5, 4: -1}


def angular_velocity(x0, x1, t, lo, hi):
    """Mean d(angle)/dt of (x0, x1) over lo < t <= hi, rad/s (least-squares slope of the unwrapped angle)."""
    m = (t > lo) & (t <= hi)
    phase = np.unwrap(np.arctan2(x1[m], x0[m]))
    return float(np.polyfit(t[m], phase, 1)[0])


def controlled_oscillator(seed, start):
    tau, speed = 0.1, 10
    with nengo.Network(seed=seed) as net:
        kick = nengo.Node(Piecewise({0: [1, 0, 0], 0.15: [0, 0, 0]}))
        freq = nengo.Node(Piecewise(CONTROL))
        oscillator = nengo.Ensemble(500, dimensions=3, radius=1.7)
        frequency = nengo.Ensemble(100, dimensions=1)
        nengo.Connection(kick, oscillator)
        nengo.Connection(freq, frequency)
        nengo.Connection(frequency, oscillator[2])

        def feedback(x):
            x0, x1, w = x
            return x0 + w * speed * tau * x1, x1 - w * speed * tau * x0, 0

        nengo.Connection(oscillator, oscillator, function=feedback, synapse=tau)
        p_osc = nengo.Probe(oscillator, synapse=0.02)
        p_freq = nengo.Probe(frequency, synapse=0.02)
        p_ctrl = nengo.Probe(freq)
    with nengo.Simulator(net, dt=DT, progress_bar=False, seed=seed) as sim:
        sim.run(5)
    t = sim.trange()
    out = {"frequency": rmse(sim.data[p_freq][:, 0], sim.data[p_ctrl][:, 0], t, 0.5, 5)}
    x = sim.data[p_osc]
    # skip each segment's first 0.3 s (the frequency ensemble's and the synapse's settling);
    # the state turns clockwise for w > 0: d(angle)/dt = -w speed
    errs = []
    for k, w in CONTROL.items():
        if w == 0:
            continue
        omega = angular_velocity(x[:, 0], x[:, 1], t, k + 0.3, k + 1)
        errs.append(abs(omega - (-w * speed)) / (abs(w) * speed))
    out["speed_rel_err"] = float(np.mean(errs))
    return out


CASES = {
    "learn_communication_channel": learn_communication_channel,
    "learn_product": learn_product,
    "controlled_oscillator": controlled_oscillator,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--start", choices=["random", "zero"], default="random")
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--json")
    a = ap.parse_args()
    rows = []
    print(f"Nengo {nengo.__version__}, numpy {np.__version__}, {a.seeds} seeds, learned connections start {a.start}")
    for name in a.cases.split(","):
        per = []
        t0 = time.perf_counter()
        for seed in range(a.seeds):
            np.random.seed(seed)  # the examples' np.random.random start
            per.append(CASES[name](seed, a.start))
        secs = (time.perf_counter() - t0) / a.seeds
        stats = {k: (statistics.mean(r[k] for r in per), statistics.stdev(r[k] for r in per) if len(per) > 1 else 0.0) for k in per[0]}
        rows.append({"network": name, "seeds": a.seeds, "start": a.start, "seconds_per_seed": secs, "stats": stats})
        print(f"{name}: " + ", ".join(f"{k} {m:.3f} ± {s:.3f}" for k, (m, s) in stats.items()) + f"  ({secs:.1f} s per seed)")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=2)


if __name__ == "__main__":
    main()
