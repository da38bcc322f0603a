// Block Kit's documented limits (protocols.md §4.7), checked independently of the builders' own constants:
// a message that breaks one is rejected by Slack with invalid_blocks, so every builder test runs this.

type Json = Record<string, unknown>;

export function blockKitViolations(message: { text: string; blocks: unknown[] }): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  check(
    message.text.length > 0 && message.text.length <= 4000,
    `fallback text length ${message.text.length}`,
  );
  check(message.blocks.length <= 50, `${message.blocks.length} blocks`);
  const blockIds = new Set<string>();
  message.blocks.forEach((raw, i) => {
    const block = raw as Json;
    const at = `block ${i} (${String(block.type)})`;
    if (typeof block.block_id === 'string') {
      check(block.block_id.length <= 255, `${at} block_id too long`);
      check(!blockIds.has(block.block_id), `${at} duplicate block_id ${block.block_id}`);
      blockIds.add(block.block_id);
    }
    const text = block.text as Json | undefined;
    switch (block.type) {
      case 'section': {
        const fields = (block.fields as Json[] | undefined) ?? [];
        check(text !== undefined || fields.length > 0, `${at} has neither text nor fields`);
        if (text) check(len(text) >= 1 && len(text) <= 3000, `${at} text length ${len(text)}`);
        check(fields.length <= 10, `${at} ${fields.length} fields`);
        for (const f of fields) check(len(f) >= 1 && len(f) <= 2000, `${at} field length ${len(f)}`);
        break;
      }
      case 'header':
        check(text?.type === 'plain_text' && len(text) <= 150, `${at} header text`);
        break;
      case 'context': {
        const elements = block.elements as Json[];
        check(elements.length >= 1 && elements.length <= 10, `${at} ${elements.length} elements`);
        for (const e of elements) check(len(e) >= 1 && len(e) <= 2000, `${at} element length ${len(e)}`);
        break;
      }
      case 'actions': {
        const elements = block.elements as Json[];
        check(elements.length >= 1 && elements.length <= 25, `${at} ${elements.length} elements`);
        const actionIds = new Set<string>();
        for (const e of elements) problems.push(...buttonViolations(e, at, actionIds));
        break;
      }
      case 'divider':
        break;
      default:
        problems.push(`${at}: a block type the builders are not expected to emit`);
    }
  });
  return problems;
}

function buttonViolations(button: Json, at: string, actionIds: Set<string>): string[] {
  const problems: string[] = [];
  const text = button.text as Json;
  if (text.type !== 'plain_text' || len(text) > 75) problems.push(`${at} button text`);
  const actionId = String(button.action_id);
  if (actionId.length > 255 || actionIds.has(actionId)) problems.push(`${at} action_id ${actionId}`);
  actionIds.add(actionId);
  if (typeof button.value === 'string' && button.value.length > 2000) problems.push(`${at} button value`);
  if (button.style !== undefined && button.style !== 'primary' && button.style !== 'danger') {
    problems.push(`${at} button style`);
  }
  const confirm = button.confirm as Json | undefined;
  if (confirm) {
    if (len(confirm.title as Json) > 100) problems.push(`${at} confirm title`);
    if (len(confirm.text as Json) > 300) problems.push(`${at} confirm text`);
    if (len(confirm.confirm as Json) > 30) problems.push(`${at} confirm button`);
    if (len(confirm.deny as Json) > 30) problems.push(`${at} deny button`);
  }
  return problems;
}

function len(textObject: Json | undefined): number {
  return typeof textObject?.text === 'string' ? textObject.text.length : -1;
}
