// Moved to src/demo/ so the playground (npm run demo) answers Belay's metric queries as the tests do.
export * from '../../src/demo/prometheus-server.ts';
