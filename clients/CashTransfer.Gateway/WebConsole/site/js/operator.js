// The operator's page: programmes and budget used, entitlement uploads with live progress, retailers and terminals,
// settlements, journal anomalies. Every list comes from the REST API with the session cookie.
import { Api, attempt, currentSession, report, showSession } from './api.js';
import { allItems, button, fillSelect, fillTable, when } from './dom.js';
import { chartValue, formatMoney, percent, share } from './money.js';

const api = new Api(await currentSession());
showSession(api);
const $ = selector => document.querySelector(selector);

// Programmes and budget used ---------------------------------------------------------------------------------
let budgetChart;

async function loadProgrammes() {
  const status = $('#programme-status');
  const programmes = await attempt(status, () => allItems(api, '/api/operator/programmes?pageSize=100'));
  if (!programmes) return;
  fillTable($('#programme-table'), programmes, p => [
    p.programmeId, p.status, formatMoney(p.budgetMinor, p.currency), formatMoney(p.issuedMinor, p.currency), share(p.issuedMinor, p.budgetMinor),
  ], 'Your agency has no programmes yet.');
  fillSelect($('#upload-programme'), programmes.filter(p => p.status === 'Active').map(p => p.programmeId));
  // Budget used in money: budgets are often far larger than what has been issued so far, so the share is in the table.
  const data = {
    labels: programmes.map(p => `${p.programmeId} (${p.currency})`),
    datasets: [{ label: 'Issued (budget used)', data: programmes.map(p => chartValue(p.issuedMinor, p.currency)), backgroundColor: '#1f6fb2' }],
  };
  if (budgetChart) {
    budgetChart.data = data;
    budgetChart.update();
  } else {
    budgetChart = new Chart($('#budget-chart'), {
      type: 'bar',
      data,
      options: { indexAxis: 'y', maintainAspectRatio: false, animation: false, scales: { x: { beginAtZero: true } } },
    });
  }
  report(status, `${programmes.length} programme(s).`);
}

// Entitlement upload with live progress -------------------------------------------------------------------------
const finished = new Set(['completed', 'failed']);

function showJob(job) {
  const bar = $('#upload-bar');
  bar.max = Math.max(job.totalRows, 1);
  bar.value = job.processedRows;
  report($('#upload-counts'), `${job.status}: ${job.processedRows} of ${job.totalRows} rows processed · ${job.issuedRows} issued · ${job.failedRows} failed` +
    (job.error ? ` · ${job.error}` : ''), job.status === 'failed');
  $('#upload-progress').dataset.status = job.status;
  if (job.status === 'completed') {
    const link = $('#upload-results');
    link.href = job.resultsUrl;
    link.download = `${job.jobId}.results.csv`;
    link.hidden = false;
  }
}

