// The playground page: renders the engine's neutral cards and sends what people do back to it.
// No protocol logic here — only drawing, and calls to /api/web/*.
'use strict';

const state = {
  // A link may name the home's channel (?channel=brook-fostering); the first home otherwise.
  channel: new window.URLSearchParams(window.location.search).get('channel') || '',
  user: localStorage.getItem('playground-user') || '',
  episodeId: null,
  view: null,
  patterns: false,
  patternsChild: '',
  chart: null,
};
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null && value !== false)
      node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) if (child !== null && child !== undefined) node.append(child);
  return node;
}

/** One id per submission: the bot records a submission sent twice (a double click, a retry) once. */
const requestId = () =>
  window.crypto?.randomUUID ? window.crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;

/**
 * Runs a request with the control that sent it disabled until the answer comes, so one press is
 * one request (and one entry) however often it is clicked.
 */
async function once(control, fn) {
  if (control?.disabled) return;
  if (control) control.disabled = true;
  try {
    return await fn();
  } finally {
    if (control?.isConnected) control.disabled = false;
  }
}

async function api(path, body) {
  const response = await fetch(
    path,
    body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {},
  );
  const data = await response.json().catch(() => ({
    ok: false,
    error: 'The bot did not answer properly. Nothing has been recorded; please try again.',
  }));
  return data;
}

const time = (iso) =>
  new Date(iso).toLocaleString('en-GB', {
    timeZone: state.view?.timeZone || 'Europe/London',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });

function renderCard(card) {
  const body = card.title ? [el('h3', {}, card.title)] : [];
  if (card.mentions?.length)
    body.push(el('p', { class: 'mentions' }, 'For ', card.mentions.map((m) => `@${m.name}`).join(', ')));
  for (const block of card.blocks) {
    if (block.type === 'text') body.push(el('p', {}, block.text));
    if (block.type === 'fields')
      body.push(
        el(
          'dl',
          {},
          block.fields.map((f) => [el('dt', {}, f.label), el('dd', {}, f.value)]),
        ),
      );
    if (block.type === 'checklist') {
      body.push(
        el(
          'ul',
          { class: 'checklist' },
          block.items.map((item) =>
            el(
              'li',
              { class: item.status },
              el(
                'span',
                { class: 'state' },
                item.status === 'open' ? 'To do' : item.status === 'done' ? 'Done' : 'N/A',
              ),
              el('span', { class: 'label' }, item.label),
              item.actions.map((a) => actionButton(a, item.label)),
              item.help ? el('span', { class: 'help' }, item.help) : null,
              item.note ? el('span', { class: 'note' }, item.note) : null,
            ),
          ),
        ),
      );
    }
    if (block.type === 'actions')
      body.push(
        el(
          'div',
          { class: 'actions' },
          block.actions.map((a) => actionButton(a)),
        ),
      );
  }
  return el('article', { class: `card ${card.tone}`, 'aria-label': card.title || card.fallback }, body);
}

function actionButton(action, context) {
  const cls = action.style === 'danger' ? 'danger' : action.style === 'primary' ? '' : 'secondary';
  return el(
    'button',
    {
      type: 'button',
      class: cls,
      'aria-label': context ? `${action.label}: ${context}` : undefined,
      // Lets a live refresh put keyboard focus back on the same button.
      'data-focus-key': `${action.id}:${action.value}`,
      onclick: (event) => once(event.currentTarget, () => press(action)),
    },
    action.label,
  );
}

function showPrivate(reply) {
  const box = $('private');
  if (reply.error)
    box.prepend(el('article', { class: 'card urgent' }, el('h3', {}, 'Not done'), el('p', {}, reply.error)));
  else if (reply.card) {
    const card = renderCard(reply.card);
    // Files made for this person: each a one-time download, sent by POST so previews cannot use it up.
    for (const file of reply.files || [])
      card.append(
        el(
          'form',
          {
            method: 'post',
            action: file.url,
            class: 'download',
            onsubmit: (event) => window.setTimeout(() => (event.target.querySelector('button').disabled = true)),
          },
          el('button', { type: 'submit' }, `Download ${file.name}`),
        ),
      );
    box.prepend(card);
  }
}

async function handle(reply) {
  if (reply.form) return openForm(reply.form);
  showPrivate(reply);
  if (reply.episodeId && reply.ok) state.episodeId = reply.episodeId;
  await refresh();
}

async function press(action) {
  await handle(
    await api('/api/web/action', { user: state.user, action: action.id, value: action.value, requestId: requestId() }),
  );
}

