// @ts-check
import { defineConfig } from 'vitest/config';

// Unit tests of pure server helpers (no SvelteKit runtime needed).
export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts'],
    environment: 'node',
  },
});
