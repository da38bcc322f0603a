// Moved to src/demo/ so the playground (npm run demo) shares it with the fakes.
export * from '../../src/demo/loopback.ts';
