// The playground's page: polls the channel and the cluster, draws them, and sends what the person does
// (clicks, /remediate, alerts, clock moves) to the playground, which passes it on to Belay as Slack would.
import { escapeHtml, messageBody } from './block-kit.js';

const $ = (id) => document.getElementById(id);
const view = {
  state: undefined,
  drawn: -1,
  html: '',
  threadHtml: '',
  thread: undefined,
  user: localStorage.getItem('belay.user'),
};

async function call(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({ ok: false, error: `HTTP ${response.status}` }));
  if (!answer.ok) notice(answer.error ?? `the playground answered HTTP ${response.status}`);
  else notice('');
  await refresh(true);
  return answer;
}

function notice(text) {
  $('notice').hidden = !text;
  $('notice').textContent = text;
}

function time(ts) {
  return new Date(Number(ts.split('.')[0]) * 1000).toISOString().slice(11, 16);
}

function messageHtml(m, state, replies) {
  const bot = m.user === state.bot;
  const name = bot ? 'Belay' : (state.people[m.user] ?? m.user).split(' (')[0];
  const ephemeral = m.ephemeralTo ? ' ephemeral' : '';
  const thread =
    replies > 0
      ? `<button class="replies" data-thread="${escapeHtml(m.ts)}">${replies} ${replies === 1 ? 'reply' : 'replies'}</button>`
      : '';
  return `<div class="message${ephemeral}" data-ts="${escapeHtml(m.ts)}">
    <div class="avatar${bot ? '' : ' person'}">${escapeHtml(name[0] ?? '?')}</div>
    <div class="body">
      <div class="meta"><b>${escapeHtml(name)}</b>${bot ? '<span class="app">APP</span>' : ''}<time>${time(m.ts)}</time>${m.edited ? ' <span class="edited">(edited)</span>' : ''}</div>
      ${m.ephemeralTo ? '<div class="ephemeral-note">Only visible to you</div>' : ''}
      ${messageBody(m, state.people)}
      ${thread}
    </div>
  </div>`;
}

function visible(state) {
  return state.messages.filter((m) => !m.ephemeralTo || m.ephemeralTo === view.user);
}

function drawMessages(state) {
  const shown = visible(state);
  const top = shown.filter((m) => !m.threadTs);
  const replies = (ts) => shown.filter((m) => m.threadTs === ts).length;
  const list = $('messages');
  const html = top.map((m) => messageHtml(m, state, replies(m.ts))).join('');
  // Redrawn only when it changed, so a button does not vanish under the pointer between two polls.
  if (html !== view.html) {
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.innerHTML = html;
    view.html = html;
    if (atBottom) list.scrollTop = list.scrollHeight;
  }
  const parent = view.thread && shown.find((m) => m.ts === view.thread);
  $('thread').hidden = !parent;
  if (parent) {
    const inThread = shown.filter((m) => m.threadTs === parent.ts);
    const threadHtml = [parent, ...inThread].map((m) => messageHtml(m, state, 0)).join('');
    if (threadHtml !== view.threadHtml) {
      $('thread-messages').innerHTML = threadHtml;
      // The newest reply is what the person opened the thread for.
      $('thread-messages').scrollTop = $('thread-messages').scrollHeight;
    }
    view.threadHtml = threadHtml;
  }
}

