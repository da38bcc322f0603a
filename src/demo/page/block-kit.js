// Block Kit to HTML, as Slack draws a message: sections with fields and accessories, context lines,
// headers, dividers, images and buttons (whose confirm dialogs the page opens before sending the click).
// Text is escaped here and nowhere else; Slack's own escapes (&amp; &lt; &gt;) are already HTML's.

/** Escapes text for HTML: what Slack escaped stays as it is; anything else that HTML would read is escaped. */
export function escapeHtml(text) {
  return String(text)
    .replace(/&(?!(?:amp|lt|gt|quot|#39);)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Slack's mrkdwn: <links|labels>, <@mentions>, *bold*, _italic_, ~strike~, `code`, ```blocks```, > quotes. */
export function mrkdwn(text, people = {}) {
  const parts = String(text ?? '').split(/(<[^<>\n]+>)/);
  const html = parts
    .map((part, i) => {
      if (i % 2 === 0) return inline(escapeHtml(part));
      const inner = part.slice(1, -1);
      const [target, label] = inner.split('|', 2);
      if (target.startsWith('@'))
        return `<span class="mention">@${escapeHtml(people[target.slice(1)] ?? target.slice(1))}</span>`;
      if (target.startsWith('!'))
        return `<span class="mention">@${escapeHtml(target.slice(1).replace(/^subteam\^/, ''))}</span>`;
      if (target.startsWith('#'))
        return `<span class="mention">#${escapeHtml(label ?? target.slice(1))}</span>`;
      return `<a href="${escapeHtml(target)}" target="_blank" rel="noreferrer">${escapeHtml(label ?? target)}</a>`;
    })
    .join('');
  return html
    .split('\n')
    .map((line) => (line.startsWith('&gt; ') ? `<span class="quote">${line.slice(5)}</span>` : line))
    .join('<br>');
}

/** The emoji Belay writes, by their Slack names; any other name stays as it is written. */
const EMOJI = {
  bulb: '💡',
  closed_lock_with_key: '🔐',
  gear: '⚙️',
  large_green_circle: '🟢',
  leftwards_arrow_with_hook: '↩️',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  raised_hand: '✋',
  raising_hand: '🙋',
  red_circle: '🔴',
  robot_face: '🤖',
  rotating_light: '🚨',
  straight_ruler: '📏',
  thinking_face: '🤔',
  warning: '⚠️',
  white_check_mark: '✅',
  x: '❌',
  hourglass_flowing_sand: '⏳',
  lock: '🔒',
  mag: '🔍',
  memo: '📝',
  fire: '🔥',
  eyes: '👀',
};

function inline(text) {
  return text
    .replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] ?? whole)
    .replace(/```([\s\S]+?)```/g, (_, code) => `<pre>${code}</pre>`)
    .replace(/`([^`\n]+)`/g, '<code>$1</code>')
    .replace(/(^|[\s(>])\*([^*\n]+)\*(?=$|[\s.,;:!?)<])/g, '$1<b>$2</b>')
    .replace(/(^|[\s(>])_([^_\n]+)_(?=$|[\s.,;:!?)<])/g, '$1<i>$2</i>')
    .replace(/(^|[\s(>])~([^~\n]+)~(?=$|[\s.,;:!?)<])/g, '$1<s>$2</s>');
}

/** A text object: mrkdwn or plain_text. */
export function textObject(object, people) {
  if (!object) return '';
  return object.type === 'mrkdwn' ? mrkdwn(object.text, people) : escapeHtml(object.text ?? '');
}

/**
 * A button's HTML. Its confirm dialog (if any) travels with it as JSON, so the page can show it and send
 * the click only after "confirm", as Slack does.
 */
export function button(element, messageTs) {
  const style = element.style === 'primary' ? 'primary' : element.style === 'danger' ? 'danger' : '';
  const confirm = element.confirm ? ` data-confirm="${escapeHtml(JSON.stringify(element.confirm))}"` : '';
  return `<button class="bk-button ${style}" data-ts="${escapeHtml(messageTs)}" data-action="${escapeHtml(element.action_id ?? '')}"${confirm}>${escapeHtml(element.text?.text ?? 'Button')}</button>`;
}

/** An image's address: a public URL, or a file uploaded to this Slack (`slack_file` by id or URL). */
function imageSource(element) {
  if (element.image_url) return element.image_url;
  if (element.slack_file?.url) return element.slack_file.url;
  return element.slack_file?.id ? `/files/${element.slack_file.id}` : '';
}

function image(element, cls) {
  return `<img class="${cls}" src="${escapeHtml(imageSource(element))}" alt="${escapeHtml(element.alt_text ?? '')}">`;
}

/** Files shared with a message: images inline, as Slack previews them; anything else as a link. */
function files(message) {
  return (message.files ?? [])
    .map((f) =>
      String(f.mimetype).startsWith('image/')
        ? `<figure class="bk-image"><figcaption>${escapeHtml(f.title)}</figcaption><img class="bk-image-img" src="${escapeHtml(f.url_private)}" alt="${escapeHtml(f.title)}"></figure>`
        : `<a class="bk-file" href="${escapeHtml(f.url_private)}">${escapeHtml(f.title)}</a>`,
    )
    .join('');
}

function accessory(element, messageTs) {
  if (!element) return '';
  if (element.type === 'button') return `<div class="bk-accessory">${button(element, messageTs)}</div>`;
  if (element.type === 'image') return `<div class="bk-accessory">${image(element, 'bk-thumb')}</div>`;
  return '';
}

/** One block as HTML; a kind the page does not draw says so instead of vanishing. */
export function block(b, messageTs, people) {
  switch (b.type) {
    case 'header':
      return `<div class="bk-header">${escapeHtml(b.text?.text ?? '')}</div>`;
    case 'section': {
      const fields = (b.fields ?? [])
        .map((f) => `<div class="bk-field">${textObject(f, people)}</div>`)
        .join('');
      return `<div class="bk-section"><div class="bk-section-body">${b.text ? `<div class="bk-text">${textObject(b.text, people)}</div>` : ''}${fields ? `<div class="bk-fields">${fields}</div>` : ''}</div>${accessory(b.accessory, messageTs)}</div>`;
    }
    case 'context':
      return `<div class="bk-context">${(b.elements ?? [])
        .map((e) =>
          e.type === 'image' ? image(e, 'bk-context-image') : `<span>${textObject(e, people)}</span>`,
        )
        .join('')}</div>`;
    case 'divider':
      return '<hr class="bk-divider">';
    case 'image':
      return `<figure class="bk-image">${b.title ? `<figcaption>${escapeHtml(b.title.text)}</figcaption>` : ''}${image(b, 'bk-image-img')}</figure>`;
    case 'actions':
      return `<div class="bk-actions">${(b.elements ?? [])
        .map((e) =>
          e.type === 'button'
            ? button(e, messageTs)
            : `<span class="bk-unsupported">[${escapeHtml(e.type)}]</span>`,
        )
        .join('')}</div>`;
    case 'rich_text':
      return `<div class="bk-text">${escapeHtml(b.elements?.map((e) => e.elements?.map((x) => x.text ?? '').join('')).join('\n') ?? '')}</div>`;
    default:
      return `<div class="bk-unsupported">[a ${escapeHtml(b.type)} block, which the playground does not draw]</div>`;
  }
}

/** A message's body: its blocks, or its text when it has none (as Slack falls back). */
export function messageBody(message, people) {
  if (Array.isArray(message.blocks) && message.blocks.length > 0)
    return message.blocks.map((b) => block(b, message.ts, people)).join('') + files(message);
  const text = message.text ? `<div class="bk-text">${mrkdwn(message.text, people)}</div>` : '';
  return text + files(message);
}
