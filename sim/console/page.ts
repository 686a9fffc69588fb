import { escapeHtml } from './mrkdwn.ts';
import { CHANNEL, PEOPLE } from './people.ts';

/** The page shell: Slack's layout — workspace sidebar, channel, thread — with "Acting as". */
export function consolePage(initialUser: string): string {
  const options = PEOPLE.map(
    (p) =>
      `<option value="${escapeHtml(p.id)}"${p.id === initialUser ? ' selected' : ''}>${escapeHtml(p.realName)} (${p.role})</option>`,
  ).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>#${CHANNEL.name} · pc-verify chat console</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/assets/console.css"></head>
<body><header class="topbar"><div class="notice">Local chat console — a simulation of a Slack channel, not Slack</div>
<label class="acting">Acting as <select id="acting" aria-label="Acting as">${options}</select></label></header>
<div class="app"><nav class="sidebar" aria-label="Workspace"><div class="workspace">Contoso Platform</div>
<div class="side-group">Channels</div><button type="button" class="side-item active" data-pane="channel" aria-label="Channel pc-verify"># ${CHANNEL.name}</button>
<div class="side-group">Apps</div><button type="button" class="side-item" data-pane="dm" aria-label="Direct messages with pc-verify">pc-verify <span class="badge" id="dm-badge"></span></button>
<button type="button" class="side-item" data-pane="home" aria-label="pc-verify Home">pc-verify · Home</button></nav>
<main class="channel" aria-label="Conversation"><div class="channel-head"><h1 id="pane-title"># ${CHANNEL.name}</h1>
<span class="channel-topic" id="pane-topic">Verifications of Hunter's Partner Center flag</span></div>
<section id="messages" class="messages" aria-label="Messages" aria-live="polite"></section>
<form id="composer" class="composer"><label for="composer-input" class="visually-hidden">Message #${CHANNEL.name}</label>
<input id="composer-input" autocomplete="off" placeholder="Message #${CHANNEL.name} — try /pc-verify staging">
<button type="submit" class="send" aria-label="Send">➤</button></form></main>
<aside id="thread-pane" class="thread" aria-label="Thread"><div class="thread-head"><h2>Thread</h2><span># ${CHANNEL.name}</span></div>
<div id="thread" class="thread-body"></div></aside></div><div id="overlay"></div>
<script type="module" src="/assets/client.js"></script></body></html>`;
}