function drawSide(state) {
  $('clock').textContent = `${state.now.slice(0, 10)} ${state.now.slice(11, 19)}`;
  const select = $('user');
  if (select.options.length === 0) {
    for (const [id, name] of Object.entries(state.people)) select.add(new Option(name, id));
    if (!view.user || !(view.user in state.people)) view.user = Object.keys(state.people)[0];
    select.value = view.user;
  }
  const scenarios = $('scenarios');
  if (scenarios.childElementCount === 0) {
    const labels = {
      memory: 'Memory: postgres-0',
      'crash-loop': 'Crash loop: shop/api',
      storm: 'Storm: 12 workloads',
      resolve: 'Resolve all',
    };
    scenarios.innerHTML = Object.entries(state.scenarios)
      .map(
        ([id, what]) =>
          `<button data-scenario="${escapeHtml(id)}">${escapeHtml(labels[id] ?? id)}<small>${escapeHtml(what)}</small></button>`,
      )
      .join('');
  }
  $('fired').innerHTML = state.fired
    .slice(-5)
    .map(
      (f) =>
        `<li>${escapeHtml(f.at.slice(11, 16))} ${escapeHtml(f.scenario)} · ${f.alerts} alert(s) · HTTP ${f.status}</li>`,
    )
    .join('');
  const pods = state.cluster.pods.filter((p) => p.namespace !== 'fleet');
  $('pods').tBodies[0].innerHTML = pods
    .map(
      (p) =>
        `<tr data-pod="${escapeHtml(`${p.namespace}/${p.name}`)}"><td title="${escapeHtml(`${p.namespace}/${p.name} · ${p.image}`)}">${escapeHtml(p.name)}</td><td>${escapeHtml(p.ready)}</td><td class="${p.status === 'Running' ? '' : 'bad'}">${escapeHtml(p.status)}</td><td>${p.restarts}</td></tr>`,
    )
    .join('');
  $('rs').innerHTML = state.cluster.replicaSets
    .filter((rs) => rs.replicas > 0)
    .map(
      (rs) =>
        `${escapeHtml(rs.namespace)}/${escapeHtml(rs.name)} rev ${escapeHtml(rs.revision)} · ${escapeHtml(rs.image)}`,
    )
    .join('<br>');
}

async function refresh(force = false) {
  const response = await fetch('/demo/state').catch(() => undefined);
  if (!response?.ok) {
    notice('The playground is not answering: is `npm run demo` still running?');
    return;
  }
  const state = await response.json();
  view.state = state;
  drawSide(state);
  if (force || state.version !== view.drawn) {
    view.drawn = state.version;
    drawMessages(state);
  }
}

function sendClick(target) {
  const body = { user: view.user, messageTs: target.dataset.ts, actionId: target.dataset.action };
  for (const b of document.querySelectorAll(`button[data-ts="${CSS.escape(target.dataset.ts)}"]`))
    b.disabled = true;
  return call('/demo/click', body);
}

document.addEventListener('click', (event) => {
  const target = event.target.closest('button');
  if (!target) return;
  if (target.dataset.action) {
    event.preventDefault();
    const confirm = target.dataset.confirm ? JSON.parse(target.dataset.confirm) : undefined;
    if (!confirm) return void sendClick(target);
    // Slack's confirm dialog: nothing is sent unless the person confirms.
    $('confirm-title').textContent = confirm.title?.text ?? 'Are you sure?';
    $('confirm-text').textContent = confirm.text?.text ?? '';
    $('confirm-ok').textContent = confirm.confirm?.text ?? 'Yes';
    $('confirm-ok').className = `bk-button ${confirm.style === 'danger' ? 'danger' : 'primary'}`;
    $('confirm-deny').textContent = confirm.deny?.text ?? 'Cancel';
    $('confirm').onclose = () => {
      if ($('confirm').returnValue === 'confirm') void sendClick(target);
    };
    $('confirm').showModal();
  } else if (target.dataset.thread) {
    view.thread = target.dataset.thread;
    void refresh(true);
  } else if (target.dataset.scenario) {
    void call('/demo/alerts', { scenario: target.dataset.scenario });
  } else if (target.dataset.time) {
    void call('/demo/clock', { time: target.dataset.time });
  } else if (target.id === 'clock-move') {
    void call('/demo/clock', { time: $('clock-at').value });
  } else if (target.id === 'thread-close') {
    view.thread = undefined;
    void refresh(true);
  }
});

$('user').addEventListener('change', () => {
  view.user = $('user').value;
  localStorage.setItem('belay.user', view.user);
  void refresh(true);
});

$('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('command').value.trim();
  $('command').value = '';
  void call('/demo/command', { user: view.user, text });
});

void refresh(true);
setInterval(() => void refresh(), 500);
