// The page's Block Kit renderer (src/demo/page/block-kit.js), in Node: it is a plain ES module with no DOM.
// What Belay writes must come out as Slack draws it, and nothing in a message may become markup.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { block, messageBody, mrkdwn } from '../../src/demo/page/block-kit.js';

const PEOPLE = { U0DBA0001: 'Dana' };

describe('the playground page draws Block Kit', () => {
  it('escapes whatever a message carries: alert labels cannot inject markup', () => {
    const html = mrkdwn('pod <script>alert(1)</script> & "x" &lt;kept&gt;');
    assert.doesNotMatch(html, /<script>/);
    assert.match(html, /&lt;kept&gt;/, 'Slack’s own escapes stay escaped');
    assert.match(html, /&amp; &quot;x&quot;/);
    const label = block(
      { type: 'section', text: { type: 'plain_text', text: '<img src=x onerror=alert(1)>' } },
      '1.0',
    );
    assert.doesNotMatch(label, /<img/);
  });

  it('renders mrkdwn as Slack does: mentions by name, links, bold, code, quotes and emoji', () => {
    const html = mrkdwn(
      '*Blocked* by <@U0DBA0001>: `restart-pod` <https://x.test/a|the runbook>\n> quoted :raised_hand:',
      PEOPLE,
    );
    assert.match(html, /<b>Blocked<\/b> by <span class="mention">@Dana<\/span>: <code>restart-pod<\/code>/);
    assert.match(
      html,
      /<a href="https:\/\/x\.test\/a"[^>]*>the runbook<\/a><br><span class="quote">quoted ✋<\/span>/,
    );
    assert.match(mrkdwn(':not_an_emoji_we_know:'), /:not_an_emoji_we_know:/);
  });

  it('draws sections with fields, context, headers, dividers and images', () => {
    const html = messageBody({
      ts: '1.0',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'PodMemoryHigh' } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Window*' },
            { type: 'mrkdwn', text: 'none' },
          ],
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'open' }] },
        { type: 'divider' },
        {
          type: 'image',
          image_url: 'http://127.0.0.1/g.png',
          alt_text: 'memory',
          title: { type: 'plain_text', text: 'Memory' },
        },
        { type: 'video' },
      ],
    });
    assert.match(html, /bk-header">PodMemoryHigh/);
    assert.match(html, /bk-fields"><div class="bk-field"><b>Window<\/b><\/div><div class="bk-field">none/);
    assert.match(html, /bk-context"><span>open<\/span>/);
    assert.match(html, /<hr class="bk-divider">/);
    assert.match(
      html,
      /<figcaption>Memory<\/figcaption><img class="bk-image-img" src="http:\/\/127\.0\.0\.1\/g\.png" alt="memory">/,
    );
    assert.match(html, /a video block, which the playground does not draw/);
    assert.match(
      messageBody({ ts: '1.0', text: 'plain *text*' }),
      /plain <b>text<\/b>/,
      'text when there are no blocks',
    );
  });

  it('draws buttons with their style and confirm dialog, and never their value', () => {
    const confirm = {
      title: { type: 'plain_text', text: 'Approve in production?' },
      text: { type: 'plain_text', text: 'This will restart pod databases/postgres-0' },
      confirm: { type: 'plain_text', text: 'Approve and run' },
      deny: { type: 'plain_text', text: 'Cancel' },
    };
    const html = messageBody({
      ts: '17.000001',
      blocks: [
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'belay.approve',
              style: 'primary',
              value: 'p-1',
              text: { type: 'plain_text', text: 'Approve' },
              confirm,
            },
            {
              type: 'button',
              action_id: 'belay.reject',
              value: 'p-1',
              text: { type: 'plain_text', text: 'Reject' },
            },
          ],
        },
      ],
    });
    assert.match(
      html,
      /<button class="bk-button primary" data-ts="17\.000001" data-action="belay\.approve" data-confirm="[^"]*Approve in production\?[^"]*">Approve<\/button>/,
    );
    assert.match(html, /data-action="belay\.reject">Reject<\/button>/);
    assert.doesNotMatch(
      html,
      /p-1/,
      'the page sends the message and the action id; Slack adds the button’s value',
    );
  });
});
