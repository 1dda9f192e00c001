import {
  Theme,
  darken,
  decomposeColor,
  getContrastRatio,
  lighten,
  recomposeColor,
} from '@material-ui/core/styles';

/** WCAG 2 AA for body text. */
const MIN_CONTRAST = 4.5;

/** A translucent colour as it shows over an opaque background. */
function over(color: string, background: string): string {
  const { values } = decomposeColor(color);
  const alpha = values[3] ?? 1;
  if (alpha >= 1) return color;
  const base = decomposeColor(background).values;
  return recomposeColor({
    type: 'rgb',
    values: [0, 1, 2].map(i =>
      Math.round(values[i] * alpha + base[i] * (1 - alpha)),
    ) as [number, number, number],
  });
}

/**
 * A status or secondary text colour that reaches 4.5:1 on the surfaces it
 * sits on (paper and page background unless told), in either theme. The
 * palette's own shades do not: Backstage's orange warning and grey
 * secondary text fall below AA on its light page background.
 */
export function readableText(
  theme: Theme,
  color: 'warning' | 'info' | 'error' | 'success' | 'secondary',
  surfaces: string[] = [
    theme.palette.background.paper,
    theme.palette.background.default,
  ],
): string {
  const dark = theme.palette.type === 'dark';
  const backgrounds = surfaces.map(s =>
    over(s, theme.palette.background.paper),
  );
  const start =
    color === 'secondary'
      ? theme.palette.text.secondary
      : theme.palette[color][dark ? 'light' : 'dark'];
  const contrast = (text: string) =>
    Math.min(...backgrounds.map(b => getContrastRatio(over(text, b), b)));
  let text = start;
  // Move towards white on dark surfaces, black on light ones, until readable.
  for (let step = 1; contrast(text) < MIN_CONTRAST && step <= 10; step++) {
    text = dark
      ? lighten(over(start, backgrounds[0]), step / 10)
      : darken(over(start, backgrounds[0]), step / 10);
  }
  return text;
}
