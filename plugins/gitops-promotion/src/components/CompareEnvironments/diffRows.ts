import { diffLines } from 'diff';

/** A line of a diff, or a run of unchanged lines left out. */
export type DiffRow =
  | { type: 'added' | 'removed' | 'same'; text: string }
  | { type: 'skipped'; count: number };

/** Unchanged lines kept around each change. */
const CONTEXT = 3;

/**
 * The most lines removed plus added that a line diff is worked out for, and
 * the most time spent on it. Values come from the clusters (an object may
 * hold ~400 KB): the diff's cost grows with the square of the lines that
 * differ, and two sides 10,000 lines apart froze the tab for 20 s.
 */
const MAX_EDIT_LENGTH = 1000;
const DIFF_TIMEOUT_MS = 1000;

function lines(value: string): string[] {
  const all = value.split('\n');
  return all[all.length - 1] === '' ? all.slice(0, -1) : all;
}

/**
 * The line diff of two texts, with long unchanged runs shortened to the
 * lines around the changes; undefined when they differ in more lines than
 * a diff is worked out for.
 */
export function diffRows(before: string, after: string): DiffRow[] | undefined {
  const changes = diffLines(before, after, {
    maxEditLength: MAX_EDIT_LENGTH,
    timeout: DIFF_TIMEOUT_MS,
  });
  return changes?.flatMap((change, i): DiffRow[] => {
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
