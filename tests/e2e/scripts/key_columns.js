() => {
  // Every visible table in main: the cells of its key column (a row's th[scope=row], else its first
  // cell) lie inside the viewport and inside every box around the table that clips sideways, both as
  // the page opens and with each such box scrolled to its far end. A key column that scrolls away with
  // the other columns does not count: it must stay in view (sticky), or the table must fit (stacked rows).
  const problems = [];
  const clippers = (el) => {
    const out = [];
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (/(auto|scroll|hidden|clip)/.test(getComputedStyle(p).overflowX)) out.push(p);
    }
    return out;
  };
  const name = (table) => {
    const caption = table.querySelector('caption');
    const heading = table.querySelector('thead th');
    return ((caption && caption.textContent) || table.getAttribute('aria-label') || (heading && heading.textContent) || table.className || 'table')
      .trim().replace(/\s+/g, ' ').slice(0, 30);
  };
  for (const table of document.querySelectorAll('main table')) {
    const own = table.getBoundingClientRect();
    if (own.width <= 1 || own.height <= 1 || getComputedStyle(table).visibility === 'hidden') continue;
    const keys = [...table.querySelectorAll(':scope > tbody > tr')]
      .map((row) => row.querySelector(':scope > th[scope=row]') || row.querySelector(':scope > th, :scope > td'))
      .filter((cell) => cell && cell.getClientRects().length && getComputedStyle(cell).display !== 'none');
    const boxes = clippers(table);
    const check = (when) => {
      let left = 0;
      let right = window.innerWidth;
      for (const box of boxes) {
        const r = box.getBoundingClientRect();
        left = Math.max(left, r.left + box.clientLeft);
        right = Math.min(right, r.left + box.clientLeft + box.clientWidth);
      }
      for (const cell of keys) {
        const r = cell.getBoundingClientRect();
        if (r.left < left - 1 || r.right > right + 1) {
          problems.push(`table "${name(table)}": key cell "${cell.textContent.trim().replace(/\s+/g, ' ').slice(0, 20)}" at ${Math.round(r.left)}–${Math.round(r.right)} px, out of view ${when}`);
          return;
        }
      }
    };
    check('as the page opens');
    const scrolling = boxes.filter((box) => box.scrollWidth > box.clientWidth + 1);
    if (scrolling.length) {
      const saved = scrolling.map((box) => box.scrollLeft);
      scrolling.forEach((box) => { box.scrollLeft = box.scrollWidth; });
      check('with its box scrolled to the end');
      scrolling.forEach((box, i) => { box.scrollLeft = saved[i]; });
    }
  }
  return problems;
}
