'use strict';
// Node Gateway client (@hyperledger/fabric-gateway) for the real-network test tier.
//   node client.js PROFILE ready CHAINCODE              exit 0 once a submit and an evaluate succeed
//   node client.js PROFILE submit|evaluate CC FN ARG... print the result
//   node client.js PROFILE scenario NAME ARG...         run checks, print "ok - ..." / "not ok - ..."
// PROFILE is an agency's client profile; the other agencies' profiles sit in the same folder.
const path = require('node:path');
const { openGateway } = require('./connection');
const scenarios = require('./scenarios');

async function main(argv) {
    const [profilePath, command, ...args] = argv;
    if (!profilePath || !command) {
        throw new Error('usage: client.js PROFILE (ready CC | submit CC FN ARG... | evaluate CC FN ARG... | scenario NAME ARG...)');
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
    const connection = openGateway(profilePath);
    try {
        const [chaincode, fn, ...fnArgs] = args;
        const contract = connection.network.getContract(chaincode);
        switch (command) {
            case 'ready': {
                await contract.evaluateTransaction('release');
                await contract.submitTransaction('put', `ready-${connection.profile.agency}`, new Date().toISOString());
                return 0;
            }
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
