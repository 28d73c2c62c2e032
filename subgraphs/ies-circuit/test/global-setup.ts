export { vitestGlobalSetup as default } from '@welfare/kit/testing';
