'use strict';
// End-to-end scenarios against a running network/fabric network with the probe chaincode.
// Each scenario returns [{ name, ok }] and prints one "ok - ..." or "not ok - ..." line per check.
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { EndorseError } = require('@hyperledger/fabric-gateway');
const { peer } = require('@hyperledger/fabric-protos');
const { openGateway } = require('./connection');
const { recordedTransaction, validationName } = require('./ledger');

// The Node probe by default; PROBE_CHAINCODE=probe-dotnet runs the same scenarios on the .NET shim.
const CHAINCODE = process.env.PROBE_CHAINCODE || 'probe';
const text = (bytes) => Buffer.from(bytes).toString();
const majorityOf = (n) => Math.floor(n / 2) + 1;
const uniqueKey = (prefix) => `${prefix}-${Date.now()}-${crypto.randomBytes(3).toString('hex')}`;

class Checks {
    constructor() {
        this.results = [];
    }

    async check(name, fn) {
        try {
            await fn();
            this.results.push({ name, ok: true });
            console.log(`ok - ${name}`);
        } catch (err) {
            this.results.push({ name, ok: false });
            console.log(`not ok - ${name}: ${err.message}${err.details ? ' ' + JSON.stringify(err.details) : ''}`);
        }
    }
}

// Connections to every agency whose profile is in the folder (the channel's members).
function openAll(profilesDir) {
    return fs.readdirSync(profilesDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => openGateway(path.join(profilesDir, f)));
}

async function withTimeout(promise, ms, what) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    });
    try {
        return await Promise.race([promise, timeout]);
    } finally {
        clearTimeout(timer);
    }
}

// Another agency's peer commits the block a little after the one that reported the status:
// retry a read on it for a few seconds before calling it a failure.
async function eventually(fn, ms = 15000) {
    const deadline = Date.now() + ms;
    for (;;) {
        try {
            return await fn();
        } catch (err) {
            if (Date.now() > deadline) {
                throw err;
            }
            await new Promise((resolve) => setTimeout(resolve, 250));
        }
    }
}

async function firstEventOf(network, transactionId, startBlock) {
    const events = await network.getChaincodeEvents(CHAINCODE, { startBlock });
    try {
        for await (const event of events) {
            if (event.transactionId === transactionId) {
                return event;
            }
        }
    } finally {
        events.close();
    }
    throw new Error('event stream ended');
}

async function basic({ profilePath, profilesDir }) {
    const t = new Checks();
    const me = openGateway(profilePath);
    const all = openAll(profilesDir);
    const probe = me.network.getContract(CHAINCODE);
    const key = uniqueKey('basic');
    try {
        await t.check('submit returns the contract result', async () => {
            assert.equal(text(await probe.submitTransaction('put', key, 'first')), 'first');
        });
        await t.check('evaluate reads the committed value', async () => {
            assert.equal(text(await probe.evaluateTransaction('get', key)), 'first');
        });
        await t.check(`every agency's gateway reads it (${all.length} agencies)`, async () => {
            for (const c of all) {
                await eventually(async () => assert.equal(
                    text(await c.network.getContract(CHAINCODE).evaluateTransaction('get', key)), 'first', c.profile.agency));
            }
        });

        let status;
        await t.check('endorse, submit, commit status: VALID in a block', async () => {
            const transaction = await probe.newProposal('put', { arguments: [key, 'second'] }).endorse();
            assert.equal(text(transaction.getResult()), 'second');
            status = await (await transaction.submit()).getStatus();
            assert.equal(status.transactionId, transaction.getTransactionId());
            assert.equal(validationName(status.code), 'VALID');
            assert.equal(status.successful, true);
            assert.ok(status.blockNumber > 0n, `block ${status.blockNumber}`);
        });
        await t.check('the ledger records endorsements from a majority of agencies', async () => {
            const recorded = await recordedTransaction(me.network, status.transactionId);
            assert.equal(recorded.validation, 'VALID');
            const agencies = new Set(recorded.endorsers);
            assert.ok(agencies.size >= majorityOf(all.length),
                `endorsed by ${[...agencies].join(', ')}; a majority of ${all.length} is ${majorityOf(all.length)}`);
        });
        await t.check('chaincode event "put" carries the key and value', async () => {
            const event = await withTimeout(firstEventOf(me.network, status.transactionId, status.blockNumber), 30000, 'chaincode event');
            assert.equal(event.eventName, 'put');
            assert.equal(event.blockNumber, status.blockNumber);
            assert.deepEqual(JSON.parse(text(event.payload)), { key, value: 'second' });
        });
        await t.check('two increments endorsed on the same state: one VALID, one MVCC_READ_CONFLICT', async () => {
            const counter = `${key}-counter`;
            const first = await probe.newProposal('increment', { arguments: [counter] }).endorse();
            const second = await probe.newProposal('increment', { arguments: [counter] }).endorse();
            const submitted = [await first.submit(), await second.submit()];
            const codes = (await Promise.all(submitted.map((s) => s.getStatus()))).map((s) => validationName(s.code));
            assert.deepEqual(codes, ['VALID', 'MVCC_READ_CONFLICT']);
            const recorded = await recordedTransaction(me.network, second.getTransactionId());
            assert.equal(recorded.validation, 'MVCC_READ_CONFLICT');
            assert.equal(text(await probe.evaluateTransaction('get', counter)), '1', 'only the valid increment counts');
        });
        await t.check('missing key: evaluate fails with the contract message', async () => {
            await assert.rejects(probe.evaluateTransaction('get', `${key}-absent`), /no value for key/);
        });
        await t.check('unknown function: endorsement fails and nothing is written', async () => {
            await assert.rejects(probe.submitTransaction('nope', key), (err) => err instanceof EndorseError);
            assert.equal(text(await probe.evaluateTransaction('get', key)), 'second');
        });
    } finally {
        all.forEach((c) => c.close());
        me.close();
    }
    return t.results;
}

