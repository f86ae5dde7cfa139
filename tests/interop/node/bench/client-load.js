'use strict';
// The Node side of benchmarks/Fabric.Client.Benchmarks: @hyperledger/fabric-gateway drives one kind of call
// at a fixed number of calls in flight, first for a warm-up, then for a timed window, and prints one JSON line
// {"calls": n, "errors": n, "seconds": s, "firstError": "..."}. The .NET side runs the same loop with Fabric.Client.
// Arguments: evaluate|submit <in-flight> <warm-up seconds> <seconds> <key prefix>. Connection settings come from
// the environment as for the conformance scripts (PEER_ADDRESS, ..., CHANNEL, CHAINCODE).
const { setting, runWithGateway } = require('../conformance/gateway-connection');

const [mode, inFlightText, warmUpText, secondsText, prefix] = process.argv.slice(2);
const inFlight = Number.parseInt(inFlightText, 10);
const warmUpMs = Number.parseFloat(warmUpText) * 1000;
const windowMs = Number.parseFloat(secondsText) * 1000;
if (!['evaluate', 'submit'].includes(mode) || !(inFlight > 0) || !(windowMs > 0) || !prefix) {
    throw new Error('usage: client-load.js evaluate|submit <in-flight> <warm-up seconds> <seconds> <key prefix>');
}

runWithGateway(async (gateway) => {
    const contract = gateway.getNetwork(setting('CHANNEL')).getContract(setting('CHAINCODE'));
    // evaluate reads one seeded key; submit writes a fresh key per call (no read conflicts), waiting for its commit.
    const call = mode === 'evaluate'
        ? () => contract.evaluateTransaction('Get', 'seed')
        : (worker, i) => contract.submitTransaction('Put', `${prefix}-${worker}-${i}`, 'v');

    async function run(phase, durationMs) {
        const end = performance.now() + durationMs;
        let calls = 0;
        let errors = 0;
        let firstError = '';
        const start = performance.now();
        await Promise.all(Array.from({ length: inFlight }, async (_, worker) => {
            for (let i = 0; performance.now() < end; i++) {
                try {
                    await call(worker, `${phase}-${i}`);
                    calls++;
                } catch (error) {
                    errors++;
                    firstError ||= `${error.constructor.name}: ${error.message}`;
                }
            }
        }));
        return { calls, errors, seconds: (performance.now() - start) / 1000, firstError };
    }

    await run('warm', warmUpMs);
    return run('timed', windowMs);
});
