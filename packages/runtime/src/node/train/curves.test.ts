import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../train/index.js';
import { renderCurvesSvg } from './curves.js';

const epoch = (e: number): EpochMetrics => ({
  epoch: e,
  train_loss: 0.02 / (e + 1),
  train_acc: 0.9 + e / 100,
  test_loss: 0.015 / (e + 1),
  test_acc: 0.93 + e / 100,
  max_test_acc: 0.93 + e / 100,
  total_time: 10,
  train_time: 9,
  test_time: 1,
  lr: 0.01,
  steps: 10 * (e + 1),
  images_per_s: 100,
  improved: true,
});

describe('learning curves', () => {
  it('renders loss and accuracy, train vs test, to an SVG in Node', async () => {
    const svg = await renderCurvesSvg('mnist: csnn', [epoch(0), epoch(1), epoch(2)]);
    expect(svg.startsWith('<svg')).toBe(true);
    for (const text of ['mnist: csnn', 'loss', 'accuracy', 'train', 'test', 'epoch']) expect(svg).toContain(text);
    // two panels (loss, accuracy) x two splits (train, test): four line marks
    expect((svg.match(/aria-roledescription="line mark" d="M/g) ?? []).length).toBe(4);
  });
});
