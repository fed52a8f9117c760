"""Dumps a .nir file as JSON the way other NIR tools see it: read with h5py, as
nir/serialization.py does (node type, every dataset with its shape and values, edges).
Used by the @snnc/nir tests to check that files snnc writes read back in Python.
Run: python3 packages/nir/tools/h5py-dump.py FILE.nir
"""
import json
import sys

import h5py
import numpy as np


def value(v):
    if isinstance(v, bytes):
        return v.decode("utf8")
    if isinstance(v, np.ndarray):
        if v.dtype.kind in ("O", "S"):
            return [value(x) for x in v.reshape(-1)]
        return {"shape": list(v.shape), "dtype": v.dtype.str, "data": v.reshape(-1).tolist()}
    if isinstance(v, np.generic):
        return {"shape": [], "dtype": v.dtype.str, "data": [v.item()]}
    return v


def dump(g):
    out = {}
    for k, item in g.items():
        out[k] = dump(item) if isinstance(item, h5py.Group) else value(item[()])
    return out


with h5py.File(sys.argv[1], "r") as f:
    print(json.dumps({"version": value(f["version"][()]), "node": dump(f["node"])}))
