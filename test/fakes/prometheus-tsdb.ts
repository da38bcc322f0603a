// A real Prometheus (Debian's `prometheus`) serving history built with promtool from OpenMetrics text, on a
// free 127.0.0.1 port. Building the blocks takes seconds, so they are built once per history key and each
// start serves a fresh copy (Prometheus compacts and writes into its data directory).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.ts';
import { type HistorySeries, type SamplingSpan, writeOpenMetrics } from './openmetrics-history.ts';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
export const PROMTOOL_BIN = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';

const run = promisify(execFile);

export interface RunningPrometheus {
  readonly url: string;
  stop(): Promise<void>;
}

export interface HistoryOptions {
  /** Names the history for the block cache; the same key must always mean the same series and span. */
  readonly key: string;
  readonly series: readonly HistorySeries[];
  readonly span: SamplingSpan;
}

/** Builds (or reuses) TSDB blocks for the history and starts Prometheus on a copy of them. */
export async function startPrometheusWithHistory(history: HistoryOptions): Promise<RunningPrometheus> {
  const blocks = await buildBlocks(history);
  const dir = await mkdtemp(join(tmpdir(), 'belay-prom-'));
  const data = join(dir, 'data');
  await cp(blocks, data, { recursive: true });
  const config = join(dir, 'prometheus.yml');
  // No scrape jobs: the history is all there is, so nothing new lands while a test runs.
  await writeFile(config, 'global:\n  evaluation_interval: 1h\nscrape_configs: []\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${data}`,
      // Generous retention: the history is a fixed span that may lie weeks before the test runs.
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + String(chunk)).slice(-4000);
  });
  try {
    await waitReady(url, child, () => stderr);
  } catch (error) {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    async stop() {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function buildBlocks(history: HistoryOptions): Promise<string> {
  const blocks = join(tmpdir(), `belay-history-${history.key}`);
  if (await exists(blocks)) return blocks;
  // Built aside and renamed into place, so test files starting together never see half a TSDB.
  const work = await mkdtemp(join(tmpdir(), `belay-history-${history.key}-build-`));
  try {
    const input = join(work, 'history.om.txt');
    const output = join(work, 'blocks');
    await mkdir(output);
    await writeOpenMetrics(input, history.series, history.span);
    // Day-long blocks keep the block count (and Prometheus's start-up) small for weeks of history.
    await run(
      PROMTOOL_BIN,
      ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=24h', input, output],
      {
        maxBuffer: 1 << 24,
      },
    );
    await rename(output, blocks).catch(async (error: NodeJS.ErrnoException) => {
      if (!(await exists(blocks))) throw error;
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return blocks;
}

async function waitReady(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${stderr()}`);
    try {
      const response = await fetch(`${url}/-/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`prometheus was not ready within 30 s: ${stderr()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