function field(f) {
  const id = `f-${f.name}`;
  const required = f.required ? true : undefined;
  let input;
  if (f.kind === 'textarea') input = el('textarea', { id, name: f.name, rows: 3, required });
  else if (f.kind === 'datetime') input = el('input', { id, name: f.name, type: 'datetime-local', required });
  else if (f.kind === 'select')
    input = el(
      'select',
      { id, name: f.name, required },
      // A required choice starts empty, so nothing is chosen for the person without them knowing.
      el('option', { value: '', selected: true, disabled: f.required || undefined }, f.required ? 'Choose…' : '—'),
      f.options.map((o) => el('option', { value: o.value }, o.label)),
    );
  else if (f.kind === 'multiselect') {
    return el(
      'fieldset',
      { class: 'field' },
      el('legend', {}, f.label),
      f.options.map((o, i) =>
        el(
          'label',
          {},
          el('input', { type: 'checkbox', name: f.name, value: o.value, id: `${id}-${i}` }),
          ' ',
          o.label,
        ),
      ),
    );
  } else input = el('input', { id, name: f.name, required });
  return el(
    'div',
    { class: 'field' },
    el('label', { for: id }, f.label + (f.required ? '' : ' (optional)')),
    input,
    f.hint ? el('span', { class: 'hint' }, f.hint) : null,
  );
}

/** 1 for a real episode; for a drill, how many times faster its schedule runs. */
const drillSpeed = () => Number($('drill-speed').value);

let currentForm = null;
function openForm(form) {
  currentForm = form;
  $('form-title').textContent = form.title;
  $('form-submit').textContent = form.submitLabel;
  $('form-error').textContent = '';
  $('form-fields').replaceChildren(...form.fields.map(field));
  $('form-dialog').showModal();
  $('form-fields').querySelector('input, select, textarea')?.focus();
}

async function submitForm(event) {
  event.preventDefault();
  const values = {};
  for (const f of currentForm.fields) {
    if (f.kind === 'multiselect')
      values[f.name] = [...$('form-fields').querySelectorAll(`input[name="${f.name}"]:checked`)].map((i) => i.value);
    else {
      // Times go as typed: they mean the home's zone (the form names it), not this browser's.
      values[f.name] = $('form-fields').querySelector(`[name="${f.name}"]`).value;
    }
  }
  // One id for this submission, kept if it is sent again (a double click on Submit).
  currentForm.requestId ??= requestId();
  const reply = await once($('form-submit'), () =>
    api('/api/web/form', {
      user: state.user,
      channel: state.channel,
      value: currentForm.value,
      values,
      drillSpeed: drillSpeed(),
      requestId: currentForm.requestId,
    }),
  );
  if (!reply) return;
  if (!reply.ok) {
    $('form-error').textContent = reply.error;
    // Corrected and sent again, it is a new submission.
    currentForm.requestId = undefined;
    return;
  }
  $('form-dialog').close();
  await handle(reply);
}

function renderItem(item) {
  if (item.kind === 'card') return renderCard(item.card);
  const e = item.entry;
  const what = e.kind === 'message' ? '' : e.kind === 'message_edited' ? ' (edit)' : ' (deletion)';
  return el(
    'article',
    { class: 'message' },
    el('div', { class: 'meta' }, `${e.authorName} · ${e.authorRole.replaceAll('_', ' ')} · ${time(e.at)}${what}`),
    el('p', {}, e.text),
  );
}

/** Where keyboard focus is, so a redraw can put it back on the same control. */
function focusKey() {
  const active = document.activeElement;
  return active?.dataset?.focusKey || null;
}
function restoreFocus(key) {
  if (!key || document.activeElement?.dataset?.focusKey === key) return;
  const again = [...document.querySelectorAll('[data-focus-key]')].find((n) => n.dataset.focusKey === key);
  again?.focus({ preventScroll: true });
}

async function refresh() {
  const key = focusKey();
  await redraw();
  restoreFocus(key);
}

async function redraw() {
  const data = await api(
    `/api/web/view?channel=${encodeURIComponent(state.channel)}&user=${encodeURIComponent(state.user)}`,
  );
  if (!data.ok) return showPrivate(data);
  state.channel = data.channel;
  state.view = data.view;
  $('home-name').textContent = data.view.name;
  // More than one home on the playground: the title is a choice of which home's channel to show.
  const homes = $('home-choice');
  const many = data.channels.length > 1;
  homes.hidden = !many;
  $('home-name').hidden = many;
  if (many && homes.options.length !== data.channels.length)
    homes.replaceChildren(...data.channels.map((c) => el('option', { value: c.channelRef }, c.homeName)));
  homes.value = state.channel;
  const select = $('acting-as');
  const people = data.view.people.map((p) => p.userId).join(' ');
  if (select.dataset.people !== people) {
    select.dataset.people = people;
    select.replaceChildren(
      ...data.view.people.map((p) => el('option', { value: p.userId }, `${p.name} (${p.role.replaceAll('_', ' ')})`)),
    );
  }
  if (!data.view.people.some((p) => p.userId === state.user)) state.user = data.view.people[0]?.userId || '';
  select.value = state.user;
  $('episode-list').replaceChildren(
    ...data.view.episodes.map((e) =>
      el(
        'li',
        {},
        el(
          'button',
          { type: 'button', 'aria-current': String(e.id === state.episodeId), onclick: () => openThread(e.id) },
          e.line,
        ),
      ),
    ),
  );
  if (data.view.episodes.length === 0) $('episode-list').append(el('li', {}, 'No open episodes.'));
  $('direct').replaceChildren(...data.direct.map((d) => renderCard(d.card)));
  await renderMain();
}

