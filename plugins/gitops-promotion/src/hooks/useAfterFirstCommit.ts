import { useEffect, useState } from 'react';

/**
 * False on the first render, true from the next, which React runs in a
 * task of its own once the first has been committed (a browser paints in
 * between): a section below the fold waits until what the user looks at
 * first is on screen.
 */
export function useAfterFirstCommit(): boolean {
  const [after, setAfter] = useState(false);
  useEffect(() => setAfter(true), []);
  return after;
}
