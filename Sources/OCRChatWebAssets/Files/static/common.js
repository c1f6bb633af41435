// Shared by every page: the token (kept in this tab's sessionStorage, sent only in the
// Authorization header), API calls, DOM building that never parses HTML, and the header line.
'use strict';
(function () {
  const TOKEN_KEY = 'ocrchat.token';
  const SIGNED_OUT_KEY = 'ocrchat.signedOut';
  let memoryToken = null;

  function store() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }

  const OC = {};
  window.OCRChat = OC;

  OC.token = function () {
    const s = store();
    return (s && s.getItem(TOKEN_KEY)) || memoryToken;
  };

  /** Keeps the token for this tab; null signs out (and keeps single-user mode from signing in again). */
  OC.setToken = function (token, options) {
    memoryToken = token || null;
    const s = store();
    if (!s) return;
    if (token) {
      s.setItem(TOKEN_KEY, token);
      s.removeItem(SIGNED_OUT_KEY);
    } else {
      s.removeItem(TOKEN_KEY);
      if (!options || !options.quiet) s.setItem(SIGNED_OUT_KEY, '1');
    }
  };

  /** An error answer of the API: its status and the message of its JSON body. */
  class APIError extends Error {
    constructor(status, message, body) {
      super(message);
      this.status = status;
      this.body = body || {};
    }
  }
  OC.APIError = APIError;

  function headersWithToken(extra) {
    const headers = new Headers(extra || {});
    const token = OC.token();
    if (token) headers.set('Authorization', 'Bearer ' + token);
    return headers;
  }
  OC.headersWithToken = headersWithToken;

  /** fetch with the token in the header; a non-2xx answer throws an APIError. */
  OC.request = async function (path, options) {
    const opts = options || {};
    let response;
    try {
      response = await fetch(path, {
        method: opts.method || 'GET', body: opts.body, headers: headersWithToken(opts.headers),
        credentials: 'omit', cache: 'no-store', redirect: 'error'
      });
    } catch (e) {
      throw new APIError(0, 'the server cannot be reached');
    }
    if (!response.ok) {
      let body = {};
      try { body = await response.json(); } catch (e) { body = {}; }
      throw new APIError(response.status, typeof body.error === 'string' ? body.error : ('HTTP ' + response.status), body);
    }
    return response;
  };

  OC.json = async function (path, options) {
    return (await OC.request(path, options)).json();
  };

  /** An element with attributes and children (strings become text nodes; nothing is parsed as HTML). */
  OC.el = function (tag, attributes) {
    const node = document.createElement(tag);
    const attrs = attributes || {};
    for (const name of Object.keys(attrs)) {
      const value = attrs[name];
      if (value === null || value === undefined || value === false) continue;
      if (name === 'text') node.textContent = String(value);
      else if (name === 'className') node.className = value;
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (let i = 2; i < arguments.length; i++) {
      const child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  };

  OC.percent = function (value) {
    return Math.round((Number(value) || 0) * 100) + '%';
  };

  /** Says something to screen readers through the page's polite live region. */
  OC.announce = function (text) {
    const region = document.getElementById('announcer');
    if (!region) return;
    region.textContent = '';
    window.setTimeout(function () { region.textContent = text; }, 50);
  };

  function renderWho() {
    const who = document.getElementById('who');
    if (!who) return;
    who.textContent = '';
    if (OC.account) {
      who.appendChild(document.createTextNode('Signed in as ' + OC.account.name + ' (' + OC.account.plan + ' plan) · '));
      who.appendChild(OC.el('a', { href: '/account', text: 'account' }));
    } else {
      who.appendChild(document.createTextNode('Anonymous · '));
      who.appendChild(OC.el('a', { href: '/account', text: 'sign in' }));
    }
  }
  OC.renderWho = renderWho;

  /** Single-user mode: the server hands this loopback page its local account's token. */
  OC.tryLocalSignIn = async function () {
    try {
      const response = await fetch('/api/v1/local-token/', { credentials: 'omit', cache: 'no-store' });
      if (!response.ok) return false;
      const body = await response.json();
      if (typeof body.token !== 'string' || !body.token) return false;
      OC.setToken(body.token);
      return true;
    } catch (e) {
      return false;
    }
  };

  /** Loads the account behind the token (clearing a token the server no longer knows). */
  OC.loadAccount = async function () {
    OC.account = null;
    if (OC.token()) {
      try {
        OC.account = await OC.json('/api/v1/account/');
      } catch (e) {
        if (e.status === 401) OC.setToken(null, { quiet: true });
      }
    }
    renderWho();
    return OC.account;
  };

  OC.ready = (async function () {
    const s = store();
    if (!OC.token() && !(s && s.getItem(SIGNED_OUT_KEY))) await OC.tryLocalSignIn();
    return OC.loadAccount();
  })();
})();
