import { escapeHtml, type MentionNames, mrkdwnToHtml } from './mrkdwn.ts';

/**
 * Block Kit as HTML, generically: whatever blocks the bot sends, rendered from the recorded
 * Web API calls. Unknown blocks show as a small note rather than vanishing. Buttons carry what a
 * click needs (action id, value, block id) as data attributes; the page's script sends them.
 */

type Json = Record<string, unknown>;

export interface BlockContext {
  readonly names: MentionNames;
  /** Where a button's click is reported: the message that carries it. */
  readonly channel: string;
  readonly ts: string;
  /** Rewrites a URL button's target (the sign-in page is served by the console). */
  readonly linkFor: (url: string) => string;
}

function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A text object: mrkdwn or plain_text. */
export function textObject(value: unknown, names: MentionNames): string {
  const t = obj(value);
  if (t === undefined) return '';
  const text = str(t.text);
  return t.type === 'mrkdwn' ? mrkdwnToHtml(text, names) : escapeHtml(text).replaceAll('\n', '<br>');
}

export function renderBlocks(blocks: readonly unknown[], ctx: BlockContext): string {
  return blocks.map((b) => renderBlock(obj(b) ?? {}, ctx)).join('');
}

function renderBlock(block: Json, ctx: BlockContext): string {
  const blockId = str(block.block_id);
  switch (block.type) {
    case 'section': {
      const text =
        block.text === undefined ? '' : `<div class="bk-text">${textObject(block.text, ctx.names)}</div>`;
      const fields = list(block.fields);
      const grid =
        fields.length === 0
          ? ''
          : `<div class="bk-fields">${fields.map((f) => `<div>${textObject(f, ctx.names)}</div>`).join('')}</div>`;
      const accessory = obj(block.accessory);
      const side =
        accessory === undefined
          ? ''
          : `<div class="bk-accessory">${renderElement(accessory, blockId, ctx)}</div>`;
      return `<div class="bk-section"><div class="bk-main">${text}${grid}</div>${side}</div>`;
    }
    case 'context':
      return `<div class="bk-context">${list(block.elements)
        .map((e) => {
          const el = obj(e) ?? {};
          return el.type === 'image'
            ? `<span class="bk-ctx-img" title="${escapeHtml(str(el.alt_text))}"></span>`
            : `<span>${textObject(el, ctx.names)}</span>`;
        })
        .join('')}</div>`;
    case 'actions':
      return `<div class="bk-actions">${list(block.elements)
        .map((e) => renderElement(obj(e) ?? {}, blockId, ctx))
        .join('')}</div>`;
    case 'divider':
      return '<hr class="bk-divider">';
    case 'header':
      return `<div class="bk-header">${textObject(block.text, ctx.names)}</div>`;
    case 'rich_text':
      return `<div class="bk-text">${escapeHtml(richText(block))}</div>`;
    case 'input':
      return renderInput(block, ctx);
    default:
      return `<div class="bk-unknown">(a ${escapeHtml(str(block.type) || 'block')} block the console does not draw)</div>`;
  }
}

function richText(block: Json): string {
  const walk = (value: unknown): string => {
    const node = obj(value);
    if (node === undefined) return '';
    if (typeof node.text === 'string') return node.text;
    return list(node.elements).map(walk).join('');
  };
  return walk(block);
}

function renderElement(el: Json, blockId: string, ctx: BlockContext): string {
  if (el.type === 'button') return renderButton(el, blockId, ctx);
  if (el.type === 'image') return `<span class="bk-ctx-img" title="${escapeHtml(str(el.alt_text))}"></span>`;
  return `<span class="bk-unknown">(${escapeHtml(str(el.type) || 'element')})</span>`;
}

function renderButton(el: Json, blockId: string, ctx: BlockContext): string {
  const style = el.style === 'primary' || el.style === 'danger' ? ` bk-btn-${el.style}` : '';
  const label = escapeHtml(str(obj(el.text)?.text));
  const url = str(el.url);
  const data = [
    ['action-id', str(el.action_id)],
    ['value', str(el.value)],
    ['block-id', blockId],
    ['label', str(obj(el.text)?.text)],
    ['channel', ctx.channel],
    ['ts', ctx.ts],
    ['url', url === '' ? '' : ctx.linkFor(url)],
  ]
    .map(([k, v]) => `data-${k}="${escapeHtml(v ?? '')}"`)
    .join(' ');
  const confirm = obj(el.confirm);
  const dialog =
    confirm === undefined
      ? ''
      : `<template class="bk-confirm">${confirmDialog(confirm, ctx.names)}</template>`;
  return `<button type="button" class="bk-btn${style}" ${data}>${label}</button>${dialog}`;
}

/** A Block Kit confirm object as a dialog; the page shows it before the click is sent. */
function confirmDialog(confirm: Json, names: MentionNames): string {
  const title = textObject(confirm.title, names) || 'Are you sure?';
  const danger = confirm.style === 'danger' ? ' bk-btn-danger' : ' bk-btn-primary';
  return `<div class="dialog-backdrop"><div class="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title">
<h2 id="dialog-title">${title}</h2><div class="dialog-body">${textObject(confirm.text, names)}</div>
<div class="dialog-buttons"><button type="button" class="bk-btn" data-dialog="deny">${textObject(confirm.deny, names) || 'Cancel'}</button>
<button type="button" class="bk-btn${danger}" data-dialog="confirm">${textObject(confirm.confirm, names) || 'Yes'}</button></div></div></div>`;
}

function renderInput(block: Json, ctx: BlockContext): string {
  const element = obj(block.element) ?? {};
  const id = `in-${escapeHtml(str(block.block_id))}-${escapeHtml(str(element.action_id))}`;
  const multiline = element.multiline === true;
  const field = multiline
    ? `<textarea id="${id}" data-block-id="${escapeHtml(str(block.block_id))}" data-action-id="${escapeHtml(str(element.action_id))}"></textarea>`
    : `<input id="${id}" data-block-id="${escapeHtml(str(block.block_id))}" data-action-id="${escapeHtml(str(element.action_id))}">`;
  return `<div class="bk-input"><label for="${id}">${textObject(block.label, ctx.names)}</label>${field}</div>`;
}
