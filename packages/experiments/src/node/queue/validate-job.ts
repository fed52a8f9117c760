import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Experiment, SweepValue } from '@snnc/ir';
import { BACKEND_REQUESTS, type BackendRequest, type QuickOverrides, type SpecSource } from '../../types.js';
import type { QueueJobData } from './submit.js';
import type { SweepMeta } from './keys.js';

/**
 * A queue job comes from whoever can write to Redis, so every field is checked before the
 * worker builds a path or starts a process from it. The experiment is checked against the IR's
 * own JSON Schema (generated from ir.ts, so it follows every IR change).
 */

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Sweep hashes are the first 16 hex digits of a sha256 (see hash.ts). */
const HASH_RE = /^[0-9a-f]{16}$/;
/** Sweep names are .snn identifiers. */
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Upper bounds on what a job may carry, chars: a .snn spec, a version string, a path. */
const MAX_SPEC_CHARS = 4 * 2 ** 20;
const MAX_SHORT_CHARS = 200;
const MAX_PATH_CHARS = 4096;
/** Point ids of real sweeps are short (`batch=64,optimizer.lr=0.01`). */
const MAX_ID_CHARS = 1000;

let experimentValidator: ValidateFunction | undefined;

function validateExperiment(value: unknown): string | undefined {
  if (experimentValidator === undefined) {
    const file = createRequire(import.meta.url).resolve('@snnc/ir/schema/ir.schema.json');
    const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const ajv = new Ajv({ allErrors: false, strict: false });
    experimentValidator = ajv.compile({ ...schema, $ref: '#/definitions/Experiment' });
  }
  if (experimentValidator(value)) return undefined;
  const e = experimentValidator.errors?.[0];
  return e === undefined ? 'does not match the IR schema' : `does not match the IR schema: ${e.instancePath || '(root)'} ${e.message ?? ''}`.trim();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function shortString(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max && !v.includes('\0');
}

function isSweepValue(v: unknown): v is SweepValue {
  return (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean' || (typeof v === 'string' && v.length <= MAX_SHORT_CHARS);
}

function checkOverrides(v: unknown): Checked<QuickOverrides> {
  if (!isObject(v)) return { ok: false, reason: '`overrides` is not an object' };
  const out: QuickOverrides = {};
  const ints = ['epochs', 'batch', 'seed', 'trainLimit', 'testLimit'] as const;
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined) continue;
    if ((ints as readonly string[]).includes(k)) {
      if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) return { ok: false, reason: `\`overrides.${k}\` must be a non-negative integer` };
      out[k as (typeof ints)[number]] = x;
    } else if (k === 'lr') {
      if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) return { ok: false, reason: '`overrides.lr` must be a positive number' };
      out.lr = x;
    } else {
      return { ok: false, reason: `\`overrides\` has an unknown field \`${k}\`` };
    }
  }
  return { ok: true, value: out };
}

function checkLimits(v: unknown): Checked<{ trainLimit?: number; testLimit?: number }> {
  if (!isObject(v)) return { ok: false, reason: '`limits` is not an object' };
  const out: { trainLimit?: number; testLimit?: number } = {};
  for (const [k, x] of Object.entries(v)) {
    if (k !== 'trainLimit' && k !== 'testLimit') return { ok: false, reason: `\`limits\` has an unknown field \`${k}\`` };
    if (x === undefined) continue;
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) return { ok: false, reason: `\`limits.${k}\` must be a non-negative integer` };
    out[k] = x;
  }
  return { ok: true, value: out };
}

function checkSpec(v: unknown): Checked<SpecSource | undefined> {
  if (v === undefined) return { ok: true, value: undefined };
  if (!isObject(v) || !shortString(v.file, MAX_PATH_CHARS) || typeof v.source !== 'string' || v.source.length > MAX_SPEC_CHARS) {
    return { ok: false, reason: `\`spec\` must be {file, source} with a source under ${MAX_SPEC_CHARS} characters` };
  }
  return { ok: true, value: { file: v.file, source: v.source } };
}

/**
 * Checks a job's data field by field and returns a fresh object built only from checked
 * parts (unknown fields are refused, not carried along).
 */
