// Compiles the messages in messages/*.json into src/lib/paraglide (before svelte-check or eslint).
import { compile } from '@inlang/paraglide-js';
import { paraglideOptions } from '../paraglide.config.js';

await compile(paraglideOptions);
