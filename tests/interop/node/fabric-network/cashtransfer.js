'use strict';
// CashTransfer contract (C#, chaincode/CashTransfer.Chaincode) on the real network, through the
// official Node Gateway client and the role users of network/fabric (clients/roles/*.json):
// a programme owned by the first agency, entitlements under its budget, ownership and role checks,
// the key-level endorsement of the owner, and the auditor's paginated view.
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { openGateway } = require('./connection');
const { recordedTransaction } = require('./ledger');

const CHAINCODE = 'cashtransfer';
const text = (bytes) => Buffer.from(bytes).toString();
const json = (bytes) => JSON.parse(text(bytes));
const beneficiary = () => crypto.randomBytes(32).toString('hex');

module.exports = async function cashtransfer({ profilePath, profilesDir, Checks }) {
    const t = new Checks();
    const agencies = fs.readdirSync(profilesDir).filter((f) => f.endsWith('.json')).map((f) => path.basename(f, '.json')).sort();
    const owner = path.basename(profilePath, '.json');
    const other = agencies.find((a) => a !== owner);
    const open = (agency, role) => openGateway(path.join(profilesDir, 'roles', `${agency}-${role}.json`));
    const operator = open(owner, 'operator');
    const otherOperator = open(other, 'operator');
    const auditor = open(owner, 'auditor');
    const plain = openGateway(profilePath);
    const contract = (c) => c.network.getContract(CHAINCODE);
    const programmeId = `ft-${Date.now()}-${crypto.randomBytes(2).toString('hex')}`;
    const now = Date.now();
    try {
        await t.check(`${owner}'s operator creates programme ${programmeId}`, async () => {
            const created = json(await contract(operator).submitTransaction('Programme:CreateProgramme', JSON.stringify({
                programmeId,
                budget: { minor: 100000, currency: 'USD' },
                validFrom: new Date(now - 3600000).toISOString(),
                validUntil: new Date(now + 30 * 86400000).toISOString(),
                priority: 1,
                restriction: { kind: 'Cash', categories: [] },
                allowedRetailers: [],
            })));
            assert.equal(created.programmeId, programmeId);
        });

        let issued;
        await t.check('entitlements are issued under the budget, endorsed by the owner and a majority', async () => {
            const proposal = contract(operator).newProposal('Entitlement:IssueEntitlements', {
                arguments: [JSON.stringify({
                    programmeId,
                    cycle: '2026-11',
                    grants: [{ beneficiaryHash: beneficiary(), amountMinor: 5000 }, { beneficiaryHash: beneficiary(), amountMinor: 7000 }],
                })],
            });
            const transaction = await proposal.endorse();
            issued = json(transaction.getResult());
            const status = await (await transaction.submit()).getStatus();
            assert.equal(status.successful, true, `validation code ${status.code}`);
            assert.equal(issued.issuedCount, 2);
            assert.equal(issued.issuedTotal.minor, 12000);
            assert.equal(issued.budgetRemaining.minor, 88000);
            const recorded = await recordedTransaction(operator.network, transaction.getTransactionId());
            const msp = operator.profile.mspId;
            assert.ok(recorded.endorsers.includes(msp), `owner ${msp} among endorsers ${recorded.endorsers.join(', ')}`);
            assert.ok(new Set(recorded.endorsers).size >= Math.floor(agencies.length / 2) + 1, `endorsers ${recorded.endorsers.join(', ')}`);
        });

        await t.check(`${other}'s operator may not change ${owner}'s programme (403)`, async () => {
            await assert.rejects(
                contract(otherOperator).submitTransaction('Programme:SetProgrammeStatus', programmeId, 'Suspended'),
                (err) => /403|belongs to/.test(err.message + JSON.stringify(err.details ?? [])),
            );
        });

        await t.check('a user without a role may not create a programme (403)', async () => {
            await assert.rejects(
                contract(plain).submitTransaction('Programme:CreateProgramme', JSON.stringify({ programmeId: `${programmeId}-x` })),
                (err) => /403|role/.test(err.message + JSON.stringify(err.details ?? [])),
            );
        });

        await t.check("the auditor pages through the programme's entitlements", async () => {
            const page = json(await contract(auditor).evaluateTransaction('Query:GetProgrammeEntitlements', programmeId, '2026-11', '1', ''));
            assert.equal(page.items.length, 1);
            assert.notEqual(page.bookmark, '');
            const rest = json(await contract(auditor).evaluateTransaction('Query:GetProgrammeEntitlements', programmeId, '2026-11', '10', page.bookmark));
            assert.equal(rest.items.length, 1);
            const total = [...page.items, ...rest.items].reduce((sum, e) => sum + e.balance, 0);
            assert.equal(total, 12000);
        });
    } finally {
        [operator, otherOperator, auditor, plain].forEach((c) => c.close());
    }
    return t.results;
};
