import { useEffect, useState } from 'react';

const isVisible = () => document.visibilityState !== 'hidden';

/** Whether the browser tab is shown: polling pauses while it is hidden. */
export function usePageVisible(): boolean {
  const [visible, setVisible] = useState(isVisible);
  useEffect(() => {
    const onChange = () => setVisible(isVisible());
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);
  return visible;
}
