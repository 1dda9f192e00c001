import { createTheme, getContrastRatio, Theme } from '@material-ui/core/styles';
import { themes } from '@backstage/theme';
import { readableText } from './readableText';

describe('readableText', () => {
  const cases = [
    // The MUI v4 themes Backstage's app renders the plugin with.
    ['light', themes.light.getTheme('v4') as Theme],
    ['dark', themes.dark.getTheme('v4') as Theme],
  ] as const;

  it.each(cases)(
    'gives status and secondary text 4.5:1 on paper and page in the %s theme',
    (_, theme) => {
      for (const color of [
        'warning',
        'info',
        'error',
        'success',
        'secondary',
      ] as const) {
        const text = readableText(theme, color);
        for (const background of [
          theme.palette.background.paper,
          theme.palette.background.default,
        ]) {
          expect(getContrastRatio(text, background)).toBeGreaterThanOrEqual(
            4.5,
          );
        }
      }
    },
  );

  it('darkens the light theme orange that Backstage uses for warnings', () => {
    const theme = cases[0][1];
    expect(
      getContrastRatio(
        theme.palette.warning.dark,
        theme.palette.background.default,
      ),
    ).toBeLessThan(4.5);
    expect(readableText(theme, 'warning')).not.toBe(theme.palette.warning.dark);
  });

  it('measures against a translucent surface as it shows over paper', () => {
    const theme = createTheme({
      palette: {
        background: { paper: '#ffffff', default: '#ffffff' },
        text: { secondary: 'rgba(0, 0, 0, 0.54)' },
      },
    });
    // Half-black over white paper is mid grey, where 54% black is too faint.
    const text = readableText(theme, 'secondary', ['rgba(0, 0, 0, 0.5)']);
    expect(text).not.toBe(theme.palette.text.secondary);
    expect(getContrastRatio(text, '#808080')).toBeGreaterThanOrEqual(4.5);
  });
});
