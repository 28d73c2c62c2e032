import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // `node build/index.js` with PORT, HOST and ORIGIN.
    adapter: adapter({ out: 'build' }),
    // csrf.checkOrigin stays on (the default): form posts from other origins are refused.
  },
};

export default config;
