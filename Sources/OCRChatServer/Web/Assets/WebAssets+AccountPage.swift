// Written as Swift source so that the `ocrchat` binary carries its web page wherever it is copied;
// there is no build step for the page: edit the text below.
extension WebAssets {
    /// The account page, served at `/account`.
    static let accountHTML = page(
        title: "account", path: "/account", scripts: ["account.js"],
        main: #"""
  <section id="signin" class="card narrow" aria-labelledby="signin-title" hidden>
    <h1 id="signin-title">Sign in</h1>
    <form id="signin-form" novalidate>
      <div class="field">
        <label for="token-input">API token</label>
        <input id="token-input" name="token" type="password" autocomplete="off" spellcheck="false" aria-describedby="token-hint" required>
        <p id="token-hint" class="hint">The operator makes tokens with <code>ocrchat token create --name NAME</code>. The page keeps yours in this tab only and sends it in the Authorization header, never in a URL.</p>
      </div>
      <div class="actions">
        <button type="submit" class="primary">Sign in</button>
        <button id="local-signin" type="button" hidden>Use this workstation's local account</button>
      </div>
      <p id="signin-message" class="message" role="status"></p>
    </form>
    <p class="hint">Without signing in you can still convert files as an anonymous caller (a daily page allowance); questions about a document need an account.</p>
  </section>

  <section id="account" class="card narrow" aria-labelledby="account-title" hidden>
    <h1 id="account-title">Account</h1>
    <dl class="facts">
      <dt>Name</dt><dd id="acct-name"></dd>
      <dt>Plan</dt><dd id="acct-plan"></dd>
      <dt>Created</dt><dd id="acct-created"></dd>
    </dl>
    <div class="field">
      <label for="token-value">Your API token</label>
      <div class="token-row">
        <input id="token-value" type="password" readonly spellcheck="false">
        <button id="token-show" type="button" aria-pressed="false">Show</button>
        <button id="token-copy" type="button">Copy</button>
      </div>
      <p id="copy-message" class="message" role="status"></p>
      <p class="hint">Use it as <code>Authorization: Bearer TOKEN</code> with any ocr.chat client pointed at this server.</p>
    </div>
    <h2>Usage</h2>
    <div id="usage"></div>
    <div class="actions">
      <button id="signout" type="button">Sign out</button>
    </div>
  </section>
"""#)
}
