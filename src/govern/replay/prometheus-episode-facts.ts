import { requestFromRule, rulesTriggeredBy } from '../../decide/index.ts';
import {
  alertSubject,
  classifyActionRequest,
  type Facts,
  factsSchema,
  type MetricSeries,
  type Policy,
} from '../../domain/index.ts';
import { type CalendarWindow, targetWindows } from '../../observe/calendar/index.ts';
import { podHistory } from '../../observe/history/index.ts';
import { backupHistory } from '../../observe/kubernetes/backup-history.ts';
import {
  type BackupDiscoverySettings,
  backupJobWindows,
  backupWindowsFrom,
} from '../../observe/kubernetes/backup-windows.ts';
import { metricFacts, type PrometheusClient } from '../../observe/prometheus/index.ts';
import type { EpisodeFacts, ReplayEpisode } from './replay-types.ts';

export interface PrometheusEpisodeFactsDeps {
  readonly client: PrometheusClient;
  readonly policy: Policy;
  /** The cluster this Prometheus watches. */
  readonly cluster: string;
  /** The policy file's windows, placed on each target at the episode's instant. */
  readonly windows: readonly CalendarWindow[];
  /** How far back restarts are looked for: restartHorizonMs(policy). */
  readonly restartHorizonMs: number;
  /** kubernetes.backups: how backup CronJobs and their Jobs become windows, and where else they live. */
  readonly backups: BackupDiscoverySettings & { readonly namespaces: readonly string[] };
}

/** What a replay never has of the past, said once per episode so no reader takes a verdict for more than it is. */
const NOT_REPLAYED =
  'Alertmanager silences, PagerDuty maintenance and freeze or pause of that time are not replayed';

/**
 * The facts the bot would have gathered about an episode's target at its start, rebuilt from Prometheus:
 * the pod's owner, restarts, limits and labels from kube-state-metrics, the rules' metric conditions from
 * the same metricFacts the bot uses (judged at that instant), the Jobs then running, and the policy
 * file's windows. What history does not hold is listed in `gaps`.
 */
export function prometheusEpisodeFacts(
  deps: PrometheusEpisodeFactsDeps,
): (episode: ReplayEpisode) => Promise<EpisodeFacts> {
  return async (episode) => {
    const at = new Date(episode.startMs);
    const subject = alertSubject(episode.alert);
    const namespace = subject.namespace ?? 'default';
    // An alert that names its cluster is about that cluster: a Prometheus of another one has no samples of it.
    const cluster = subject.cluster ?? deps.cluster;
    const gaps: string[] = [];
    const context: string[] = [];
    let base: Facts = factsSchema.parse({ cluster, namespace });
    if (subject.pod) {
      const history = await podHistory(
        deps.client,
        { namespace, pod: subject.pod },
        episode.startMs,
        deps.restartHorizonMs,
      );
      gaps.push(...history.gaps);
      for (const job of history.runningJobs)
        context.push(
          job.cronJob ? `CronJob ${job.cronJob} was running (Job ${job.job})` : `Job ${job.job} was running`,
        );
      base = factsSchema.parse({ ...history.facts, cluster, namespace });
    } else {
      gaps.push('the alert names no pod: pod facts (owner, restarts, labels) not rebuilt');
      const w = subject.workload;
      if (w && ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'].includes(w.kind))
        base = factsSchema.parse({ cluster, namespace, owner: w });
    }
    const metrics = await ruleMetrics(deps, episode, base, at);
    for (const series of metrics) if (series.problem) gaps.push(`${series.name}: ${series.problem}`);
    const facts: Facts = { ...base, metrics };
    // Backup CronJobs that opted in, and their Jobs, as history holds them: windows the way the bot finds them.
    const backups = await backupHistory(
      deps.client,
      [...new Set([namespace, ...deps.backups.namespaces])],
      episode.startMs,
    );
    gaps.push(...backups.gaps);
    const discovered = [
      ...backupWindowsFrom(backups.cronJobs, backups.jobs, deps.backups),
      ...backupJobWindows(backups.cronJobs, backups.jobs, deps.backups, at),
    ];
    const windows = targetWindows([...deps.windows, ...discovered], facts, at);
    gaps.push(NOT_REPLAYED);
    return { facts: { ...facts, windows }, gaps, context };
  };
}

/** The samples every rule the alert triggers is judged on, read for the action each would propose. */
async function ruleMetrics(
  deps: PrometheusEpisodeFactsDeps,
  episode: ReplayEpisode,
  facts: Facts,
  at: Date,
): Promise<MetricSeries[]> {
  const byName = new Map<string, MetricSeries>();
  for (const rule of rulesTriggeredBy(deps.policy.rules, episode.alert)) {
    if (!rule.when.metric || byName.has(rule.when.metric.name)) continue;
    const built = requestFromRule(rule, episode.alert, facts);
    if ('problem' in built) continue;
    const classified = classifyActionRequest(built.request);
    if (classified.type !== 'action') continue;
    const [series] = await metricFacts(deps.client, [rule], classified.action, at, { cluster: deps.cluster });
    if (series) byName.set(series.name, series);
  }
  return [...byName.values()];
}
