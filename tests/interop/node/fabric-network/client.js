'use strict';
// Node Gateway client (@hyperledger/fabric-gateway) for the real-network test tier.
//   node client.js PROFILE ready CC [SECONDS]           exit 0 once every agency (profiles beside PROFILE)
//                                                       has evaluated and submitted through its gateway
//   node client.js PROFILE submit|evaluate CC FN ARG... print the result
//   node client.js PROFILE scenario NAME ARG...         run checks, print "ok - ..." / "not ok - ..."
//   node client.js PROFILE bench CC [COUNT] [WORKERS]   rough throughput figures (not a test)
// PROFILE is an agency's client profile; the other agencies' profiles sit in the same folder.
const fs = require('node:fs');
const path = require('node:path');
const { openGateway } = require('./connection');
const scenarios = require('./scenarios');

// Retries, agency by agency, an evaluate and a submit through each agency's own gateway until
// both succeed: a submit needs the other agencies' peers, which gossip and discovery must know.
async function ready(profilesDir, chaincode, timeoutSeconds) {
    const deadline = Date.now() + timeoutSeconds * 1000;
    const profiles = fs.readdirSync(profilesDir).filter((f) => f.endsWith('.json')).sort();
    for (const file of profiles) {
        const connection = openGateway(path.join(profilesDir, file));
        try {
            const contract = connection.network.getContract(chaincode);
            for (;;) {
                try {
                    await contract.evaluateTransaction('release');
                    await contract.submitTransaction('put', `ready-${connection.profile.agency}`, new Date().toISOString());
                    break;
                } catch (err) {
                    if (Date.now() > deadline) {
                        console.error(`${connection.profile.agency} not ready: ${err.message}`);
                        return 1;
                    }
                    await new Promise((resolve) => setTimeout(resolve, 1000));
                }
            }
        } finally {
            connection.close();
        }
    }
    return 0;
}

// Figures for the README, not a test: sequential evaluates and submits, then concurrent submits.
async function bench(profilePath, chaincode, count, concurrency) {
    const connection = openGateway(profilePath);
    const contract = connection.network.getContract(chaincode);
    const p50 = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const timed = async (fn) => {
        const start = process.hrtime.bigint();
        await fn();
        return Number(process.hrtime.bigint() - start) / 1e6;
    };
    try {
        const run = `bench-${Date.now()}`;
        for (const [label, fn] of [
            ['evaluate, sequential', () => contract.evaluateTransaction('release')],
            ['submit, sequential', (i) => contract.submitTransaction('put', `${run}-s-${i}`, 'x')],
        ]) {
            const latencies = [];
            const start = Date.now();
            for (let i = 0; i < count; i++) {
                latencies.push(await timed(() => fn(i)));
            }
            console.log(`${label}: ${count} in ${Date.now() - start} ms, ${(count * 1000 / (Date.now() - start)).toFixed(1)}/s, p50 ${p50(latencies).toFixed(0)} ms`);
        }
        const latencies = [];
        const start = Date.now();
        await Promise.all(Array.from({ length: concurrency }, (_, w) => (async () => {
            for (let i = 0; i < count; i++) {
                latencies.push(await timed(() => contract.submitTransaction('put', `${run}-c-${w}-${i}`, 'x')));
            }
        })()));
        const total = count * concurrency;
        console.log(`submit, ${concurrency} concurrent: ${total} in ${Date.now() - start} ms, ${(total * 1000 / (Date.now() - start)).toFixed(1)}/s, p50 ${p50(latencies).toFixed(0)} ms`);
        return 0;
    } finally {
        connection.close();
    }
}

async function main(argv) {
    const [profilePath, command, ...args] = argv;
    if (!profilePath || !command) {
        throw new Error('usage: client.js PROFILE (ready CC [SECONDS] | submit CC FN ARG... | evaluate CC FN ARG... | scenario NAME ARG...)');
    }
    if (command === 'scenario') {
        const [name, ...rest] = args;
        const scenario = scenarios[name];
        if (!scenario) {
            throw new Error(`unknown scenario ${name}; known: ${Object.keys(scenarios).join(', ')}`);
        }
        const results = await scenario({ profilePath, profilesDir: path.dirname(profilePath), args: rest });
        const failed = results.filter((r) => !r.ok).length;
        console.log(`# ${name}: ${results.length - failed} passed, ${failed} failed`);
        return failed === 0 ? 0 : 1;
    }
    if (command === 'bench') {
        return bench(profilePath, args[0], Number(args[1] ?? 50), Number(args[2] ?? 20));
    }
    if (command === 'ready') {
        return ready(path.dirname(profilePath), args[0], Number(args[1] ?? 60));
    }
    const connection = openGateway(profilePath);
    try {
        const [chaincode, fn, ...fnArgs] = args;
        const contract = connection.network.getContract(chaincode);
        switch (command) {
            case 'submit':
                console.log(Buffer.from(await contract.submitTransaction(fn, ...fnArgs)).toString());
                return 0;
            case 'evaluate':
                console.log(Buffer.from(await contract.evaluateTransaction(fn, ...fnArgs)).toString());
                return 0;
            default:
                throw new Error(`unknown command ${command}`);
        }
    } finally {
        connection.close();
    }
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
        console.error(`error: ${err.message}${err.details ? ' ' + JSON.stringify(err.details) : ''}`);
        process.exit(1);
    },
);
