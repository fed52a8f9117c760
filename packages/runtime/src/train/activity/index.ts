export { ActivityCollector, type ActivityCounts, type CollectorOptions, type LayerCounts } from './collector.js';
export { axisFanout, convConnections, convFanoutMap, type ConvGeometry } from './fanout.js';
export { dataIsEvents, planActivity, shortLabel, type LayerPlan, type LayerRole, type ValueKind } from './plan.js';
export { combineProbes, RateRegProbe } from './rate-reg.js';
export { energyJoules, neuronStats, summarizeActivity, type ActivitySummary, type LayerActivity } from './summary.js';
export { ActivityWatch, formatRates, SATURATED_FRACTION, warningDiagnostic, type ActivityWarning, type LayerRate } from './watch.js';
export { formatActivityLine, formatActivityTable, formatCount, formatJoules } from './format.js';
