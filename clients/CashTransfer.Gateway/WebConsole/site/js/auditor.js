// The auditor's dashboard: redemptions per day per programme, payable against settled per retailer, the service's
// outbox health, and the reconciliation reports when the service offers them. Read-only: an auditor changes nothing.
import { Api, attempt, currentSession, report, showSession } from './api.js';
import { allItems, fillTable } from './dom.js';
import { chartValue, formatMoney } from './money.js';

const api = new Api(await currentSession());
showSession(api);
const $ = selector => document.querySelector(selector);
const palette = ['#1f6fb2', '#d9822b', '#2e8b57', '#8e44ad', '#c0392b', '#16a085', '#7f8c8d'];

// Redemptions per day per programme ----------------------------------------------------------------------------------
let dailyChart;

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

async function loadDaily() {
  const from = $('#period-from').value, to = $('#period-to').value;
  const status = $('#daily-status');
  // The period is whole UTC days: from the start of `from` to the end of `to`.
  const end = new Date(`${to}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  const rows = await attempt(status, () => api.get(`/api/audit/daily-redemptions?from=${from}T00:00:00Z&to=${end.toISOString()}`));
  if (!rows) return;
  fillTable($('#daily-table'), rows, r => [r.day, r.programmeId, String(r.redemptions), formatMoney(r.amountMinor, r.currency)], 'No redemptions in this period.');
  const days = [...new Set(rows.map(r => r.day))].sort();
  const programmes = [...new Set(rows.map(r => `${r.programmeId} (${r.currency})`))].sort();
  const data = {
    labels: days,
    datasets: programmes.map((label, i) => ({
      label,
      backgroundColor: palette[i % palette.length],
      data: days.map(day => {
        const row = rows.find(r => r.day === day && `${r.programmeId} (${r.currency})` === label);
        return row ? chartValue(row.amountMinor, row.currency) : 0;
      }),
    })),
  };
  if (dailyChart) {
    dailyChart.data = data;
    dailyChart.update();
  } else {
    dailyChart = new Chart($('#daily-chart'), {
      type: 'bar', data,
      options: { maintainAspectRatio: false, animation: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } },
    });
  }
  report(status, `${rows.reduce((n, r) => n + r.redemptions, 0)} programme draw(s) over ${days.length} day(s).`);
}

$('#period-form').addEventListener('submit', event => {
  event.preventDefault();
  loadDaily();
});

// Payable vs settled per retailer ------------------------------------------------------------------------------------
async function loadBalances() {
  const status = $('#balance-status');
  const balances = await attempt(status, () => allItems(api, '/api/audit/retailers/balances?pageSize=50'));
  if (!balances) return;
  fillTable($('#balance-table'), balances, b => [`${b.retailerId} (${b.currency})`, formatMoney(b.payableMinor, b.currency), formatMoney(b.settledMinor, b.currency)],
    'No retailers yet.');
  new Chart($('#balance-chart'), {
    type: 'bar',
    data: {
      labels: balances.map(b => `${b.retailerId} (${b.currency})`),
      datasets: [
        { label: 'Payable', data: balances.map(b => chartValue(b.payableMinor, b.currency)), backgroundColor: '#d9822b' },
        { label: 'Settled', data: balances.map(b => chartValue(b.settledMinor, b.currency)), backgroundColor: '#2e8b57' },
      ],
    },
    options: { maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true } } },
  });
  report(status, `${balances.length} retailer balance(s).`);
}

// Outbox health ------------------------------------------------------------------------------------------------------
async function loadOutbox() {
  const counts = await attempt($('#outbox-status'), () => api.get('/api/audit/outbox'));
  if (!counts) return;
  const order = ['received', 'submitted', 'committed', 'rejected'];
  const statuses = Object.keys(counts).sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
  fillTable($('#outbox-table'), statuses, s => [s, String(counts[s])], 'No receipts yet.');
  const waiting = (counts.received ?? 0) + (counts.submitted ?? 0);
  report($('#outbox-status'), waiting === 0 ? 'Every accepted receipt has reached the ledger.' : `${waiting} receipt(s) still on the way to the ledger.`);
}

// Reconciliation reports ------------------------------------------------------------------------------------------
const reportLabels = { html: 'HTML report', csv: 'CSV exceptions', json: 'JSON' };

/** What a run concluded: nothing to do, differences to act on, or why it has no verdict (yet). */
function verdictOf(job) {
  if (job.status === 'completed') {
    const counts = job.counts ?? {};
    return job.needsAction
      ? `Action needed: ${counts.findingsNeedingAction ?? '?'} of ${counts.findings ?? '?'} finding(s)`
      : `Reconciled: ${counts.findings ?? 0} finding(s), none needs action`;
  }
  return job.status === 'failed' ? `Failed: ${job.error ?? 'no reason given'}` : `${job.status}${job.stage ? ` (${job.stage})` : ''}…`;
}

/** Links to the run's report files as the service serves them (GET /api/audit/reconciliations/{id}/{file}). */
function reportLinks(job) {
  const links = document.createElement('span');
  links.className = 'links';
  for (const path of job.reports ?? []) {
    const extension = path.split('.').pop();
    links.append(Object.assign(document.createElement('a'), { href: path, textContent: reportLabels[extension] ?? extension, target: '_blank', rel: 'noopener' }));
  }
  return links;
}

async function loadReconciliations() {
  const status = $('#reconciliation-status');
  const jobs = await attempt(status, async () => (await api.get('/api/audit/reconciliations')).items);
  if (!jobs) return;
  fillTable($('#reconciliation-table'), jobs, job => [
    job.finishedAt ? job.finishedAt.slice(0, 16).replace('T', ' ') : '—',
    `${job.request.from.slice(0, 10)} to ${job.request.to.slice(0, 10)}`,
    [job.request.retailerId, job.request.programmeId, job.request.agencyMsp].filter(Boolean).join(', ') || 'everything',
    verdictOf(job),
    reportLinks(job),
  ], 'No reconciliation has run yet.');
  const finished = jobs.filter(j => j.status === 'completed');
  report(status, `${finished.length} finished reconciliation(s), ${finished.filter(j => j.needsAction).length} needing action.`);
}

const today = new Date();
const monthAgo = new Date(today);
monthAgo.setUTCDate(today.getUTCDate() - 29);
$('#period-from').value = isoDay(monthAgo);
$('#period-to').value = isoDay(today);
await Promise.all([loadDaily(), loadBalances(), loadOutbox(), loadReconciliations()]);
document.body.dataset.ready = 'true';
