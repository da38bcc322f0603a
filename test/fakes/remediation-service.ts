import type { AuditEvent, Verdict } from '../../src/domain/index.ts';
import type {
  ManualRequest,
  RemediationService,
  StatusReport,
  SwitchChange,
  TargetRef,
  UseCaseResult,
  WindowsReport,
} from '../../src/govern/service.ts';

export type ServiceCall =
  | { method: 'approve' | 'reject' | 'revert'; proposalId: string; user: string }
  | { method: 'propose' | 'explain'; request: ManualRequest }
  | { method: 'setFreeze' | 'setPause'; change: SwitchChange }
  | { method: 'status' }
  | { method: 'windows'; target?: TargetRef }
  | { method: 'audit'; query: { incidentId?: string; last?: number } };

/**
 * An in-memory RemediationService that records every call and answers with scripted results, so the Slack
 * edge is tested against the port alone. Answers may be values or functions (to fail, or to wait).
 */
export class ScriptedRemediationService implements RemediationService {
  readonly calls: ServiceCall[] = [];
  clickResult: (call: { proposalId: string; user: string }) => Promise<UseCaseResult> = async () => ({
    ok: true,
    message: 'done',
  });
  proposeResult: UseCaseResult = { ok: true, message: 'Proposed.' };
  explainResult: UseCaseResult & { verdict?: Verdict } = { ok: true, message: 'explained' };
  switchResult: UseCaseResult = { ok: true, message: 'Switched.' };
  statusReport: StatusReport = {
    openIncidents: [],
    pendingProposals: [],
    freeze: { active: false },
    pause: { active: false },
    nextWindows: [],
  };
  windowsReport: WindowsReport = { open: [], next: [] };
  auditEvents: AuditEvent[] = [];

  approve(proposalId: string, user: string) {
    this.calls.push({ method: 'approve', proposalId, user });
    return this.clickResult({ proposalId, user });
  }
  reject(proposalId: string, user: string) {
    this.calls.push({ method: 'reject', proposalId, user });
    return this.clickResult({ proposalId, user });
  }
  revert(proposalId: string, user: string) {
    this.calls.push({ method: 'revert', proposalId, user });
    return this.clickResult({ proposalId, user });
  }
  async propose(request: ManualRequest) {
    this.calls.push({ method: 'propose', request });
    return this.proposeResult;
  }
  async explain(request: ManualRequest) {
    this.calls.push({ method: 'explain', request });
    return this.explainResult;
  }
  async setFreeze(change: SwitchChange) {
    this.calls.push({ method: 'setFreeze', change });
    return this.switchResult;
  }
  async setPause(change: SwitchChange) {
    this.calls.push({ method: 'setPause', change });
    return this.switchResult;
  }
  async status() {
    this.calls.push({ method: 'status' });
    return this.statusReport;
  }
  async windows(target?: TargetRef) {
    this.calls.push({ method: 'windows', ...(target ? { target } : {}) });
    return this.windowsReport;
  }
  async audit(query: { incidentId?: string; last?: number }) {
    this.calls.push({ method: 'audit', query });
    return this.auditEvents;
  }
}
