import type { ServerResponse } from 'node:http';
import { type CapturedRequest, type CaptureServer, startCaptureServer } from './capture-server.ts';

export interface FakeMaintenanceWindow {
  id: string;
  summary: string;
  start_time: string;
  end_time: string;
  services: { id: string }[];
}

/**
 * PagerDuty's REST API as far as Belay reads it: GET /maintenance_windows and /incidents/{id} with a token. `mode` lets a test
 * make it fail ('error' → 500) or hang past any timeout ('hang').
 */
export async function startPagerDutyApi(options: {
  token: string;
  windows: FakeMaintenanceWindow[];
  incidents?: Record<string, object>;
}) {
  const state = { mode: 'ok' as 'ok' | 'error' | 'hang' };
  const hanging: ServerResponse[] = [];
  const server: CaptureServer = await startCaptureServer((request: CapturedRequest, res) => {
    if (state.mode === 'hang') {
      hanging.push(res);
      return;
    }
    if (state.mode === 'error') {
      res.writeHead(500).end();
      return;
    }
    if (request.headers.authorization !== `Token token=${options.token}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"Unauthorized"}}');
      return;
    }
    const url = new URL(request.url, 'http://x');
    const incidentId = /^\/incidents\/([^/]+)$/.exec(url.pathname)?.[1];
    if (incidentId !== undefined) {
      const incident = options.incidents?.[incidentId];
      res.writeHead(incident ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(incident ? { incident } : { error: { message: 'Not Found', code: 2100 } }));
      return;
    }
    const services = url.searchParams.getAll('service_ids[]');
    const windows = options.windows.filter(
      (w) => services.length === 0 || w.services.some((s) => services.includes(s.id)),
    );
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ maintenance_windows: windows, limit: 25, offset: 0, more: false, total: null }));
  });
  return {
    url: server.url,
    requests: server.requests,
    state,
    async close() {
      for (const res of hanging) res.destroy();
      await server.close();
    },
  };
}
