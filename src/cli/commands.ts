import { AUDIT_USAGE, runAudit } from './audit.ts';
import { CHECK_CONFIG_USAGE, runCheckConfig } from './check-config.ts';
import type { CliCommand } from './cli-io.ts';
import { EXPLAIN_USAGE } from './explain-usage.ts';
import { MCP_USAGE } from './mcp-usage.ts';
import { REPLAY_USAGE } from './replay-usage.ts';
import { runSimulate, SIMULATE_USAGE } from './simulate.ts';
import { WINDOWS_USAGE } from './windows-usage.ts';

/** Every subcommand of `belay`. Adding one is one line here. */
export const COMMANDS: Readonly<Record<string, CliCommand>> = {
  'check-config': {
    usage: CHECK_CONFIG_USAGE,
    summary: 'check a policy file and report every problem in it',
    run: runCheckConfig,
  },
  simulate: {
    usage: SIMULATE_USAGE,
    summary: 'replay alerts through the policy: the verdicts Belay would give, with every reason',
    run: runSimulate,
  },
  explain: {
    usage: EXPLAIN_USAGE,
    summary:
      'the verdict the policy would give an action now, on live facts from the cluster; changes nothing',
    // Loaded when run: only explain needs the cluster, Prometheus and calendar clients.
    run: async (args, io) => (await import('./explain.ts')).runExplain(args, io),
  },
  replay: {
    usage: REPLAY_USAGE,
    summary:
      'what the policy would have done with the alerts of a past period, on facts rebuilt from Prometheus; changes nothing',
    run: async (args, io) => (await import('./replay.ts')).runReplayCommand(args, io),
  },
  audit: {
    usage: AUDIT_USAGE,
    summary: 'verify the audit log: report the first record edited, removed or reordered',
    run: runAudit,
  },
  mcp: {
    usage: MCP_USAGE,
    summary:
      "Belay's read tools and explain_action for an agent, over MCP (stdio or --http); changes nothing",
    run: async (args, io) => (await import('./mcp.ts')).runMcp(args, io),
  },
  windows: {
    usage: WINDOWS_USAGE,
    summary:
      'find recurring patterns in Prometheus history and suggest windows to name them; changes nothing',
    run: async (args, io) => (await import('./windows-suggest.ts')).runWindows(args, io),
  },
  help: { usage: 'belay help', summary: 'show this help', run: async (_args, io) => printHelp(io.stdout, 0) },
};

/** Writes the command list; returns the exit code to pass on, so a wrong command line can show it too. */
export function printHelp(write: (line: string) => void, exitCode: number): number {
  write('belay: governed Kubernetes remediation from Slack');
  write('');
  write('usage:');
  const width = Math.max(...Object.values(COMMANDS).map((c) => c.usage.length));
  for (const command of Object.values(COMMANDS))
    write(`  ${command.usage.padEnd(width)}  ${command.summary}`);
  return exitCode;
}