/** Loads a script once (Vega's browser builds, only when the patterns view is first opened). */
const scripts = new Map();
function script(src) {
  if (!scripts.has(src))
    scripts.set(
      src,
      new Promise((resolve, reject) => {
        const tag = el('script', { src });
        tag.addEventListener('load', resolve);
        tag.addEventListener('error', () => reject(new Error(`could not load ${src}`)));
        document.head.append(tag);
      }),
    );
  return scripts.get(src);
}

/** The patterns charts: the bot's Vega-Lite specification, drawn here by Vega. */
async function renderPatterns() {
  const data = await api(
    `/api/web/patterns?user=${encodeURIComponent(state.user)}&child=${encodeURIComponent(state.patternsChild)}`,
  );
  $('patterns-error').textContent = data.ok ? '' : data.error;
  if (!data.ok) return $('patterns-chart').replaceChildren();
  $('patterns-child').replaceChildren(
    el('option', { value: '' }, 'The whole home'),
    ...data.children.map((alias) => el('option', { value: alias }, alias)),
  );
  $('patterns-child').value = state.patternsChild;
  try {
    await script('/vendor/vega.min.js');
    await script('/vendor/vega-lite.min.js');
    state.chart?.finalize();
    $('patterns-chart').replaceChildren();
    state.chart = new window.vega.View(window.vega.parse(window.vegaLite.compile(data.spec).spec), {
      renderer: 'svg',
      container: '#patterns-chart',
    });
    await state.chart.runAsync();
  } catch {
    $('patterns-error').textContent = 'The charts could not be drawn in this browser; the patterns PDF has them.';
  }
}

async function renderMain() {
  const inThread = Boolean(state.episodeId) && !state.patterns;
  $('patterns-view').hidden = !state.patterns;
  $('thread-view').hidden = !inThread;
  $('channel-view').hidden = inThread || state.patterns;
  if (state.patterns) return renderPatterns();
  if (!inThread) {
    const roots = await Promise.all(
      state.view.episodes.map((e) =>
        api(`/api/web/thread/${encodeURIComponent(e.id)}?channel=${encodeURIComponent(state.channel)}`),
      ),
    );
    $('channel-items').replaceChildren(
      ...roots.map((r, i) => {
        const root = r.items?.find((x) => x.kind === 'card');
        return root
          ? el(
              'div',
              {},
              renderCard(root.card),
              el(
                'button',
                { type: 'button', class: 'link', onclick: () => openThread(state.view.episodes[i].id) },
                `Open thread (${r.items.length} items)`,
              ),
            )
          : null;
      }),
    );
    return;
  }
  const episode = state.view.episodes.find((e) => e.id === state.episodeId);
  $('thread-heading').textContent = episode ? `Thread: ${episode.line}` : 'Thread (closed episode)';
  const data = await api(
    `/api/web/thread/${encodeURIComponent(state.episodeId)}?channel=${encodeURIComponent(state.channel)}`,
  );
  $('thread-items').replaceChildren(...(data.items || []).map(renderItem));
}

async function openThread(id) {
  state.episodeId = id;
  state.patterns = false;
  await refresh();
  $('main').focus();
}

window.addEventListener('DOMContentLoaded', async () => {
  $('home-choice').addEventListener('change', (e) => {
    state.channel = e.target.value;
    state.episodeId = null;
    state.patterns = false;
    refresh();
  });
  $('acting-as').addEventListener('change', (e) => {
    state.user = e.target.value;
    localStorage.setItem('playground-user', state.user);
    refresh();
  });
  $('show-channel').addEventListener('click', () => {
    state.episodeId = null;
    state.patterns = false;
    refresh();
  });
  $('show-patterns').addEventListener('click', () => {
    state.patterns = true;
    refresh();
  });
  $('patterns-child').addEventListener('change', (e) => {
    state.patternsChild = e.target.value;
    refresh();
  });
  $('command-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = $('command-text').value;
    const send = event.target.querySelector('button[type="submit"]');
    if (send.disabled) return;
    // Cleared now, not after the reply: a next command typed meanwhile must not be wiped.
    $('command-text').value = '/missing ';
    const reply = await once(send, () =>
      api('/api/web/command', {
        user: state.user,
        channel: state.channel,
        text,
        drillSpeed: drillSpeed(),
        requestId: requestId(),
      }),
    );
    if (reply) await handle(reply);
  });
  $('message-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const reply = await once(event.target.querySelector('button[type="submit"]'), () =>
      api('/api/web/message', {
        user: state.user,
        channel: state.channel,
        episodeId: state.episodeId,
        text: $('message-text').value,
        requestId: requestId(),
      }),
    );
    if (!reply) return;
    if (reply.ok) $('message-text').value = '';
    await handle(reply);
  });
  $('dialog-form').addEventListener('submit', submitForm);
  $('form-cancel').addEventListener('click', () => $('form-dialog').close());
  const source = new EventSource('/api/web/events');
  source.addEventListener('open', () => ($('live').textContent = 'live'));
  source.addEventListener('error', () => ($('live').textContent = 'reconnecting…'));
  source.addEventListener('change', () => refresh());
  await refresh();
});
