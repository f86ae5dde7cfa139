// Small DOM helpers shared by the pages.

/** Replaces a table body's rows; each item gives its cells (text or nodes); `empty` is shown when there are none. Columns whose heading has class "num" are right-aligned. */
export function fillTable(table, items, cellsOf, empty = 'None yet.') {
  const headings = [...table.tHead.rows[0].cells];
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const item of items) {
    const row = body.insertRow();
    cellsOf(item).forEach((value, i) => {
      const cell = row.insertCell();
      if (value instanceof Node) cell.append(value);
      else cell.textContent = value ?? '';
      if (headings[i]?.classList.contains('num')) cell.className = 'num';
    });
  }
  if (items.length === 0) {
    const cell = body.insertRow().insertCell();
    cell.colSpan = headings.length;
    cell.className = 'empty';
    cell.textContent = empty;
  }
}

/** A button that runs `action` when clicked. */
export function button(label, action, className = 'small') {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  b.textContent = label;
  b.addEventListener('click', action);
  return b;
}

/** Every item of a paged list (pages of {items, bookmark}), up to `maxPages` pages. */
export async function allItems(api, path, maxPages = 20) {
  const items = [];
  let bookmark = '';
  for (let page = 0; page < maxPages; page++) {
    const separator = path.includes('?') ? '&' : '?';
    const answer = await api.get(`${path}${separator}bookmark=${encodeURIComponent(bookmark)}`);
    items.push(...answer.items);
    bookmark = answer.bookmark;
    if (!bookmark) break;
  }
  return items;
}

/** Sets a select's options, keeping the current choice when it is still there. */
export function fillSelect(select, values) {
  const chosen = select.value;
  select.replaceChildren(...values.map(v => new Option(v, v)));
  if (values.includes(chosen)) select.value = chosen;
}

/** A local date and time for a Unix-ms number or an ISO text. */
export function when(time) {
  return new Date(time).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}
