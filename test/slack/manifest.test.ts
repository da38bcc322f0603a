import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { z } from 'zod';
import { EVENT_SCOPES, requiredBotScopes } from '../../src/slack/slack-api.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

// The manifest's documented structure and limits (protocols.md §4.8).
const manifestSchema = z
  .object({
    _metadata: z.object({ major_version: z.literal(1), minor_version: z.number().int() }).strict(),
    display_information: z
      .object({
        name: z.string().min(1).max(35),
        description: z.string().max(140),
        background_color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
        long_description: z.string().min(174).max(4000).optional(),
      })
      .strict(),
    features: z
      .object({
        bot_user: z.object({ display_name: z.string().min(1).max(80), always_online: z.boolean() }).strict(),
        slash_commands: z
          .array(
            z
              .object({
                command: z
                  .string()
                  .regex(/^\/[a-z0-9_-]+$/)
                  .max(32),
                description: z.string().min(1),
                usage_hint: z.string().optional(),
                should_escape: z.boolean(),
                url: z.url().optional(),
              })
              .strict(),
          )
          .max(50),
      })
      .strict(),
    oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()).max(255) }).strict() }).strict(),
    settings: z
      .object({
        event_subscriptions: z
          .object({ request_url: z.url().optional(), bot_events: z.array(z.string()).max(100) })
          .strict(),
        interactivity: z.object({ is_enabled: z.boolean(), request_url: z.url().optional() }).strict(),
        org_deploy_enabled: z.boolean(),
        socket_mode_enabled: z.boolean(),
        token_rotation_enabled: z.boolean(),
      })
      .strict(),
  })
  .strict();

const manifest = manifestSchema.parse(parse(readFileSync(resolve(ROOT, 'manifest.yml'), 'utf8')));

describe('manifest.yml', () => {
  it('follows the documented structure, with Socket Mode and interactivity on', () => {
    assert.equal(manifest.settings.socket_mode_enabled, true);
    assert.equal(manifest.settings.interactivity.is_enabled, true);
    assert.deepEqual(
      manifest.features.slash_commands.map((c) => c.command),
      ['/remediate'],
    );
    // With Socket Mode on, Slack ignores request URLs; leaving them out keeps a placeholder from leaking in.
    assert.equal(manifest.settings.event_subscriptions.request_url, undefined);
    assert.equal(manifest.features.slash_commands[0]?.url, undefined);
  });

  it('asks for exactly the scopes the code uses: no more, no fewer', () => {
    assert.deepEqual([...manifest.oauth_config.scopes.bot].sort(), requiredBotScopes());
  });

  it('subscribes to exactly the events the listeners handle', () => {
    assert.deepEqual(
      [...manifest.settings.event_subscriptions.bot_events].sort(),
      Object.keys(EVENT_SCOPES).sort(),
    );
  });

  it('the listeners register exactly what the manifest promises', () => {
    const registrar = readFileSync(resolve(ROOT, 'src/slack/listeners/index.ts'), 'utf8');
    assert.match(registrar, /app\.command\('\/remediate'/);
    assert.match(registrar, /app\.event\('app_mention'/);
    assert.match(registrar, /app\.message\(/);
  });

  it('every Web API call in src/slack goes through callSlack, so the scope table is complete', () => {
    const files = readdirSync(resolve(ROOT, 'src/slack'), { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && f !== 'slack-api.ts',
    );
    assert.ok(files.length > 10);
    for (const file of files) {
      const text = readFileSync(resolve(ROOT, 'src/slack', file), 'utf8');
      assert.doesNotMatch(
        text,
        /client\.(chat|usergroups|users|conversations|reactions|files|views)\./,
        file,
      );
      assert.doesNotMatch(text, /\.apiCall\(/, file);
      // Uploads run files.getUploadURLExternal and files.completeUploadExternal: only slack-api.ts starts one.
      assert.doesNotMatch(text, /\.filesUploadV2\(/, file);
    }
  });
});
