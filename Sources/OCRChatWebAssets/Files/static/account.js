// The account page: sign in with a token (or as the local account in single-user mode), see the
// token with a copy button, the plan, and what has been used and what is left.
'use strict';
(function () {
  const OC = window.OCRChat;
  const el = OC.el;
  const $ = function (id) { return document.getElementById(id); };

  async function show() {
    const account = OC.account;
    $('signin').hidden = !!account;
    $('account').hidden = !account;
    if (!account) {
      // Offered only when the server says this workstation has a local account for its page.
      const probe = await fetch('/api/v1/local-token/', { method: 'GET', credentials: 'omit', cache: 'no-store' }).catch(function () { return null; });
      $('local-signin').hidden = !(probe && probe.ok);
      return;
    }
    $('acct-name').textContent = account.name;
    $('acct-plan').textContent = account.plan + (account.single_user ? ' (the local account of single-user mode)' : '');
    $('acct-created').textContent = new Date(account.created_at).toLocaleString();
    $('token-value').value = OC.token() || '';
    renderUsage(account);
  }

  function meter(used, cap, label) {
    return el('meter', { className: 'meter', min: 0, max: Math.max(1, cap), value: Math.min(used, cap), 'aria-label': label });
  }

  function renderUsage(account) {
    const usage = $('usage');
    usage.textContent = '';
    const facts = el('dl', { className: 'facts' });
    function fact(term, value) { facts.append(el('dt', { text: term }), el('dd', { text: value })); }
    if (!account.metering) {
      fact('Metering', 'off: this server does not count pages');
    } else if (account.allowance) {
      const a = account.allowance;
      fact('Pages this month (' + a.period + ')', a.used + ' used of ' + a.cap + ' · ' + a.left + ' left');
      usage.appendChild(facts);
      usage.appendChild(meter(a.used, a.cap, 'Pages used this month'));
      if (account.file_page_cap) {
        const more = el('dl', { className: 'facts' });
        more.append(el('dt', { text: 'Largest file' }), el('dd', { text: account.file_page_cap + ' pages' }));
        more.append(el('dt', { text: 'Cost a page' }), el('dd', { text: 'cpu ' + account.page_cost.cpu + ', vlm ' + account.page_cost.vlm }));
        usage.appendChild(more);
      }
      return;
    } else {
      const c = account.credits;
      fact('Credits', c.used + ' used of ' + c.total + ' · ' + c.left + ' left');
      usage.appendChild(facts);
      usage.appendChild(meter(c.used, c.total, 'Credits used'));
      const more = el('dl', { className: 'facts' });
      if (account.file_page_cap) more.append(el('dt', { text: 'Largest file' }), el('dd', { text: account.file_page_cap + ' pages' }));
      more.append(el('dt', { text: 'Cost a page' }), el('dd', { text: 'cpu ' + account.page_cost.cpu + ' credit(s), vlm ' + account.page_cost.vlm }));
      usage.appendChild(more);
      return;
    }
    usage.appendChild(facts);
  }

  $('signin-form').addEventListener('submit', async function (event) {
    event.preventDefault();
    const token = $('token-input').value.trim();
    const message = $('signin-message');
    if (!token) { message.textContent = 'Paste your API token first.'; $('token-input').focus(); return; }
    OC.setToken(token);
    const account = await OC.loadAccount();
    if (!account) {
      OC.setToken(null, { quiet: true });
      message.textContent = 'That token is unknown or revoked.';
      $('token-input').focus();
      return;
    }
    $('token-input').value = '';
    message.textContent = '';
    await show();
    $('account-title').focus();
  });

  $('local-signin').addEventListener('click', async function () {
    if (await OC.tryLocalSignIn()) {
      await OC.loadAccount();
      await show();
    } else {
      $('signin-message').textContent = 'This server has no local account for this page.';
    }
  });

  $('token-show').addEventListener('click', function () {
    const field = $('token-value');
    const showing = field.type === 'text';
    field.type = showing ? 'password' : 'text';
    $('token-show').textContent = showing ? 'Show' : 'Hide';
    $('token-show').setAttribute('aria-pressed', showing ? 'false' : 'true');
  });

  $('token-copy').addEventListener('click', async function () {
    const token = OC.token() || '';
    const message = $('copy-message');
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(token);
      } else {
        // Plain http across the office network has no clipboard API: copy from the field.
        const field = $('token-value');
        const type = field.type;
        field.type = 'text';
        field.select();
        const copied = document.execCommand('copy');
        field.type = type;
        if (!copied) throw new Error('copy refused');
      }
      message.textContent = 'Token copied.';
    } catch (e) {
      message.textContent = 'The browser refused to copy; press Show and copy it by hand.';
    }
  });

  $('signout').addEventListener('click', async function () {
    OC.setToken(null);
    await OC.loadAccount();
    await show();
    $('signin-title').setAttribute('tabindex', '-1');
    $('signin-title').focus();
  });

  $('account-title').setAttribute('tabindex', '-1');
  OC.ready.then(show);
})();