// The agency of PROFILE joined the running channel: its peer has the ledger and takes part in
// endorsement. args: a key and value written before it joined.
async function joined({ profilePath, profilesDir, args: [key, value] }) {
    const t = new Checks();
    const me = openGateway(profilePath);
    const members = fs.readdirSync(profilesDir).filter((f) => f.endsWith('.json')).length;
    const probe = me.network.getContract(CHAINCODE);
    try {
        await t.check(`the chaincode sees the client as ${me.profile.mspId}`, async () => {
            assert.equal(text(await probe.evaluateTransaction('whoami')), me.profile.mspId);
        });
        await t.check('its peer has the blocks from before it joined', async () => {
            assert.equal(text(await probe.evaluateTransaction('get', key)), value);
        });
        await t.check(`a submit through its gateway is endorsed by a majority of ${members} agencies`, async () => {
            const transaction = await probe.newProposal('put', { arguments: [uniqueKey('joined'), 'x'] }).endorse();
            const status = await (await transaction.submit()).getStatus();
            assert.equal(validationName(status.code), 'VALID');
            const recorded = await recordedTransaction(me.network, transaction.getTransactionId());
            assert.ok(new Set(recorded.endorsers).size >= majorityOf(members), `endorsed by ${recorded.endorsers.join(', ')}`);
        });
    } finally {
        me.close();
    }
    return t.results;
}

// Every agency runs the chaincode package LABEL (after an upgrade) and can still submit.
async function release({ profilesDir, args: [label] }) {
    const t = new Checks();
    const all = openAll(profilesDir);
    try {
        for (const c of all) {
            await t.check(`${c.profile.agency} runs ${label}`, async () => {
                assert.equal(text(await c.network.getContract(CHAINCODE).evaluateTransaction('release')), label);
            });
        }
        await t.check(`submit after the upgrade to ${label}`, async () => {
            const k = uniqueKey('upgraded');
            await all[0].network.getContract(CHAINCODE).submitTransaction('put', k, label);
            await eventually(async () => assert.equal(
                text(await all[all.length - 1].network.getContract(CHAINCODE).evaluateTransaction('get', k)), label));
        });
    } finally {
        all.forEach((c) => c.close());
    }
    return t.results;
}

// Role users (clients/roles/<agency>-<role>.json, certificates issued with a cashtransfer.role
// attribute): the chaincode reads the role and the MSP, and the identity may submit.
async function roles({ profilePath, profilesDir }) {
    const t = new Checks();
    const rolesDir = path.join(profilesDir, 'roles');
    const files = fs.existsSync(rolesDir) ? fs.readdirSync(rolesDir).filter((f) => f.endsWith('.json')).sort() : [];
    await t.check(`role users exist (${files.length})`, async () => assert.ok(files.length > 0, `none in ${rolesDir}`));
    for (const file of files) {
        const role = path.basename(file, '.json').split('-').pop();
        const c = openGateway(path.join(rolesDir, file));
        try {
            await t.check(`${path.basename(file, '.json')}: the chaincode reads role ${role} and MSP ${c.profile.mspId}, and it may submit`, async () => {
                const contract = c.network.getContract(CHAINCODE);
                assert.equal(text(await contract.evaluateTransaction('attribute', 'cashtransfer.role')), role);
                assert.equal(text(await contract.evaluateTransaction('whoami')), c.profile.mspId);
                await contract.submitTransaction('put', uniqueKey(`role-${role}`), role);
            });
        } finally {
            c.close();
        }
    }
    const plain = openGateway(profilePath);
    try {
        await t.check('a cryptogen user has no role attribute', async () => {
            await assert.rejects(plain.network.getContract(CHAINCODE).evaluateTransaction('attribute', 'cashtransfer.role'), /no attribute/);
        });
    } finally {
        plain.close();
    }
    return t.results;
}

// Writes KEY=VALUE (before a restart).
async function write({ profilePath, args: [key, value] }) {
    const t = new Checks();
    const me = openGateway(profilePath);
    try {
        await t.check(`write ${key}`, async () => {
            await me.network.getContract(CHAINCODE).submitTransaction('put', key, value);
        });
    } finally {
        me.close();
    }
    return t.results;
}

// Every agency reads KEY=VALUE and a new submit commits (after a restart).
async function survived({ profilePath, profilesDir, args: [key, value] }) {
    const t = new Checks();
    const all = openAll(profilesDir);
    const me = openGateway(profilePath);
    try {
        for (const c of all) {
            await t.check(`${c.profile.agency} still reads ${key}`, async () => {
                await eventually(async () => assert.equal(
                    text(await c.network.getContract(CHAINCODE).evaluateTransaction('get', key)), value));
            });
        }
        await t.check('a submit commits after the restart', async () => {
            const status = await (await me.network.getContract(CHAINCODE)
                .newProposal('increment', { arguments: [uniqueKey('restart')] }).endorse()).submit();
            assert.equal((await status.getStatus()).code, peer.TxValidationCode.VALID);
        });
    } finally {
        all.forEach((c) => c.close());
        me.close();
    }
    return t.results;
}

const cashtransfer = (context) => require('./cashtransfer')({ ...context, Checks });

module.exports = { basic, joined, release, roles, write, survived, cashtransfer };
