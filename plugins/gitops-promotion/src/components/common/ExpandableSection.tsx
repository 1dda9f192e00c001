import Button from '@material-ui/core/Button';
import { ReactNode, useId, useState } from 'react';

/**
 * A button that shows or hides what `children` renders, mounted only while
 * shown (so what it fetches is fetched on demand). `describedBy` names what
 * it belongs to (a drawer has a "Show events" per object).
 */
export function ExpandableSection(props: {
  showLabel: string;
  hideLabel: string;
  initiallyOpen?: boolean;
  describedBy?: string;
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
        aria-describedby={props.describedBy}
        onClick={() => setOpen(o => !o)}
      >
        {open ? props.hideLabel : props.showLabel}
      </Button>
      <div id={id}>{open && props.children()}</div>
    </div>
  );
}
