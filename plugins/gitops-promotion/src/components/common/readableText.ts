import { Theme } from '@material-ui/core/styles';

/**
 * A status colour readable as text in both themes: the `main` shades are
 * too light on white (orange warning text) or too dark on the dark theme.
 */
export function readableText(
  theme: Theme,
  color: 'warning' | 'info' | 'error' | 'success',
): string {
  const shades = theme.palette[color];
  return theme.palette.type === 'dark' ? shades.light : shades.dark;
}
