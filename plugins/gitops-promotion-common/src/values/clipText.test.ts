import { clipOneLine } from '../chain/oneLine';
import { clipText } from './clipText';

describe('clipText', () => {
  const url = 'https://deploy:S3CRETPASSWORDABCDEFGHIJ@quay.io/v2/app';

  it('never lets a password out when the cut falls inside the URL', () => {
    // Every cut between the `:` and the `@`: cut first, the `@` is gone
    // and the password's start stays.
    for (let pad = 0; pad < url.length; pad++) {
      const text = `${'x'.repeat(300 - pad)} GET ${url}`;
      for (const clipped of [clipText(text, 300), clipOneLine(text, 300)]) {
        expect(clipped).not.toMatch(/S3C|deploy:S/);
        expect(clipped.length).toBeLessThanOrEqual(300);
      }
    }
  });

  it('keeps short text as it is and ends a cut with an ellipsis', () => {
    expect(clipText('pull failed', 300)).toBe('pull failed');
    expect(clipText('abcdef', 4)).toBe('abc…');
    expect(clipText(`GET ${url}`, 300)).toBe(
      'GET https://deploy:<redacted>@quay.io/v2/app',
    );
  });
});
