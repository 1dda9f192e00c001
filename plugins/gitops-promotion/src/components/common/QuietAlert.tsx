import Alert, { AlertProps } from '@material-ui/lab/Alert';
import { ReactNode } from 'react';

/**
 * An alert with a part that ticks (an age: "since 5m ago") which is not
 * read out again at every tick: a live `role="alert"` region re-announces
 * any change of its text, every minute here. What it says is the live
 * region, said when it appears or changes; `ticking` sits beside it in
 * the same box, read in turn but never announced.
 */
export function QuietAlert(props: AlertProps & { ticking: ReactNode }) {
  const { ticking, children, ...alert } = props;
  return (
    <Alert {...alert} role="none">
      <div role="alert">{children}</div>
      {ticking}
    </Alert>
  );
}
