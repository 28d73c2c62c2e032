export { vitestGlobalSetup as default } from '../src/testing.js';
