/**
 * A subset of Slack's Block Kit validation: the limits a bot is most likely to trip over
 * (lengths, counts, required fields, duplicate ids). Unknown-but-real block types pass
 * unchecked; anything Slack would reject for a reason not listed here passes too.
 */

export type BlocksVerdict =
  | { readonly kind: 'ok' }
  | { readonly kind: 'invalid_blocks_format' }
  | { readonly kind: 'invalid_blocks'; readonly errors: readonly string[] };

const KNOWN_BLOCKS = new Set([
  'actions',
  'context',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'video',
]);

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `maxBlocks`: 50 for messages, 100 for Home tabs and modals. */
export function validateBlocks(blocks: unknown, maxBlocks: number): BlocksVerdict {
  if (!Array.isArray(blocks)) return { kind: 'invalid_blocks_format' };
  const errors: string[] = [];
  if (blocks.length > maxBlocks)
    errors.push(`no more than ${maxBlocks} items allowed [json-pointer:/blocks]`);
  const blockIds = new Set<string>();
  blocks.forEach((block, index) => {
    const at = `/blocks/${index}`;
    if (!isObj(block) || typeof block.type !== 'string') {
      errors.push(`missing required field: type [json-pointer:${at}]`);
      return;
    }
    if (!KNOWN_BLOCKS.has(block.type))
      errors.push(`unsupported type: ${block.type} [json-pointer:${at}/type]`);
    checkBlockId(block, at, blockIds, errors);
    checkBlock(block, at, errors);
  });
  return errors.length === 0 ? { kind: 'ok' } : { kind: 'invalid_blocks', errors };
}

function checkBlockId(block: Obj, at: string, seen: Set<string>, errors: string[]): void {
  if (block.block_id === undefined) return;
  if (typeof block.block_id !== 'string' || block.block_id.length > 255) {
    errors.push(`must be a string of at most 255 characters [json-pointer:${at}/block_id]`);
  } else if (seen.has(block.block_id)) {
    errors.push(`duplicate block_id: ${block.block_id} [json-pointer:${at}/block_id]`);
  } else {
    seen.add(block.block_id);
  }
}

function checkBlock(block: Obj, at: string, errors: string[]): void {
  switch (block.type) {
    case 'section':
      if (block.text === undefined && block.fields === undefined) {
        errors.push(`must provide text or fields [json-pointer:${at}]`);
      }
      if (block.text !== undefined) checkText(block.text, `${at}/text`, 3000, errors);
      if (block.fields !== undefined) checkFields(block.fields, `${at}/fields`, errors);
      if (block.accessory !== undefined) checkElement(block.accessory, `${at}/accessory`, errors);
      return;
    case 'header':
      checkText(block.text, `${at}/text`, 150, errors, 'plain_text');
      return;
    case 'context':
      checkList(block.elements, `${at}/elements`, 10, errors, (element, path) => {
        if (isObj(element) && element.type === 'image') return;
        checkText(element, path, 3000, errors);
      });
      return;
    case 'actions':
      checkActions(block, at, errors);
      return;
    default:
      return;
  }
}

function checkActions(block: Obj, at: string, errors: string[]): void {
  const actionIds = new Set<string>();
  checkList(block.elements, `${at}/elements`, 25, errors, (element, path) => {
    checkElement(element, path, errors);
    if (isObj(element) && typeof element.action_id === 'string') {
      if (actionIds.has(element.action_id))
        errors.push(`duplicate action_id [json-pointer:${path}/action_id]`);
      actionIds.add(element.action_id);
    }
  });
}

function checkList(
  list: unknown,
  at: string,
  max: number,
  errors: string[],
  each: (item: unknown, path: string) => void,
): void {
  if (!Array.isArray(list) || list.length === 0) {
    errors.push(`must be a non-empty array [json-pointer:${at}]`);
    return;
  }
  if (list.length > max) errors.push(`no more than ${max} items allowed [json-pointer:${at}]`);
  for (const [index, item] of list.entries()) each(item, `${at}/${index}`);
}

function checkFields(fields: unknown, at: string, errors: string[]): void {
  checkList(fields, at, 10, errors, (field, path) => checkText(field, path, 2000, errors));
}

function checkElement(element: unknown, at: string, errors: string[]): void {
  if (!isObj(element) || typeof element.type !== 'string') {
    errors.push(`missing required field: type [json-pointer:${at}]`);
    return;
  }
  if (
    element.action_id !== undefined &&
    (typeof element.action_id !== 'string' || element.action_id.length > 255)
  ) {
    errors.push(`must be a string of at most 255 characters [json-pointer:${at}/action_id]`);
  }
  if (element.type !== 'button') return;
  checkText(element.text, `${at}/text`, 75, errors, 'plain_text');
  if (element.value !== undefined && (typeof element.value !== 'string' || element.value.length > 2000)) {
    errors.push(`must be a string of at most 2000 characters [json-pointer:${at}/value]`);
  }
  if (element.url !== undefined && (typeof element.url !== 'string' || element.url.length > 3000)) {
    errors.push(`must be a string of at most 3000 characters [json-pointer:${at}/url]`);
  }
  if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
    errors.push(`must be one of primary, danger [json-pointer:${at}/style]`);
  }
}

function checkText(text: unknown, at: string, max: number, errors: string[], only?: 'plain_text'): void {
  if (!isObj(text)) {
    errors.push(`must be a text object [json-pointer:${at}]`);
    return;
  }
  const allowed = only === undefined ? ['plain_text', 'mrkdwn'] : [only];
  if (typeof text.type !== 'string' || !allowed.includes(text.type)) {
    errors.push(`must be one of ${allowed.join(', ')} [json-pointer:${at}/type]`);
  }
  if (typeof text.text !== 'string' || text.text.length === 0) {
    errors.push(`must be a non-empty string [json-pointer:${at}/text]`);
  } else if (text.text.length > max) {
    errors.push(`must be less than ${max + 1} characters [json-pointer:${at}/text]`);
  }
}
