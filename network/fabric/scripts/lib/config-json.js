'use strict';
// JSON steps of a channel configuration update, between configtxlator's decode and encode:
//   extract-config BLOCK.json OUT.json              the channel config inside a config block
//   add-org CONFIG.json MSPID ORG.json OUT.json      config with one more application organisation
//   wrap-update UPDATE.json CHANNEL OUT.json         a config update as an envelope to sign and submit
const fs = require('node:fs');

const read = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));
const write = (f, value) => fs.writeFileSync(f, JSON.stringify(value, null, 2));

const commands = {
    'extract-config'(blockFile, out) {
        write(out, read(blockFile).data.data[0].payload.data.config);
    },
    'add-org'(configFile, mspId, orgFile, out) {
        const config = read(configFile);
        const orgs = config.channel_group.groups.Application.groups;
        if (orgs[mspId]) {
            throw new Error(`${mspId} is already a member of the channel`);
        }
        orgs[mspId] = read(orgFile);
        write(out, config);
    },
    'wrap-update'(updateFile, channel, out) {
        write(out, {
            payload: {
                // HeaderType 2 = CONFIG_UPDATE
                header: { channel_header: { channel_id: channel, type: 2 } },
                data: { config_update: read(updateFile) },
            },
        });
    },
};

const [command, ...args] = process.argv.slice(2);
if (!commands[command]) {
    console.error(`usage: config-json.js (${Object.keys(commands).join(' | ')}) ARGS...`);
    process.exit(2);
}
try {
    commands[command](...args);
} catch (err) {
    console.error(`config-json ${command}: ${err.message}`);
    process.exit(1);
}
