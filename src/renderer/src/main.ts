/** Renderer entry: global styles, the app, and the studio state. */
import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { isElectron, studio } from './lib/api';
import { browserRunNotifier } from './lib/browser-notifications';
import { prepareFirstLaunch } from './lib/first-launch.svelte';
import { startStudioState, studioState } from './lib/studio-state.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('expected a #app element in index.html');
mount(App, { target });
void startStudioState().then(() => {
  // In a browser the page notifies (Electron's main process does it for the desktop app).
  if (!isElectron) studio.onEvent(browserRunNotifier([...studioState.runs, ...studioState.damagedRuns]));
  return prepareFirstLaunch();
});