async function followJob(jobId) {
  for (;;) {
    const job = await attempt($('#upload-status'), () => api.get(`/api/operator/entitlement-uploads/${encodeURIComponent(jobId)}`));
    if (!job) return;
    showJob(job);
    if (finished.has(job.status)) return job;
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

$('#upload-form').addEventListener('submit', async event => {
  event.preventDefault();
  const file = $('#upload-file').files[0];
  const programmeId = $('#upload-programme').value, cycle = $('#upload-cycle').value.trim();
  const type = file.name.toLowerCase().endsWith('.json') ? 'application/json' : 'text/csv';
  const status = $('#upload-status');
  $('#upload-progress').hidden = false;
  $('#upload-results').hidden = true;
  $('#upload-start').disabled = true;
  report(status, `Sending ${file.name}…`);
  const job = await attempt(status, () => api.upload(
    `/api/operator/entitlement-uploads?programmeId=${encodeURIComponent(programmeId)}&cycle=${encodeURIComponent(cycle)}`, file, type,
    (sent, total) => report($('#upload-counts'), `Sending: ${percent(sent, total || 1)}% of ${file.size} bytes`)));
  if (job) {
    report(status, `Upload ${job.jobId} accepted; issuing on the ledger…`);
    const done = await followJob(job.jobId);
    if (done) report(status, `Upload ${done.jobId} ${done.status}.`, done.status === 'failed');
    await loadProgrammes();
  }
  $('#upload-start').disabled = false;
});

// Retailers and terminals ---------------------------------------------------------------------------------------
let retailers = [];

async function loadRetailers() {
  const listed = await attempt($('#retailer-status'), () => allItems(api, '/api/operator/retailers?pageSize=200'));
  if (!listed) return;
  retailers = listed;
  showRetailers();
  const ids = retailers.map(r => r.retailerId);
  fillSelect($('#terminal-retailer'), ids);
  fillSelect($('#settlement-retailer'), ids);
}

function showRetailers() {
  fillTable($('#retailer-table'), retailers, r => [
    r.retailerId, r.registeredBy, r.status, statusButton(r.status, action => changeRetailer(r, action)),
  ], 'No retailers yet.');
}

// Suspend or reactivate, the same for a terminal and a retailer: the action's answer is the ledger's new record.
function statusButton(current, change) {
  return current === 'Active' ? button('Suspend', () => change('suspend'), 'small danger') : button('Reactivate', () => change('reactivate'));
}

async function changeStatus(kind, path, id, action) {
  const status = $('#retailer-status');
  report(status, `${action === 'suspend' ? 'Suspending' : 'Reactivating'} ${id}…`);
  const result = await attempt(status, () => api.post(`/api/operator/${path}/${encodeURIComponent(id)}/${action}`));
  if (result) report(status, `${kind} ${id} is now ${result.status}.`);
  return result;
}

async function changeRetailer(retailer, action) {
  const result = await changeStatus('Retailer', 'retailers', retailer.retailerId, action);
  if (!result) return;
  // The list is the service's read model, which follows the ledger's event a moment later: show the ledger's answer now.
  retailers = retailers.map(r => (r.retailerId === result.retailerId ? result : r));
  showRetailers();
}

async function changeTerminal(terminal, action) {
  await changeStatus('Terminal', 'terminals', terminal.terminalId, action);
  await loadTerminals();
}

async function loadTerminals() {
  const terminals = await attempt($('#retailer-status'), () => allItems(api, '/api/operator/terminals?pageSize=200'));
  if (!terminals) return;
  fillTable($('#terminal-table'), terminals, t => [
    t.terminalId, t.retailerId, t.status, `v${t.keyVersion}`,
    statusButton(t.status, action => changeTerminal(t, action)),
  ], 'No terminals yet.');
}

$('#retailer-form').addEventListener('submit', async event => {
  event.preventDefault();
  const status = $('#retailer-status');
  const retailerId = $('#retailer-id').value.trim();
  const categories = $('#retailer-categories').value.split(',').map(c => c.trim()).filter(Boolean);
  const result = await attempt(status, () => api.post('/api/operator/retailers', { retailerId, categories }));
  if (!result) return;
  report(status, `Retailer ${retailerId} registered.`);
  event.target.reset();
  setTimeout(loadRetailers, 1000); // the list follows the ledger's event
});

$('#terminal-form').addEventListener('submit', async event => {
  event.preventDefault();
  const status = $('#retailer-status');
  const body = { terminalId: $('#terminal-id').value.trim(), retailerId: $('#terminal-retailer').value, publicKeyPem: $('#terminal-key').value.trim() };
  const result = await attempt(status, () => api.post('/api/operator/terminals', body));
  if (!result) return;
  report(status, `Terminal ${result.terminalId} registered.`);
  event.target.reset();
  await loadTerminals();
});

// Settlements -------------------------------------------------------------------------------------------------------
async function loadSettlements() {
  const retailerId = $('#settlement-retailer').value;
  if (!retailerId) return;
  const settlements = await attempt($('#settlement-status'), () => allItems(api, `/api/operator/retailers/${encodeURIComponent(retailerId)}/settlements?pageSize=100`));
  if (!settlements) return;
  fillTable($('#settlement-table'), settlements, s => [
    s.settlementId, s.agencyMsp, s.paymentReference, when(s.cutOff), s.totals.map(t => formatMoney(t.minor, t.currency)).join(', '), String(s.redemptionIds.length),
  ], `No settlements with ${retailerId} yet.`);
}

$('#settlement-retailer').addEventListener('change', loadSettlements);
$('#settlement-form').addEventListener('submit', async event => {
  event.preventDefault();
  const status = $('#settlement-status');
  const body = {
    settlementId: $('#settlement-id').value.trim(), retailerId: $('#settlement-retailer').value,
    cutOff: new Date(Date.now() - 1000).toISOString(), paymentReference: $('#settlement-reference').value.trim(),
  };
  const result = await attempt(status, () => api.post('/api/operator/settlements', body));
  if (!result) return;
  report(status, `Settlement ${result.settlementId} recorded: ${result.totals.map(t => formatMoney(t.minor, t.currency)).join(', ') || 'nothing was owed'}.`);
  event.target.reset();
  await loadSettlements();
});

// Journal anomalies -------------------------------------------------------------------------------------------------
async function loadAnomalies() {
  const anomalies = await attempt($('#anomaly-status'), () => api.get('/api/operator/journal-anomalies'));
  if (!anomalies) return;
  fillTable($('#anomaly-table'), anomalies, a => [when(a.detectedAt), a.terminalId, a.kind, String(a.expectedSequence), String(a.receivedSequence)],
    'No gaps or forks detected.');
}

await Promise.all([loadProgrammes(), loadRetailers().then(loadSettlements), loadTerminals(), loadAnomalies()]);
document.body.dataset.ready = 'true';
