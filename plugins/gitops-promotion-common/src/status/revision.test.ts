import { shortRevision } from './revision';

describe('shortRevision', () => {
  it.each([
    ['main@sha1:06a5a134c3b4d1a0f6fb4c1e5f9b7a2d8e3c1f00', 'main@06a5a13'],
    [
      'refs/tags/v1.2.0@sha1:06a5a134c3b4d1a0f6fb4c1e5f9b7a2d8e3c1f00',
      'refs/tags/v1.2.0@06a5a13',
    ],
    // As Flux writes a tag (the last part of refs/tags/v1.3.0): a tag can
    // be moved, so its commit stays.
    ['v1.3.0@sha1:06a5a134c3b4d1a0f6fb4c1e5f9b7a2d8e3c1f00', 'v1.3.0@06a5a13'],
    ['sha1:06a5a134c3b4d1a0f6fb4c1e5f9b7a2d8e3c1f00', '06a5a13'],
    [
      '6.7.1-p01@sha256:985e8d8f8a0c4e0e2d7d8b6f36ae1e1bc7f4e5b8c8d2e5a2d1c3b4a5f6e7d8c9',
      '6.7.1-p01',
    ],
    // A moving tag keeps its digest: two pushes of latest are not one version.
    [
      'latest@sha256:985e8d8f8a0c4e0e2d7d8b6f36ae1e1bc7f4e5b8c8d2e5a2d1c3b4a5f6e7d8c9',
      'latest@985e8d8',
    ],
    [
      'v1.2.3@sha256:985e8d8f8a0c4e0e2d7d8b6f36ae1e1bc7f4e5b8c8d2e5a2d1c3b4a5f6e7d8c9',
      'v1.2.3',
    ],
    [
      'sha256:6b4b5a3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a',
      'sha256:6b4b5a3c2d1e',
    ],
    ['6.6.2+4a3b2c1d0e9f', '6.6.2+4a3b2c1d0e9f'],
    ['2.4.0', '2.4.0'],
    ['main/06a5a134c3b4d1a0f6fb4c1e5f9b7a2d8e3c1f00', 'main@06a5a13'],
  ])('%s → %s', (revision, short) => {
    expect(shortRevision(revision)).toBe(short);
  });
});