export function checkJobData(raw: unknown): Checked<QueueJobData> {
  if (!isObject(raw)) return { ok: false, reason: 'the job data is not a JSON object' };
  const known = new Set(['sweep', 'sweepHash', 'pointId', 'index', 'values', 'experiment', 'limits', 'overrides', 'backend', 'baseDir', 'snncVersion', 'spec']);
  for (const k of Object.keys(raw)) if (!known.has(k)) return { ok: false, reason: `the job has an unknown field \`${k}\`` };
  const { sweep, sweepHash, pointId, index, values, experiment, backend, baseDir, snncVersion } = raw;
  if (typeof sweep !== 'string' || !NAME_RE.test(sweep) || sweep.length > MAX_SHORT_CHARS) return { ok: false, reason: '`sweep` must be a sweep name (an identifier)' };
  if (typeof sweepHash !== 'string' || !HASH_RE.test(sweepHash)) return { ok: false, reason: '`sweepHash` must be 16 lowercase hex digits' };
  if (!shortString(pointId, MAX_ID_CHARS)) return { ok: false, reason: '`pointId` must be a non-empty string' };
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) return { ok: false, reason: '`index` must be a non-negative integer' };
  if (!isObject(values) || !Object.values(values).every(isSweepValue)) return { ok: false, reason: '`values` must map axis names to numbers, strings or booleans' };
  const expErr = validateExperiment(experiment);
  if (expErr !== undefined) return { ok: false, reason: `\`experiment\` ${expErr}` };
  const limits = checkLimits(raw.limits);
  if (!limits.ok) return limits;
  const overrides = checkOverrides(raw.overrides);
  if (!overrides.ok) return overrides;
  if (typeof backend !== 'string' || !(BACKEND_REQUESTS as readonly string[]).includes(backend)) return { ok: false, reason: `\`backend\` must be one of ${BACKEND_REQUESTS.join(', ')}` };
  if (!shortString(baseDir, MAX_PATH_CHARS) || !path.isAbsolute(baseDir)) return { ok: false, reason: '`baseDir` must be an absolute path' };
  if (!shortString(snncVersion, MAX_SHORT_CHARS)) return { ok: false, reason: '`snncVersion` must be a short string' };
  const spec = checkSpec(raw.spec);
  if (!spec.ok) return spec;
  const job: QueueJobData = {
    sweep,
    sweepHash,
    pointId,
    index,
    values: values as Record<string, SweepValue>,
    experiment: experiment as Experiment,
    limits: limits.value,
    overrides: overrides.value,
    backend: backend as BackendRequest,
    baseDir,
    snncVersion,
    ...(spec.value !== undefined ? { spec: spec.value } : {}),
  };
  return { ok: true, value: job };
}

/** A sweep's metadata record as stored by submitSweep, checked (it is read back from Redis). */
export function checkSweepMeta(text: string): Checked<SweepMeta> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'the sweep record is not JSON' };
  }
  if (!isObject(v)) return { ok: false, reason: 'the sweep record is not a JSON object' };
  if (typeof v.name !== 'string' || !NAME_RE.test(v.name)) return { ok: false, reason: 'the sweep record has no valid `name`' };
  if (typeof v.hash !== 'string' || !HASH_RE.test(v.hash)) return { ok: false, reason: 'the sweep record has no valid `hash`' };
  if (!Array.isArray(v.points)) return { ok: false, reason: 'the sweep record has no `points` list' };
  const points: SweepMeta['points'] = [];
  for (const [i, p] of v.points.entries()) {
    if (!isObject(p) || !shortString(p.id, MAX_ID_CHARS) || p.index !== i || !isObject(p.values) || !Object.values(p.values).every(isSweepValue)) {
      return { ok: false, reason: `point ${i} of the sweep record is malformed` };
    }
    points.push({ id: p.id, index: i, values: p.values as Record<string, SweepValue> });
  }
  return { ok: true, value: { name: v.name, hash: v.hash, points, submittedAt: typeof v.submittedAt === 'string' ? v.submittedAt : '' } };
}

/** Whether the job names a point of the sweep submitted under its name, with that sweep's hash. */
export function checkJobAgainstSweep(job: QueueJobData, meta: SweepMeta | undefined): string | undefined {
  if (meta === undefined) return `no sweep \`${job.sweep}\` was submitted`;
  if (meta.hash !== job.sweepHash) return `sweep \`${job.sweep}\` was submitted with hash ${meta.hash}, not ${job.sweepHash}`;
  const p = meta.points[job.index];
  if (p === undefined || p.id !== job.pointId) return `sweep \`${job.sweep}\` has no point \`${job.pointId}\` at index ${job.index}`;
  return undefined;
}

/** `parts` resolved against `root`, or undefined when that is `root` itself or leaves it. */
export function pathInside(root: string, ...parts: string[]): string | undefined {
  const base = path.resolve(root);
  const p = path.resolve(base, ...parts);
  const rel = path.relative(base, p);
  const escapes = rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
  return escapes ? undefined : p;
}
