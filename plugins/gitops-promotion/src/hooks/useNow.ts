import { useEffect, useState } from 'react';

/** The current time, renewed every `periodMs`, for "for 3h" and "5s ago" texts. */
export function useNow(periodMs: number): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(timer);
  }, [periodMs]);
  return now;
}
