// A small Prometheus registry: counters, gauges and histograms with labels, rendered in the text exposition
// format (version 0.0.4). Reusable by every server (admission webhook, audit receiver, dashboard).

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type Labels = Readonly<Record<string, string>>;

/**
 * Label sets one metric keeps at most. Label values should come from closed sets; this is the backstop against a
 * caller that lets untrusted input through: later label sets are all counted under one series whose every label
 * is OVERFLOW_LABEL_VALUE, so memory and the size of /metrics stay bounded.
 */
const DEFAULT_MAX_SERIES = 1000;
const OVERFLOW_LABEL_VALUE = 'overflow';
/** Longer label values are cut (a label value is a name, not a payload). */
export const MAX_LABEL_VALUE_LENGTH = 128;

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeLabelValue(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

function escapeHelp(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
}

function formatNumber(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Number.isNaN(value)) return 'NaN';
  return String(value);
}

abstract class Metric {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  abstract readonly type: 'counter' | 'gauge' | 'histogram';
  maxSeries = DEFAULT_MAX_SERIES;

  constructor(name: string, help: string, labelNames: readonly string[]) {
    if (!NAME.test(name)) throw new Error(`invalid metric name "${name}"`);
    for (const label of labelNames)
      if (!LABEL.test(label) || label.startsWith('__')) throw new Error(`invalid label name "${label}"`);
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
  }

  /**
   * The keys of label sets seen before, by their values in labelNames order (one map level per label). A key is
   * built by joining strings: each new one would be hashed again in the series map, several times per admission
   * request, where the memo's lookups hash strings that already carry their hash. Bounded like the series.
   */
  #keyMemo = new Map<string, unknown>();
  #keyMemoEntries = 0;

  protected key(labels: Labels): string {
    for (const name in labels)
      if (!this.labelNames.includes(name)) throw new Error(`metric ${this.name} has no label "${name}"`);
    const names = this.labelNames;
    if (names.length === 0) return '';
    // A value longer than a label may be is cut in the key; the memo keeps only values of that size, so a caller
    // that lets long input through cannot make it hold large strings.
    for (let index = 0; index < names.length; index++)
      if ((labels[names[index] as string]?.length ?? 0) > MAX_LABEL_VALUE_LENGTH)
        return this.joinedKey(labels);
    if (this.#keyMemoEntries > 4 * this.maxSeries) {
      this.#keyMemo.clear();
      this.#keyMemoEntries = 0;
    }
    let level = this.#keyMemo;
    for (let index = 0; index < names.length - 1; index++) {
      const value = labels[names[index] as string] ?? '';
      let next = level.get(value) as Map<string, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(value, next);
        this.#keyMemoEntries++;
      }
      level = next;
    }
    const last = labels[names[names.length - 1] as string] ?? '';
    let key = level.get(last) as string | undefined;
    if (key === undefined) {
      key = this.joinedKey(labels);
      level.set(last, key);
      this.#keyMemoEntries++;
    }
    return key;
  }

  // No intermediate arrays.
  private joinedKey(labels: Labels): string {
    const names = this.labelNames;
    let key = '';
    for (let index = 0; index < names.length; index++) {
      if (index > 0) key += '\u0000';
      let value = labels[names[index] as string] ?? '';
      if (value.length > MAX_LABEL_VALUE_LENGTH) value = value.slice(0, MAX_LABEL_VALUE_LENGTH);
      // A NUL inside a value would shift the values after it when the key is split again.
      if (value.includes('\u0000')) value = value.replaceAll('\u0000', ' ');
      key += value;
    }
    return key;
  }

  /** The key to store under: `key` itself when known or when there is room, else the overflow series. */
  protected admit(key: string, series: ReadonlyMap<string, unknown>): string {
    if (series.has(key) || series.size < this.maxSeries) return key;
    return this.labelNames.map(() => OVERFLOW_LABEL_VALUE).join('\u0000');
  }

  protected labelText(key: string, extra?: string): string {
    const values = key === '' && this.labelNames.length === 0 ? [] : key.split('\u0000');
    const parts = this.labelNames.map((name, index) => `${name}="${escapeLabelValue(values[index] ?? '')}"`);
    if (extra !== undefined) parts.push(extra);
    return parts.length === 0 ? '' : `{${parts.join(',')}}`;
  }

  header(): string {
    return `# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} ${this.type}\n`;
  }

  abstract render(): string;
}

