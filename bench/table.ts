import type { BenchmarkReport, Figure, Row, ScalingPoint, Unit } from './report-model.js';
import { growthExponent } from './statistics.js';

// The report as Markdown: the machine, one table of composelet beside docker-compose with the ratio per
// row, the scaling series, and what was skipped or looked wrong. Figures are "median (min–max)".

export function renderMarkdown(report: BenchmarkReport): string {
  const { machine } = report;
  const lines = [
    `Benchmark (${report.mode}), ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC: ${machine.processors} × ${machine.cpuModel}, ` +
      `${machine.memoryGiB} GiB, Linux ${machine.kernel}, Docker Engine ${machine.engineVersion} (API ${machine.engineApiVersion}), ` +
      `Node ${machine.nodeVersion}, docker-compose ${machine.dockerComposeVersion}; ${machine.otherContainersRunning} other containers on the engine.`,
    '',
    'Each figure is the median of repeated runs with its spread (min–max; n = runs when fewer than 5); heal shows a percentile over every fault.',
    '',
    '| stack | measure | composelet | docker-compose 1.29 | composelet / docker-compose |',
    '|---|---|---:|---:|---:|',
    ...report.rows.map(renderRow),
  ];
  if (report.scaling.length > 0) lines.push('', ...renderScaling(report.scaling));
  if (report.skipped.length > 0) lines.push('', 'Skipped:', ...report.skipped.map((reason) => `- ${reason}`));
  if (report.notes.length > 0) lines.push('', 'Notes:', ...report.notes.map((note) => `- ${note}`));
  return `${lines.join('\n')}\n`;
}

function renderRow(row: Row): string {
  return `| ${row.stack} | ${row.measure} | ${formatFigure(row.composelet)} | ${formatFigure(row.dockerCompose)} | ${formatRatio(row.composelet, row.dockerCompose)} |`;
}

export function formatFigure(figure: Figure): string {
  switch (figure.kind) {
    case 'failed':
      return `failed: ${escape(figure.reason)}`;
    case 'text':
      return escape(figure.text);
    case 'measured': {
      const value = formatValue(figure.value, figure.unit);
      const count = figure.samples.length < 5 ? `, n=${figure.samples.length}` : '';
      const spread = figure.samples.length > 1 ? ` (${formatValue(figure.min, figure.unit, false)}–${formatValue(figure.max, figure.unit)}${count})` : '';
      return `${value}${spread}`;
    }
  }
}

export function formatRatio(composelet: Figure, legacy: Figure): string {
  if (composelet.kind !== 'measured' || legacy.kind !== 'measured' || composelet.unit !== legacy.unit || legacy.value <= 0) return '–';
  const ratio = composelet.value / legacy.value;
  const shown = ratio >= 10 ? ratio.toFixed(0) : ratio >= 0.1 ? ratio.toFixed(2) : ratio.toPrecision(2);
  return ratio < 0.5 && ratio > 0 ? `${shown}× (${(1 / ratio).toFixed(1)}× less)` : `${shown}×`;
}

function formatValue(value: number, unit: Unit, withUnit = true): string {
  const suffix = (text: string) => (withUnit ? ` ${text}` : '');
  switch (unit) {
    case 'ms':
      return value >= 1000 ? `${(value / 1000).toFixed(2)}${suffix('s')}` : `${value >= 100 ? value.toFixed(0) : value.toFixed(1)}${suffix('ms')}`;
    case 'calls':
      return `${Math.round(value)}`;
    case 'MiB':
      return `${value.toFixed(1)}${suffix('MiB')}`;
    case 'percent':
      return `${value.toFixed(2)}${suffix('%')}`;
  }
}

function renderScaling(points: ScalingPoint[]): string[] {
  const lines = [
    'Scaling: no-op cost against the number of services.',
    '',
    '| services | composelet reconcile (in-process) | per service | composelet `apply` | docker-compose `up -d` | per service | reconcile / `up -d` |',
    '|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const point of points) {
    lines.push(
      `| ${point.stack === `generated-${point.services}` ? point.services : `${point.services} (${point.stack})`} | ${formatFigure(point.composeletReconcileMs)} | ${perService(point.composeletReconcileMs, point.services)} | ` +
        `${formatFigure(point.composeletCliMs)} | ${formatFigure(point.dockerComposeNoopMs)} | ${perService(point.dockerComposeNoopMs, point.services)} | ` +
        `${formatRatio(point.composeletReconcileMs, point.dockerComposeNoopMs)} |`,
    );
  }
  const growth = (select: (point: ScalingPoint) => Figure, name: string): string | null => {
    const usable = points
      .map((point) => ({ size: point.services, figure: select(point) }))
      .filter((entry): entry is { size: number; figure: Extract<Figure, { kind: 'measured' }> } => entry.figure.kind === 'measured' && entry.figure.value > 0)
      .sort((left, right) => left.size - right.size);
    const first = usable[0];
    const last = usable.at(-1);
    if (!first || !last || first.size === last.size) return null;
    const exponent = growthExponent({ size: first.size, value: first.figure.value }, { size: last.size, value: last.figure.value });
    return `${name} grows as n^${exponent.toFixed(2)} from ${first.size} to ${last.size} services (1 is linear).`;
  };
  const summaries = [growth((point) => point.composeletReconcileMs, 'composelet reconcile'), growth((point) => point.dockerComposeNoopMs, 'docker-compose no-op `up -d`')];
  const present = summaries.filter((summary): summary is string => summary !== null);
  if (present.length > 0) lines.push('', ...present);
  return lines;
}

function perService(figure: Figure, services: number): string {
  return figure.kind === 'measured' ? `${(figure.value / services).toFixed(2)} ms` : '–';
}

function escape(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
