// Renders the server's OpenAPI document for people: every operation with its parameters,
// request body, responses and their schemas. Text only; nothing from the document is parsed as HTML.
'use strict';
(function () {
  const OC = window.OCRChat;
  const el = OC.el;
  const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
  let spec = null;

  /** A description, its `code` and **emphasis** rendered by the safe Markdown renderer. */
  function prose(tag, text, className) {
    const node = el(tag, className ? { className: className } : null);
    window.OCRMarkdown.renderInline(String(text || ''), node);
    return node;
  }

  function resolve(node) {
    let current = node;
    let guard = 0;
    while (current && current.$ref && guard++ < 20) {
      const path = current.$ref.replace(/^#\//, '').split('/');
      current = path.reduce(function (value, key) { return value && value[key.replace(/~1/g, '/').replace(/~0/g, '~')]; }, spec);
    }
    return current || {};
  }

  function refName(node) {
    return node && node.$ref ? node.$ref.split('/').pop() : null;
  }

  function typeOf(schema) {
    const s = resolve(schema);
    let type = Array.isArray(s.type) ? s.type.join(' | ') : (s.type || (s.properties ? 'object' : 'any'));
    if (type === 'array' && s.items) type = 'array of ' + (refName(s.items) || typeOf(s.items));
    if (s.format) type += ' (' + s.format + ')';
    if (s.contentMediaType) type += ' (' + s.contentMediaType + ')';
    return type;
  }

  function schemaList(schema, depth) {
    const s = resolve(schema);
    const target = s.type === 'array' || (Array.isArray(s.type) && s.type.indexOf('array') >= 0) ? resolve(s.items) : s;
    const list = el('ul', { className: 'schema' });
    const required = new Set(target.required || []);
    for (const name of Object.keys(target.properties || {})) {
      const property = target.properties[name];
      const p = resolve(property);
      const item = el('li', null,
        el('code', { text: name }), ' ',
        el('span', { className: 'type', text: typeOf(property) }),
        required.has(name) ? el('span', { className: 'req', text: ' required' }) : null);
      if (p.enum) item.appendChild(document.createTextNode(' one of ' + p.enum.map(String).join(', ')));
      if (p.default !== undefined) item.appendChild(document.createTextNode(' (default ' + p.default + ')'));
      if (p.description) item.appendChild(prose('div', p.description, 'hint'));
      const nested = p.type === 'array' ? resolve(p.items) : p;
      if (depth < 6 && nested.properties) item.appendChild(schemaList(property, depth + 1));
      list.appendChild(item);
    }
    return list;
  }

  function parameterTable(parameters) {
    const table = el('table');
    table.appendChild(el('thead', null, el('tr', null,
      el('th', { scope: 'col', text: 'Name' }), el('th', { scope: 'col', text: 'In' }),
      el('th', { scope: 'col', text: 'Type' }), el('th', { scope: 'col', text: 'Description' }))));
    const body = el('tbody');
    for (const raw of parameters) {
      const p = resolve(raw);
      const schema = resolve(p.schema);
      body.appendChild(el('tr', null,
        el('td', null, el('code', { text: p.name }), p.required ? el('span', { className: 'req', text: ' required' }) : null),
        el('td', { text: p.in }),
        el('td', { text: typeOf(p.schema) + (schema.enum ? ': ' + schema.enum.join(', ') : '') }),
        prose('td', p.description)));
    }
    table.appendChild(body);
    return table;
  }

  function operation(path, method, op, shared) {
    const id = 'op-' + (op.operationId || (method + path).replace(/[^A-Za-z0-9]+/g, '-'));
    const section = el('section', { className: 'op', id: id });
    const details = el('details');
    details.appendChild(el('summary', null,
      el('span', { className: 'method', text: method }),
      el('span', { className: 'path', text: path }),
      el('span', { text: op.summary || '' })));
    const body = el('div', { className: 'op-body' });
    if (op.description) body.appendChild(prose('p', op.description));
    const security = op.security || spec.security || [];
    const needsToken = security.length && !security.some(function (entry) { return Object.keys(entry).length === 0; });
    body.appendChild(el('p', { className: 'hint', text: needsToken ? 'Needs a token (Authorization: Bearer TOKEN).' : 'A token is optional: without one the caller is anonymous.' }));
    const parameters = (shared || []).concat(op.parameters || []);
    if (parameters.length) {
      body.appendChild(el('h3', { text: 'Parameters' }));
      body.appendChild(parameterTable(parameters));
    }
    if (op.requestBody) {
      const request = resolve(op.requestBody);
      body.appendChild(el('h3', { text: 'Request body' + (request.required ? ' (required)' : '') }));
      for (const type of Object.keys(request.content || {})) {
        const schema = request.content[type].schema;
        body.appendChild(el('p', null, el('code', { text: type }), ' ', el('span', { className: 'type', text: refName(schema) || typeOf(schema) })));
        body.appendChild(schemaList(schema, 0));
      }
    }
    body.appendChild(el('h3', { text: 'Responses' }));
    const table = el('table');
    table.appendChild(el('thead', null, el('tr', null,
      el('th', { scope: 'col', text: 'Status' }), el('th', { scope: 'col', text: 'Meaning' }), el('th', { scope: 'col', text: 'Body' }))));
    const rows = el('tbody');
    for (const code of Object.keys(op.responses || {})) {
      const response = resolve(op.responses[code]);
      const cell = el('td');
      for (const type of Object.keys(response.content || {})) {
        const schema = response.content[type].schema;
        const name = refName(schema);
        cell.appendChild(el('div', null, el('code', { text: type }), name ? ' ' + name : ''));
        if (name && resolve(schema).properties) {
          const more = el('details', null, el('summary', { text: 'fields of ' + name }), schemaList(schema, 0));
          cell.appendChild(more);
        }
      }
      rows.appendChild(el('tr', null, el('td', null, el('code', { text: code })), prose('td', response.description), cell));
    }
    table.appendChild(rows);
    body.appendChild(table);
    details.appendChild(body);
    section.appendChild(details);
    return section;
  }

  async function main() {
    const root = document.getElementById('docs');
    try {
      spec = await OC.json('/api/v1/openapi.json');
    } catch (e) {
      root.textContent = 'The API description cannot be loaded: ' + e.message;
      return;
    }
    root.textContent = '';
    root.appendChild(el('p', null, el('strong', { text: spec.info.title + ' ' + spec.info.version })));
    if (spec.info.description) root.appendChild(prose('p', spec.info.description));
    const tags = (spec.tags || []).map(function (tag) { return tag.name; });
    const groups = new Map(tags.map(function (name) { return [name, []]; }));
    for (const path of Object.keys(spec.paths)) {
      const item = spec.paths[path];
      for (const method of METHODS) {
        if (!item[method]) continue;
        const tag = (item[method].tags || ['other'])[0];
        if (!groups.has(tag)) groups.set(tag, []);
        groups.get(tag).push(operation(path, method, item[method], item.parameters));
      }
    }
    const descriptions = new Map((spec.tags || []).map(function (tag) { return [tag.name, tag.description]; }));
    for (const [tag, operations] of groups) {
      if (!operations.length) continue;
      root.appendChild(el('h2', { text: tag }));
      if (descriptions.get(tag)) root.appendChild(prose('p', descriptions.get(tag), 'hint'));
      for (const op of operations) root.appendChild(op);
    }
    root.appendChild(el('h2', { text: 'Errors' }));
    root.appendChild(el('p', { text: 'Every error is JSON with a short message, {"error": "…"}; a 402 adds "used" and "cap".' }));
  }

  main();
})();
