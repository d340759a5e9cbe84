() => {
  const small = [];
  const controls = document.querySelectorAll('main a[href], main button, main input:not([type=hidden]), main select, main textarea, main summary, header a[href], header button, header select, header input');
  for (const el of controls) {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || el.closest('[hidden]') || el.offsetParent === null) continue;
    if (el.matches('a') && el.closest('p, li.prose, .rich-text, dd, td.text, blockquote') && el.parentElement.childNodes.length > 1) continue;
    let box = el.getBoundingClientRect();
    if (el.matches('input[type=checkbox], input[type=radio]')) {
      const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
      const target = el.closest('.check-target') || label;
      if (target) box = target.getBoundingClientRect();
    }
    if (box.width < 43.5 || box.height < 43.5) {
      small.push(`${el.tagName.toLowerCase()}${el.name ? '[name=' + el.name + ']' : ''} "${(el.textContent || el.value || '').trim().slice(0, 20)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return small;
}
