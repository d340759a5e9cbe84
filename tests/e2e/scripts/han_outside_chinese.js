() => {
  const han = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  const chinese = (el) => { const marked = el && el.closest('[lang]'); return marked && marked.lang.toLowerCase().startsWith('zh'); };
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style, template')) continue;
    if (han.test(node.textContent) && !chinese(parent)) found.push(node.textContent.trim().slice(0, 60));
  }
  for (const el of document.body.querySelectorAll('[alt], [title], [aria-label], [placeholder], input[type=submit][value]')) {
    for (const name of ['alt', 'title', 'aria-label', 'placeholder', 'value']) {
      if (name === 'value' && !el.matches('input[type=submit], input[type=button]')) continue;
      const value = el.getAttribute(name);
      if (value && han.test(value) && !chinese(el)) found.push(`${el.tagName.toLowerCase()}[${name}]: ${value.slice(0, 60)}`);
    }
  }
  return found;
}
