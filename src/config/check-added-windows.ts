import { isMap, isSeq, parseDocument } from 'yaml';
import { formatConfigProblem } from './config-problem.ts';
import { loadConfig } from './load-config.ts';

/**
 * What check-config would say of the file with this window added under `windows:`: the very same loader,
 * on the operator's own file, so a suggestion that passes here passes there. Empty when it would be valid.
 */
export function checkAddedWindow(text: string, fileName: string, window: object): string[] {
  const doc = parseDocument(text);
  if (!isMap(doc.contents)) return [`${fileName} is not a YAML mapping; run belay check-config ${fileName}`];
  const existing = doc.get('windows');
  if (isSeq(existing)) existing.add(doc.createNode(window));
  else doc.set('windows', doc.createNode([window]));
  const loaded = loadConfig(String(doc), fileName);
  return loaded.ok ? [] : loaded.problems.map(formatConfigProblem);
}
