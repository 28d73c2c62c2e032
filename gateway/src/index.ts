// Start-up only. Apollo's gateway reports telemetry unless told not to, before it is constructed.
// Written, not read: before Apollo's modules load, whatever the environment says.
// eslint-disable-next-line no-restricted-properties
process.env.APOLLO_TELEMETRY_DISABLED = '1';

const { createLogger, onShutdown, reportListening } = await import('@welfare/kit');
const { gatewayConfig } = await import('./config.js');
const { startGateway } = await import('./gateway.js');

const config = gatewayConfig();
const logger = createLogger('gateway', config.LOG_LEVEL);
const gateway = await startGateway(config, logger);
reportListening(gateway.port);
onShutdown(logger, [() => gateway.stop()]);
