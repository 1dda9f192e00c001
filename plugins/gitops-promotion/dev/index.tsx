import { createApp } from '@backstage/frontend-defaults';
import ReactDOM from 'react-dom/client';

import plugin from '../src';

// The plugin in a bare app (`yarn start` in this folder). Not
// @backstage/frontend-dev-utils: the registry serves no release of it for
// frontend-plugin-api 1.x yet.
ReactDOM.createRoot(document.getElementById('root')!).render(
  createApp({ features: [plugin] }).createRoot(),
);
