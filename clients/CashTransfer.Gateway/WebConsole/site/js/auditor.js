// The auditor's dashboard: redemptions per day per programme, payable against settled per retailer, the service's
// outbox health, and the reconciliation reports when the service offers them. Read-only: an auditor changes nothing.
import { Api, ApiError, attempt, currentSession, report, showSession } from './api.js';
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

// Reconciliation reports (another part of the service provides them) ------------------------------------------------------
async function loadReconciliations() {
  const status = $('#reconciliation-status');
  let answer;
  try {
    answer = await api.get('/api/audit/reconciliations');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) report(status, 'This service does not offer reconciliation reports yet.');
    else report(status, `Reconciliation reports: ${e.message}`, true);
    return;
  }
  const items = Array.isArray(answer) ? answer : answer.items ?? [];
  const table = document.createElement('table');
  const columns = [...new Set(items.flatMap(item => Object.keys(item)))];
  table.createTHead().insertRow().append(...columns.map(c => Object.assign(document.createElement('th'), { textContent: c })));
  table.createTBody();
  fillTable(table, items, item => columns.map(c => typeof item[c] === 'object' ? JSON.stringify(item[c]) : String(item[c] ?? '')), 'No reconciliation reports yet.');
  $('#reconciliation-list').replaceChildren(table);
  report(status, `${items.length} report(s).`);
}

const today = new Date();
const monthAgo = new Date(today);
monthAgo.setUTCDate(today.getUTCDate() - 29);
$('#period-from').value = isoDay(monthAgo);
$('#period-to').value = isoDay(today);
await Promise.all([loadDaily(), loadBalances(), loadOutbox(), loadReconciliations()]);
document.body.dataset.ready = 'true';
