// Written as Swift source so that the `ocrchat` binary carries its web page wherever it is copied;
// there is no build step for the page: edit the text below.
extension WebAssets {
    /// The convert page, served at `/`.
    static let indexHTML = page(
        title: "scans to text", path: "/", scripts: ["markdown.js", "app.js"],
        main: #"""
  <section class="card" aria-labelledby="upload-title">
    <h1 id="upload-title">Scans to text</h1>
    <form id="upload-form" novalidate>
      <div id="drop" class="drop">
        <input id="files" name="file" type="file" multiple class="visually-hidden"
          accept=".png,.jpg,.jpeg,.webp,.gif,.bmp,.tif,.tiff,.pdf,image/png,image/jpeg,image/webp,image/gif,image/bmp,image/tiff,application/pdf"
          aria-describedby="file-hint">
        <label for="files" class="drop-label"><span class="drop-main">Choose files</span> <span class="drop-alt">or drop them here</span></label>
        <p id="file-hint" class="hint">PNG, JPEG, WEBP, GIF, BMP, TIFF (every page) or PDF (every page); one file or many.</p>
        <ul id="chosen" class="chosen" aria-label="Chosen files"></ul>
      </div>
      <div class="options">
        <div class="field">
          <label for="tier">Tier</label>
          <select id="tier" name="tier">
            <option value="cpu" selected>cpu: fast, printed text</option>
            <option value="vlm">vlm: premium (hard layouts, handwriting)</option>
          </select>
        </div>
        <div class="field">
          <label for="language">Language</label>
          <input id="language" name="language" list="language-list" value="auto" autocomplete="off" spellcheck="false" aria-describedby="language-hint">
          <datalist id="language-list">
            <option value="auto">detect</option>
            <option value="en">English</option>
            <option value="de">German</option>
            <option value="fr">French</option>
            <option value="ru">Russian</option>
            <option value="ar">Arabic</option>
            <option value="ch">Chinese (simplified)</option>
            <option value="eng+deu">English and German</option>
          </datalist>
          <p id="language-hint" class="hint">auto, a code such as en or de, or Tesseract names (eng+deu).</p>
        </div>
        <div class="field">
          <label for="tool">Tool</label>
          <select id="tool" name="tool">
            <option value="" selected>none: plain recognition</option>
            <option value="extract-text">extract-text</option>
            <option value="extract-tables">extract-tables</option>
            <option value="handwriting-to-text">handwriting-to-text</option>
            <option value="translate">translate</option>
          </select>
        </div>
        <div class="field" id="translate-field" hidden>
          <label for="translate-to">Translate to</label>
          <input id="translate-to" name="translate_to" autocomplete="off" spellcheck="false" placeholder="en">
        </div>
      </div>
      <div class="actions">
        <button id="convert" type="submit" class="primary">Convert</button>
        <p id="form-message" class="message" role="status"></p>
      </div>
    </form>
  </section>

  <section class="card" aria-labelledby="jobs-title">
    <h2 id="jobs-title">Jobs</h2>
    <p id="jobs-note" class="hint"></p>
    <ul id="jobs" class="jobs"></ul>
  </section>

  <div id="workspace" class="workspace" hidden>
    <section id="result" class="card result" aria-labelledby="result-title">
      <h2 id="result-title" tabindex="-1">Result</h2>
      <p id="result-meta" class="meta"></p>
      <p id="result-error" class="error" role="alert" hidden></p>
      <div id="downloads" class="downloads" role="group" aria-label="Download the result">
        <span class="downloads-label" aria-hidden="true">Download:</span>
      </div>
      <p id="download-status" class="message" role="status"></p>
      <div class="tabs" role="tablist" aria-label="Views of the result">
        <button type="button" role="tab" id="tab-text" aria-controls="panel-text" aria-selected="true">Text</button>
        <button type="button" role="tab" id="tab-markdown" aria-controls="panel-markdown" aria-selected="false" tabindex="-1">Markdown</button>
        <button type="button" role="tab" id="tab-pages" aria-controls="panel-pages" aria-selected="false" tabindex="-1">Pages</button>
      </div>
      <div id="panel-text" class="panel" role="tabpanel" aria-labelledby="tab-text" tabindex="0"></div>
      <div id="panel-markdown" class="panel markdown" role="tabpanel" aria-labelledby="tab-markdown" tabindex="0" hidden></div>
      <div id="panel-pages" class="panel" role="tabpanel" aria-labelledby="tab-pages" tabindex="0" hidden>
        <div class="pages-tools">
          <label class="check"><input id="show-boxes" type="checkbox" checked> Show word boxes</label>
          <span class="legend"><span class="swatch ok" aria-hidden="true"></span> word <span class="swatch low" aria-hidden="true"></span> confidence below 60%</span>
        </div>
        <p id="hover-info" class="hover-info">Point at a word box to see the word and its confidence.</p>
        <div id="pages"></div>
      </div>
    </section>

    <section id="chat" class="card chat" aria-labelledby="chat-title">
      <h2 id="chat-title">Ask about this document</h2>
      <p id="chat-note" class="hint">Answers come from the recognised text alone, with the pages they cite.</p>
      <ol id="chat-log" class="chat-log" aria-live="polite" aria-relevant="additions"></ol>
      <form id="chat-form" class="chat-form">
        <label for="chat-input">Your question</label>
        <div class="chat-row">
          <input id="chat-input" name="message" autocomplete="off" required>
          <button id="chat-send" type="submit" class="primary">Ask</button>
        </div>
      </form>
      <p id="chat-status" class="message" role="status"></p>
    </section>
  </div>
  <div id="announcer" class="visually-hidden" aria-live="polite"></div>
"""#)
}
