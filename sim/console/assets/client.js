// The chat console's page script: draws what the console server renders for the person
// "Acting as", and sends their clicks and commands to it (it signs them for the bot).

const $ = (id) => document.getElementById(id);
const state = { user: $('acting').value, pane: 'channel', thread: '', closedModal: '' };
const shown = { main: '', thread: '', modal: '' };
const TITLES = {
  channel: ['# pc-verify', "Verifications of Hunter's Partner Center flag"],
  dm: ['pc-verify', 'Messages'],
  home: ['pc-verify', 'Home'],
};

async function post(path, body) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) console.warn('console:', path, res.status, await res.text());
}

let pending = Promise.resolve();
function refresh() {
  pending = pending.then(draw, draw);
  return pending;
}

async function draw() {
  const query = new URLSearchParams({ user: state.user, pane: state.pane, thread: state.thread });
  const res = await fetch(`/api/view?${query}`);
  if (!res.ok) return;
  const view = await res.json();
  const list = $('messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  if (view.main !== shown.main) {
    list.innerHTML = view.main;
    shown.main = view.main;
    if (atBottom) list.scrollTop = list.scrollHeight;
  }
  if (view.thread !== shown.thread) {
    $('thread').innerHTML = view.thread;
    shown.thread = view.thread;
    $('thread').scrollTop = $('thread').scrollHeight;
  }
  $('thread-pane').hidden = view.thread === '' || state.pane !== 'channel';
  $('dm-badge').textContent = view.unread.dm > 0 && state.pane !== 'dm' ? String(view.unread.dm) : '';
  const modal = view.modal.includes(`data-modal-key="${state.closedModal}"`) ? '' : view.modal;
  if (modal !== shown.modal) {
    document.querySelector('#overlay .modal-host')?.remove();
    if (modal !== '') {
      const host = document.createElement('div');
      host.className = 'modal-host';
      host.innerHTML = modal;
      $('overlay').append(host);
    }
    shown.modal = modal;
  }
}

function clickOf(button) {
  const d = button.dataset;
  return {
    user: state.user,
    channel: d.channel,
    ts: d.ts,
    actionId: d.actionId,
    value: d.value,
    blockId: d.blockId,
    label: d.label,
  };
}

function confirmFirst(button, click) {
  const template = button.nextElementSibling;
  if (!(template instanceof HTMLTemplateElement) || !template.classList.contains('bk-confirm')) return false;
  const host = document.createElement('div');
  host.append(template.content.cloneNode(true));
  $('overlay').append(host);
  host.querySelector('[data-dialog="confirm"]').focus();
  host.addEventListener('click', (event) => {
    const choice = event.target.closest('[data-dialog]')?.dataset.dialog;
    if (!choice) return;
    host.remove();
    if (choice === 'confirm') post('/api/action', click).then(refresh);
  });
  return true;
}

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const button = target?.closest('button');
  if (!button) return;
  if (button.dataset.thread) {
    state.thread = button.dataset.thread;
    refresh();
  } else if (button.dataset.pane) {
    state.pane = button.dataset.pane;
    for (const item of document.querySelectorAll('.side-item'))
      item.classList.toggle('active', item === button);
    const [title, topic] = TITLES[state.pane];
    $('pane-title').textContent = title;
    $('pane-topic').textContent = topic;
    $('composer').hidden = state.pane !== 'channel';
    shown.main = '';
    if (state.pane === 'home') post('/api/home-opened', { user: state.user }).then(refresh);
    else refresh();
  } else if (button.dataset.modal === 'close') {
    state.closedModal = button.closest('[data-modal-key]')?.dataset.modalKey ?? '';
    refresh();
  } else if (button.dataset.modal === 'submit') {
    const dialog = button.closest('[data-modal-key]');
    const values = {};
    for (const field of dialog?.querySelectorAll('[data-block-id][data-action-id]') ?? []) {
      const block = field.dataset.blockId;
      values[block] = { ...values[block], [field.dataset.actionId]: field.value };
    }
    state.closedModal = dialog?.dataset.modalKey ?? '';
    post('/api/view-submit', { user: state.user, viewId: button.dataset.viewId, values }).then(refresh);
  } else if (button.dataset.actionId !== undefined) {
    const click = clickOf(button);
    if (button.dataset.url) window.open(button.dataset.url, '_blank', 'noopener');
    if (!confirmFirst(button, click)) post('/api/action', click).then(refresh);
  }
});

$('acting').addEventListener('change', () => {
  state.user = $('acting').value;
  shown.main = '';
  shown.thread = '';
  if (state.pane === 'home') post('/api/home-opened', { user: state.user }).then(refresh);
  else refresh();
});

$('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('composer-input');
  const text = input.value.trim();
  if (text === '') return;
  input.value = '';
  post('/api/command', { user: state.user, text }).then(refresh);
});

const events = new EventSource('/api/events');
events.onmessage = () => refresh();
refresh();
