import Button from '@material-ui/core/Button';
import { ReactNode, useId, useState } from 'react';

/**
 * A button that shows or hides what `children` renders, mounted only while
 * shown (so what it fetches is fetched on demand).
 */
export function ExpandableSection(props: {
  showLabel: string;
  hideLabel: string;
  initiallyOpen?: boolean;
  children: () => ReactNode;
}) {
  const [open, setOpen] = useState(props.initiallyOpen ?? false);
  const id = useId();
  return (
    <div>
      <Button
        size="small"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(o => !o)}
      >
        {open ? props.hideLabel : props.showLabel}
      </Button>
      <div id={id}>{open && props.children()}</div>
    </div>
  );
}
