import { diffLines } from 'diff';

/** A line of a diff, or a run of unchanged lines left out. */
export type DiffRow =
  | { type: 'added' | 'removed' | 'same'; text: string }
  | { type: 'skipped'; count: number };

/** Unchanged lines kept around each change. */
const CONTEXT = 3;

function lines(value: string): string[] {
  const all = value.split('\n');
  return all[all.length - 1] === '' ? all.slice(0, -1) : all;
}

/**
 * The line diff of two texts, with long unchanged runs shortened to the
 * lines around the changes.
 */
export function diffRows(before: string, after: string): DiffRow[] {
  const changes = diffLines(before, after);
  return changes.flatMap((change, i): DiffRow[] => {
    const text = lines(change.value);
    if (change.added || change.removed) {
      const type = change.added ? 'added' : 'removed';
      return text.map(t => ({ type, text: t }));
    }
    const keepStart = i > 0 ? CONTEXT : 0;
    const keepEnd = i < changes.length - 1 ? CONTEXT : 0;
    const same = (t: string): DiffRow => ({ type: 'same', text: t });
    if (changes.length === 1 || text.length <= keepStart + keepEnd + 1) {
      return text.map(same);
    }
    return [
      ...text.slice(0, keepStart).map(same),
      { type: 'skipped', count: text.length - keepStart - keepEnd },
      ...text.slice(text.length - keepEnd).map(same),
    ];
  });
}
