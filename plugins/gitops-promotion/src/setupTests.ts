import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Each test renders the whole app (renderInTestApp) and walks the tab like a
// user: 1-3 s on an idle 2-core machine, over 5 s (Jest's default) when
// other jobs share it. The tests assert behaviour, not speed.
jest.setTimeout(30_000);
// For the same reason findBy* and waitFor wait up to 5 s, not 1 s: the
// drawer of a 50-cluster cell renders for over a second on a loaded machine.
configure({ asyncUtilTimeout: 5_000 });
