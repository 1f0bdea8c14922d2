/** Renderer entry: global styles, the app, and the studio state. */
import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { prepareFirstLaunch } from './lib/first-launch.svelte';
import { startStudioState } from './lib/studio-state.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('expected a #app element in index.html');
mount(App, { target });
void startStudioState().then(prepareFirstLaunch);
