// A small Markdown renderer that builds DOM nodes and sets only textContent: recognised text
// can never become markup, script or a remote fetch. It knows what ocrchat's Markdown holds
// (paragraphs, hard line breaks, escapes, rules, page comments) and the common rest (headings,
// emphasis, code, lists, quotes, tables, links to http(s) only).
'use strict';
(function () {
  const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

  function el(tag, className) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    return node;
  }

  function isEscapable(character) {
    return character !== undefined && PUNCTUATION.indexOf(character) >= 0;
  }

  /** The index where `marker` closes an emphasis opened before `from`, or -1. */
  function findClosing(text, from, marker) {
    for (let j = from; j < text.length; j++) {
      const c = text[j];
      if (c === '\\') { j++; continue; }
      if (c === '`') {
        let n = 1;
        while (text[j + n] === '`') n++;
        const end = text.indexOf('`'.repeat(n), j + n);
        if (end >= 0) { j = end + n - 1; continue; }
      }
      if (text.startsWith(marker, j) && j > from && !/\s/.test(text[j - 1])) {
        if (marker.length === 1 && text[j + 1] === marker) { j++; continue; }
        return j;
      }
    }
    return -1;
  }

  function safeHref(url) {
    return /^https?:\/\/[^\s]+$/i.test(url) ? url : null;
  }

  /** `[label](url)` starting at `start`: its parts and end, or null. */
  function matchLink(text, start) {
    let depth = 0;
    let j = start;
    for (; j < text.length; j++) {
      if (text[j] === '\\') { j++; continue; }
      if (text[j] === '[') depth++;
      if (text[j] === ']') { depth--; if (depth === 0) break; }
    }
    if (j >= text.length || text[j + 1] !== '(') return null;
    let close = -1;
    let parens = 0;
    for (let k = j + 2; k < text.length; k++) {
      if (text[k] === '\\') { k++; continue; }
      if (text[k] === '(') parens++;
      if (text[k] === ')') { if (parens === 0) { close = k; break; } parens--; }
      if (text[k] === '\n') break;
    }
    if (close < 0) return null;
    const target = text.slice(j + 2, close).trim().split(/\s+/)[0] || '';
    return { label: text.slice(start + 1, j), url: target, end: close + 1 };
  }

  function renderInline(text, parent) {
    let buffer = '';
    function flush() {
      if (buffer) { parent.appendChild(document.createTextNode(buffer)); buffer = ''; }
    }
    let i = 0;
    while (i < text.length) {
      const c = text[i];
      if (c === '\\' && isEscapable(text[i + 1])) { buffer += text[i + 1]; i += 2; continue; }
      if (c === '\\' && text[i + 1] === '\n') { flush(); parent.appendChild(el('br')); i += 2; continue; }
      if (c === '\n') {
        if (/ {2,}$/.test(buffer)) {
          buffer = buffer.replace(/ +$/, '');
          flush();
          parent.appendChild(el('br'));
        } else {
          buffer += '\n';
        }
        i++;
        continue;
      }
      if (c === '`') {
        let n = 1;
        while (text[i + n] === '`') n++;
        const fence = '`'.repeat(n);
        const end = text.indexOf(fence, i + n);
        if (end >= 0) {
          flush();
          const code = el('code');
          let inner = text.slice(i + n, end);
          if (/^ .* $/.test(inner)) inner = inner.slice(1, -1);
          code.textContent = inner;
          parent.appendChild(code);
          i = end + n;
        } else {
          buffer += fence;
          i += n;
        }
        continue;
      }
      if (c === '*' || c === '_') {
        const strong = text[i + 1] === c;
        const marker = strong ? c + c : c;
        const opensWord = i + marker.length < text.length && !/\s/.test(text[i + marker.length]);
        const close = opensWord ? findClosing(text, i + marker.length, marker) : -1;
        if (close > i + marker.length) {
          flush();
          const node = el(strong ? 'strong' : 'em');
          renderInline(text.slice(i + marker.length, close), node);
          parent.appendChild(node);
          i = close + marker.length;
        } else {
          buffer += marker;
          i += marker.length;
        }
        continue;
      }
      if ((c === '[') || (c === '!' && text[i + 1] === '[')) {
        const image = c === '!';
        const link = matchLink(text, image ? i + 1 : i);
        if (link) {
          flush();
          const href = safeHref(link.url);
          if (image) {
            // Never fetched: the picture's description stands in for it.
            const alt = el('span', 'md-image');
            alt.textContent = '[image: ' + link.label + ']';
            parent.appendChild(alt);
          } else if (href) {
            const a = el('a');
            a.href = href;
            a.rel = 'noopener noreferrer';
            renderInline(link.label, a);
            parent.appendChild(a);
          } else {
            renderInline(link.label, parent);
          }
          i = link.end;
          continue;
        }
      }
      buffer += c;
      i++;
    }
    flush();
  }

  const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
  const PAGE_COMMENT = /^ {0,3}<!--\s*page\s+(\d+)\s*-->\s*$/i;
  const COMMENT = /^ {0,3}<!--.*-->\s*$/;
  const RULE = /^ {0,3}([-*_])( *\1){2,} *$/;
  const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
  const QUOTE = /^ {0,3}> ?(.*)$/;
  const ITEM = /^ {0,3}([-*+]|\d{1,9}[.)])[ \t]+(.*)$/;
  const TABLE_RULE = /^ *\|? *:?-+:? *(\| *:?-+:? *)*\|? *$/;

  function splitRow(line) {
    let row = line.trim();
    if (row.startsWith('|')) row = row.slice(1);
    if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
    const cells = [];
    let current = '';
    for (let i = 0; i < row.length; i++) {
      if (row[i] === '\\' && row[i + 1] === '|') { current += '\\|'; i++; continue; }
      if (row[i] === '|') { cells.push(current.trim()); current = ''; continue; }
      current += row[i];
    }
    cells.push(current.trim());
    return cells;
  }

  function startsBlock(line) {
    return FENCE.test(line) || COMMENT.test(line) || RULE.test(line) || HEADING.test(line) ||
      QUOTE.test(line) || ITEM.test(line);
  }

  /** Renders Markdown into a DocumentFragment. `headingOffset` shifts heading levels (# → h(1+offset)). */
  function render(source, options) {
    const headingOffset = (options && options.headingOffset) || 0;
    const fragment = document.createDocumentFragment();
    const lines = String(source || '').replace(/\r\n?/g, '\n').split('\n');
    let i = 0;
    while (i < lines.length) {
      const line = lines[i];
      let m;
      if (/^\s*$/.test(line)) { i++; continue; }
      if ((m = FENCE.exec(line))) {
        const fence = m[1];
        const body = [];
        i++;
        while (i < lines.length && !lines[i].trim().startsWith(fence)) { body.push(lines[i]); i++; }
        i++;
        const pre = el('pre');
        const code = el('code');
        code.textContent = body.join('\n');
        pre.appendChild(code);
        fragment.appendChild(pre);
        continue;
      }
      if ((m = PAGE_COMMENT.exec(line))) {
        const marker = el('div', 'page-marker');
        marker.dataset.page = m[1];
        marker.textContent = 'Page ' + m[1];
        fragment.appendChild(marker);
        i++;
        continue;
      }
      if (COMMENT.test(line)) { i++; continue; }
      if (RULE.test(line)) { fragment.appendChild(el('hr')); i++; continue; }
      if ((m = HEADING.exec(line))) {
        const heading = el('h' + Math.min(6, m[1].length + headingOffset));
        renderInline(m[2] || '', heading);
        fragment.appendChild(heading);
        i++;
        continue;
      }
      if (QUOTE.test(line)) {
        const inner = [];
        while (i < lines.length && (m = QUOTE.exec(lines[i]))) { inner.push(m[1]); i++; }
        const quote = el('blockquote');
        quote.appendChild(render(inner.join('\n'), options));
        fragment.appendChild(quote);
        continue;
      }
      if (line.indexOf('|') >= 0 && i + 1 < lines.length && TABLE_RULE.test(lines[i + 1]) && lines[i + 1].indexOf('-') >= 0) {
        const table = el('table');
        const head = el('thead');
        const headRow = el('tr');
        for (const cell of splitRow(line)) {
          const th = el('th');
          th.scope = 'col';
          renderInline(cell, th);
          headRow.appendChild(th);
        }
        head.appendChild(headRow);
        table.appendChild(head);
        const body = el('tbody');
        i += 2;
        while (i < lines.length && lines[i].indexOf('|') >= 0 && !/^\s*$/.test(lines[i])) {
          const row = el('tr');
          for (const cell of splitRow(lines[i])) {
            const td = el('td');
            renderInline(cell, td);
            row.appendChild(td);
          }
          body.appendChild(row);
          i++;
        }
        table.appendChild(body);
        fragment.appendChild(table);
        continue;
      }
      if ((m = ITEM.exec(line))) {
        const ordered = /\d/.test(m[1]);
        const list = el(ordered ? 'ol' : 'ul');
        if (ordered && parseInt(m[1], 10) !== 1) list.start = parseInt(m[1], 10);
        while (i < lines.length && (m = ITEM.exec(lines[i])) && /\d/.test(m[1]) === ordered) {
          const parts = [m[2]];
          i++;
          while (i < lines.length && /^\s{2,}\S/.test(lines[i]) && !ITEM.test(lines[i])) { parts.push(lines[i].trim()); i++; }
          const item = el('li');
          renderInline(parts.join('\n'), item);
          list.appendChild(item);
        }
        fragment.appendChild(list);
        continue;
      }
      const paragraph = [line];
      i++;
      while (i < lines.length && !/^\s*$/.test(lines[i]) && !startsBlock(lines[i])) { paragraph.push(lines[i]); i++; }
      const p = el('p');
      renderInline(paragraph.join('\n'), p);
      fragment.appendChild(p);
    }
    return fragment;
  }

  window.OCRMarkdown = { render: render, renderInline: renderInline };
})();
