import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// Svelte 5 parses type annotations natively; vitePreprocess adds full TS
// support (enums, `satisfies`) in <script lang="ts"> blocks.
export default {
  preprocess: vitePreprocess(),
};
