() => {
  // The visible targets in the header and main, and those under 44 × 44 px.
  // A checkbox or radio counts with its label (the row is the target). Links inside running prose (a
  // sentence in a paragraph, a description, a rich-text block or quote, with text beside them) are
  // exempt: WCAG 2.5.8's inline exception, as the line height, not the author, sets their size. Links in
  // lists (link lists, card titles, table cells) are not prose and count. Controls moved off the page
  // for everyone (a honeypot) are not targets.
  const small = [];
  let count = 0;
  const controls = document.querySelectorAll('main a[href], main button, main input:not([type=hidden]), main select, main textarea, main summary, header a[href], header button, header select, header input');
  for (const el of controls) {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || el.closest('[hidden]') || el.offsetParent === null) continue;
    if (el.matches('a') && el.closest('p, li.prose, .rich-text, dd, td.text, blockquote') && el.parentElement.childNodes.length > 1) continue;
    let box = el.getBoundingClientRect();
    // Moved off the page for everyone (the sign-up form's honeypot): no one can touch it.
    if (box.right <= 0 || box.bottom + window.scrollY <= 0) continue;
    if (el.matches('input[type=checkbox], input[type=radio]')) {
      const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
      const target = el.closest('.check-target') || label;
      if (target) box = target.getBoundingClientRect();
    }
    count += 1;
    if (box.width < 43.5 || box.height < 43.5) {
      small.push(`${el.tagName.toLowerCase()}${el.name ? '[name=' + el.name + ']' : ''} "${(el.textContent || el.value || '').trim().slice(0, 20)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return { count, small };
}