export class Counter extends Metric {
  readonly type = 'counter' as const;
  readonly #values = new Map<string, number>();

  inc(labels: Labels = {}, amount = 1): void {
    if (amount < 0 || !Number.isFinite(amount)) throw new Error(`counter ${this.name} can only increase`);
    const key = this.admit(this.key(labels), this.#values);
    this.#values.set(key, (this.#values.get(key) ?? 0) + amount);
  }

  get(labels: Labels = {}): number {
    return this.#values.get(this.key(labels)) ?? 0;
  }

  render(): string {
    let out = this.header();
    for (const [key, value] of this.#values)
      out += `${this.name}${this.labelText(key)} ${formatNumber(value)}\n`;
    return out;
  }
}

export class Gauge extends Metric {
  readonly type = 'gauge' as const;
  readonly #values = new Map<string, number>();
  readonly #collect: (() => number) | undefined;

  constructor(name: string, help: string, labelNames: readonly string[] = [], collect?: () => number) {
    super(name, help, labelNames);
    this.#collect = collect;
  }

  set(value: number, labels: Labels = {}): void {
    this.#values.set(this.admit(this.key(labels), this.#values), value);
  }

  get(labels: Labels = {}): number {
    return this.#values.get(this.key(labels)) ?? 0;
  }

  render(): string {
    if (this.#collect) this.#values.set('', this.#collect());
    let out = this.header();
    for (const [key, value] of this.#values)
      out += `${this.name}${this.labelText(key)} ${formatNumber(value)}\n`;
    return out;
  }
}

/** Buckets in seconds from 0.5 ms to 10 s: admission latencies live in the low milliseconds. */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

export class Histogram extends Metric {
  readonly type = 'histogram' as const;
  readonly buckets: readonly number[];
  readonly #series = new Map<string, { counts: number[]; sum: number; count: number }>();

  constructor(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]) {
    super(name, help, labelNames);
    if (labelNames.includes('le')) throw new Error('a histogram cannot have a label named le');
    this.buckets = [...buckets].sort((a, b) => a - b);
  }

  observe(value: number, labels: Labels = {}): void {
    const key = this.admit(this.key(labels), this.#series);
    let series = this.#series.get(key);
    if (!series) {
      series = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.#series.set(key, series);
    }
    for (let index = 0; index < this.buckets.length; index++)
      if (value <= (this.buckets[index] as number)) series.counts[index] = (series.counts[index] ?? 0) + 1;
    series.sum += value;
    series.count++;
  }

  render(): string {
    let out = this.header();
    for (const [key, series] of this.#series) {
      this.buckets.forEach((bound, index) => {
        out += `${this.name}_bucket${this.labelText(key, `le="${formatNumber(bound)}"`)} ${series.counts[index]}\n`;
      });
      out += `${this.name}_bucket${this.labelText(key, 'le="+Inf"')} ${series.count}\n`;
      out += `${this.name}_sum${this.labelText(key)} ${formatNumber(series.sum)}\n`;
      out += `${this.name}_count${this.labelText(key)} ${series.count}\n`;
    }
    return out;
  }
}

export class MetricsRegistry {
  readonly #metrics = new Map<string, Metric>();

  #add<T extends Metric>(metric: T): T {
    if (this.#metrics.has(metric.name)) throw new Error(`metric ${metric.name} is registered twice`);
    this.#metrics.set(metric.name, metric);
    return metric;
  }

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.#add(new Counter(name, help, labelNames));
  }

  gauge(name: string, help: string, labelNames: readonly string[] = [], collect?: () => number): Gauge {
    return this.#add(new Gauge(name, help, labelNames, collect));
  }

  histogram(
    name: string,
    help: string,
    labelNames: readonly string[] = [],
    buckets: readonly number[] = LATENCY_BUCKETS_SECONDS,
  ): Histogram {
    return this.#add(new Histogram(name, help, labelNames, buckets));
  }

  /** The whole registry in the Prometheus text format. */
  render(): string {
    let out = '';
    for (const metric of this.#metrics.values()) out += metric.render();
    return out;
  }
}
