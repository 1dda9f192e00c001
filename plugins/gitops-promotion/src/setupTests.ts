import '@testing-library/jest-dom';

// Each test renders the whole app (renderInTestApp) and walks the tab like a
// user: 1-3 s on an idle 2-core machine, over 5 s (Jest's default) when
// other jobs share it. The tests assert behaviour, not speed.
jest.setTimeout(30_000);
