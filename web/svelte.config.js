import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * The SHA-256 of the inline style of SvelteKit's route announcer (`position: absolute; left: 0;
 * …; height: 1px`, in @sveltejs/kit's src/core/sync/write_root.js). security-headers.spec.ts
 * checks it against the installed SvelteKit.
 */
export const ANNOUNCER_STYLE_HASH = 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo=';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // `node build/index.js` with PORT, HOST and ORIGIN.
    adapter: adapter({ out: 'build' }),
    // csrf.checkOrigin stays on (the default): form posts from other origins are refused.
    // The pages' Content-Security-Policy header: SvelteKit adds a fresh nonce to it for its own
    // inline start-up script ('auto': hashes for prerendered pages, of which there are none).
    // Why each value: src/lib/server/security-headers.ts, which sets the other headers and a
    // policy for the responses that are not pages.
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self'],
        // No inline style attribute either, but the one SvelteKit writes itself on the route
        // announcer (`#svelte-announcer`, its generated root component), allowed by its hash.
        'style-src-attr': ['unsafe-hashes', ANNOUNCER_STYLE_HASH],
        'img-src': ['self', 'data:'],
        // Bootstrap Italia's CSS embeds Video.js's icon font as a data: URL (a font runs nothing).
        'font-src': ['self', 'data:'],
        'connect-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};

export default config;
