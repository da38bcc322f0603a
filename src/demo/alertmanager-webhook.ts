/** One alert as the panel (and the end-to-end tests) fire it. */
export interface FiredAlert {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly startsAt: Date;
  readonly fingerprint: string;
  readonly status?: 'firing' | 'resolved';
  readonly summary?: string;
}

/** The body of Alertmanager's webhook (version 4) for one group of alerts sharing `name`, as it POSTs it. */
export function alertmanagerWebhookBody(
  name: string,
  alerts: readonly FiredAlert[],
): Record<string, unknown> {
  const all = alerts.map((alert) => {
    const labels: Record<string, string> = { alertname: alert.name, ...alert.labels };
    return {
      status: alert.status ?? 'firing',
      labels,
      annotations: {
        summary: alert.summary ?? `${alert.name} on ${labels.pod ?? labels.deployment ?? labels.namespace}`,
      },
      startsAt: alert.startsAt.toISOString(),
      endsAt: new Date(alert.startsAt.getTime() + 3_600_000).toISOString(),
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: alert.fingerprint,
    };
  });
  // Alertmanager's common labels: those every alert of the group carries with the same value.
  const common = Object.fromEntries(
    Object.entries(all[0]?.labels ?? {}).filter(([k, v]) => all.every((a) => a.labels[k] === v)),
  );
  return {
    version: '4',
    groupKey: `{}:{alertname="${name}"}`,
    truncatedAlerts: 0,
    status: all.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: 'belay',
    groupLabels: { alertname: name },
    commonLabels: common,
    commonAnnotations: all.length === 1 ? all[0]?.annotations : {},
    externalURL: 'http://alertmanager:9093',
    alerts: all,
  };
}

/** POSTs one webhook to Belay's intake with the receiver's bearer token, as Alertmanager's http_config does. */
export function postToAlertmanagerReceiver(
  intakeUrl: string,
  token: string,
  body: Record<string, unknown>,
): Promise<Response> {
  return fetch(`${intakeUrl}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
}
