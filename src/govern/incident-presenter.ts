import type { GraphFile, Incident, Proposal, Verdict } from '../domain/index.ts';
import { redact } from '../domain/index.ts';
import { createRecentMap } from './recent-map.ts';
import type { IncidentView, Notifier } from './service.ts';
import type { AuditLog, StateStore } from './store/index.ts';

/** What the investigation found, kept with the incident so every re-render of its message shows it. */
export interface Orientation {
  /** Whose words the summary and suspected cause are; absent in orientations saved before it was kept. */
  readonly author?: OrientationAuthor;
  readonly summary: string;
  /** The model's or the rules' claim of a cause: shown as theirs, never as Belay's finding. */
  readonly suspectedCause?: string;
  readonly evidence: readonly string[];
  readonly untrustedQuotes: readonly string[];
  readonly needsHuman?: string;
  /** The model's words on what a human should do outside the catalog, beside its proposal. */
  readonly humanAction?: string;
  readonly spend?: IncidentView['spend'];
}

export interface IncidentPresenter {
  /** Show the incident as investigated, with or without a proposal. */
  show(incident: Incident, orientation: Orientation, proposal?: Proposal, verdict?: Verdict): Promise<void>;
  /** Re-render an incident's message after its proposal moved; `line` also goes to the thread. */
  proposalChanged(proposal: Proposal, verdict?: Verdict, line?: string): Promise<void>;
  line(incidentId: string, text: string): Promise<void>;
  announce(text: string): Promise<void>;
  /** The incident's metric graph, into its thread (when the notifier shows graphs). */
  graph?(incidentId: string, file: GraphFile): Promise<void>;
  /** What the investigation found for an incident (kept across restarts in the audit trail). */
  orientationOf(incidentId: string): Promise<Orientation>;
}

export type OrientationAuthor =
  | { readonly type: 'model'; readonly model: string }
  | { readonly type: 'rules'; readonly rule: string };

/**
 * Turns what govern knows into the notifier's views. Telling people must never undo or hide what was
 * done: a notifier failure is written to the audit log (and so to the weekly review), not thrown back.
 */
/** Incidents whose findings the presenter keeps in memory (far more than open at once, even in a storm). */
export const ORIENTATIONS_KEPT = 1_000;

export function createIncidentPresenter(deps: {
  store: StateStore;
  audit: AuditLog;
  notifier: Notifier;
}): IncidentPresenter {
  const { store, audit, notifier } = deps;
  // The latest incidents' findings at hand; an older one is read back from the audit trail (as after a
  // restart), so months of incidents are not all kept in memory.
  const orientations = createRecentMap<string, Orientation>(ORIENTATIONS_KEPT);

  async function orientationOf(incidentId: string): Promise<Orientation> {
    const known = orientations.get(incidentId);
    if (known) return known;
    // After a restart the audit trail still has what the investigation found.
    const [last] = (await audit.read({ incidentId, types: ['model.reasoning'] }))
      .filter((e) => e.data.orientation)
      .slice(-1);
    const saved = last?.data.orientation as Orientation | undefined;
    if (saved) orientations.set(incidentId, saved);
    return saved ?? { summary: '', evidence: [], untrustedQuotes: [] };
  }

  async function safely(what: string, incidentId: string | undefined, send: () => Promise<void>) {
    try {
      await send();
    } catch (error) {
      await audit.append({
        ...(incidentId ? { incidentId } : {}),
        type: 'error',
        actor: { type: 'system', id: 'notifier' },
        summary: `Could not ${what} in Slack: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }

  return {
    orientationOf,
    async show(incident, found, proposal, verdict) {
      const orientation = redacted(found);
      orientations.set(incident.id, orientation);
      const view: IncidentView = {
        incident,
        ...orientation,
        ...(proposal ? { proposal, action: proposal.action } : {}),
        ...((verdict ?? proposal?.verdict) ? { verdict: verdict ?? proposal?.verdict } : {}),
      };
      await safely('post the incident message', incident.id, () => notifier.incidentUpdated(view));
    },
    async proposalChanged(proposal, verdict, line) {
      const incident = store.getIncident(proposal.incidentId);
      if (!incident) return;
      const orientation = redacted(await orientationOf(incident.id));
      const view: IncidentView = {
        incident,
        ...orientation,
        proposal,
        action: proposal.action,
        verdict: verdict ?? proposal.verdict,
      };
      await safely('update the incident message', incident.id, () => notifier.incidentUpdated(view));
      if (line)
        await safely('post in the incident thread', incident.id, () => notifier.threadLine(incident, line));
    },
    async line(incidentId, text) {
      const incident = store.getIncident(incidentId);
      if (incident)
        await safely('post in the incident thread', incidentId, () => notifier.threadLine(incident, text));
    },
    async announce(text) {
      await safely('announce', undefined, () => notifier.announce(text));
    },
    async graph(incidentId, file) {
      const incident = store.getIncident(incidentId);
      const send = notifier.graph?.bind(notifier);
      if (!incident || !send) return;
      let failed: string | undefined;
      await safely('post the graph in the incident thread', incidentId, async () => {
        try {
          await send(incident, file);
        } catch (error) {
          failed = error instanceof Error ? error.message : String(error);
          throw error;
        }
      });
      if (failed)
        await safely('post in the incident thread', incidentId, () =>
          notifier.threadLine(
            incident,
            `No graph for this incident: Slack did not take the picture (${failed}). If it says missing_scope, add files:write to the app (manifest.yml) and reinstall it.`,
          ),
        );
    },
  };
}

/** What reaches Slack is redacted here too, whatever the investigation already did (invariant 6). */
function redacted(o: Orientation): Orientation {
  return {
    ...o,
    summary: redact(o.summary),
    ...(o.suspectedCause ? { suspectedCause: redact(o.suspectedCause) } : {}),
    evidence: o.evidence.map(redact),
    untrustedQuotes: o.untrustedQuotes.map(redact),
    ...(o.needsHuman ? { needsHuman: redact(o.needsHuman) } : {}),
    ...(o.humanAction ? { humanAction: redact(o.humanAction) } : {}),
  };
}
