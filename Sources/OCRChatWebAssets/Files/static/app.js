// The convert page: upload files, watch their jobs, read the result (text, Markdown, pages with
// word boxes), download it in every format, ask questions about it. Recognised text only ever
// reaches the page through textContent and text nodes.
'use strict';
(function () {
  const OC = window.OCRChat;
  const el = OC.el;
  const FORMATS = [
    ['pdf', 'PDF (searchable)'], ['docx', 'Word'], ['txt', 'Text'], ['md', 'Markdown'],
    ['csv', 'CSV'], ['json', 'JSON'], ['hocr', 'hOCR'], ['alto', 'ALTO XML']
  ];
  const LOW_CONFIDENCE = 0.6;
  const JOBS_KEY = 'ocrchat.jobs';
  const UPLOADS_AT_ONCE = 2;
  const $ = function (id) { return document.getElementById(id); };

  const state = {
    jobs: new Map(),      // uuid → summary (no text)
    order: [],            // uuids, newest first
    current: null,        // the job shown, with its pages
    wantOpen: false,      // open the next job that finishes (after an upload)
    conversation: null,
    queue: [],
    uploading: 0,
    localCounter: 0
  };

  // ---------------------------------------------------------------- upload

  const fileInput = $('files');
  const drop = $('drop');
  let chosenFiles = [];

  function showChosen() {
    const list = $('chosen');
    list.textContent = '';
    for (const file of chosenFiles) {
      list.appendChild(el('li', { text: file.name + ' (' + formatBytes(file.size) + ')' }));
    }
  }

  function formatBytes(bytes) {
    if (bytes < 1024) return bytes + ' B';
    if (bytes < 1024 * 1024) return (bytes / 1024).toFixed(0) + ' KB';
    return (bytes / 1024 / 1024).toFixed(1) + ' MB';
  }

  fileInput.addEventListener('change', function () {
    chosenFiles = Array.from(fileInput.files || []);
    showChosen();
    $('form-message').textContent = chosenFiles.length ? chosenFiles.length + ' file' + (chosenFiles.length === 1 ? '' : 's') + ' chosen.' : '';
  });

  ['dragenter', 'dragover'].forEach(function (type) {
    drop.addEventListener(type, function (event) {
      event.preventDefault();
      drop.classList.add('over');
    });
  });
  ['dragleave', 'drop'].forEach(function (type) {
    drop.addEventListener(type, function () { drop.classList.remove('over'); });
  });
  drop.addEventListener('drop', function (event) {
    event.preventDefault();
    const files = Array.from((event.dataTransfer && event.dataTransfer.files) || []);
    if (!files.length) return;
    chosenFiles = files;
    showChosen();
    $('form-message').textContent = files.length + ' file' + (files.length === 1 ? '' : 's') + ' dropped; press Convert.';
    $('convert').focus();
  });
  // A file dropped beside the zone must not make the browser leave the page to show it.
  window.addEventListener('dragover', function (event) { event.preventDefault(); });
  window.addEventListener('drop', function (event) { event.preventDefault(); });

  $('tool').addEventListener('change', function () {
    $('translate-field').hidden = $('tool').value !== 'translate';
  });

  $('upload-form').addEventListener('submit', function (event) {
    event.preventDefault();
    const message = $('form-message');
    if (!chosenFiles.length) {
      message.textContent = 'Choose one or more files first.';
      fileInput.focus();
      return;
    }
    const tool = $('tool').value;
    const translateTo = $('translate-to').value.trim();
    if (tool === 'translate' && !translateTo) {
      message.textContent = 'Say which language to translate to.';
      $('translate-to').focus();
      return;
    }
    const fields = {
      tier: $('tier').value,
      language: $('language').value.trim() || 'auto',
      tool: tool,
      translate_to: tool === 'translate' ? translateTo : ''
    };
    for (const file of chosenFiles) enqueueUpload(file, fields);
    message.textContent = 'Sent ' + chosenFiles.length + ' file' + (chosenFiles.length === 1 ? '' : 's') + ': see the jobs below.';
    chosenFiles = [];
    fileInput.value = '';
    showChosen();
    state.wantOpen = true;
  });

  function enqueueUpload(file, fields) {
    const id = 'upload-' + (++state.localCounter);
    const item = jobItem({ file_name: file.name, status: 'uploading' });
    item.id = id;
    $('jobs').prepend(item);
    state.queue.push({ file: file, fields: fields, item: item });
    pumpUploads();
  }

  function pumpUploads() {
    while (state.uploading < UPLOADS_AT_ONCE && state.queue.length) {
      const next = state.queue.shift();
      state.uploading++;
      upload(next).finally(function () {
        state.uploading--;
        pumpUploads();
      });
    }
  }

  /** One upload with XMLHttpRequest, for its progress; resolves when the job answer arrived. */
  function upload(task) {
    return new Promise(function (resolve) {
      const form = new FormData();
      form.append('file', task.file, task.file.name);
      for (const key of Object.keys(task.fields)) {
        if (task.fields[key]) form.append(key, task.fields[key]);
      }
      const xhr = new XMLHttpRequest();
      xhr.open('POST', '/api/v1/ocr/');
      const token = OC.token();
      if (token) xhr.setRequestHeader('Authorization', 'Bearer ' + token);
      xhr.responseType = 'json';
      xhr.upload.addEventListener('progress', function (event) {
        if (event.lengthComputable) {
          setItemStatus(task.item, 'Uploading ' + Math.round(event.loaded / event.total * 100) + '%', event.loaded, event.total);
        }
      });
      xhr.upload.addEventListener('load', function () {
        setItemStatus(task.item, 'Uploaded; recognising…', null, null);
      });
      xhr.addEventListener('load', function () {
        const body = xhr.response || {};
        if (xhr.status === 200 && body.uuid) {
          task.item.remove();
          addJob(body, true);
          OC.announce(body.file_name + ': ' + describeStatus(body));
          if (body.status === 'done' && state.wantOpen) openJob(body.uuid, body);
        } else {
          const reason = typeof body.error === 'string' ? body.error : ('HTTP ' + xhr.status);
          task.item.classList.add('failed');
          setItemStatus(task.item, 'Not accepted: ' + reason, 0, 1);
          OC.announce(task.file.name + ' was not accepted: ' + reason);
        }
        resolve();
      });
      xhr.addEventListener('error', function () {
        task.item.classList.add('failed');
        setItemStatus(task.item, 'The server cannot be reached.', 0, 1);
        resolve();
      });
      xhr.send(form);
    });
  }

  // ---------------------------------------------------------------- jobs list

  function describeStatus(job) {
    const pages = job.page_count || 0;
    switch (job.status) {
      case 'uploading': return 'uploading';
      case 'pending': return 'waiting · ' + pages + ' page' + (pages === 1 ? '' : 's');
      case 'processing': return 'recognising · ' + (job.pages_done || 0) + ' of ' + pages + ' pages';
      case 'done': return 'done · ' + pages + ' page' + (pages === 1 ? '' : 's');
      case 'failed': return 'failed: ' + (job.error || 'no reason given');
      default: return String(job.status);
    }
  }

  function jobItem(job) {
    const item = el('li', { className: 'job' });
    const name = el('span', { className: 'job-name', text: job.file_name || 'document' });
    const status = el('span', { className: 'job-status' });
    const head = el('div', { className: 'job-head' }, name, el('br'), status);
    const progress = el('progress', { 'aria-label': 'Progress of ' + (job.file_name || 'document') });
    item.append(head, progress);
    if (job.uuid) {
      item.dataset.uuid = job.uuid;
      const open = el('button', { type: 'button', className: 'job-open', text: 'Open', 'aria-label': 'Open ' + (job.file_name || 'document') });
      open.addEventListener('click', function () { state.wantOpen = false; openJob(job.uuid); });
      item.append(open);
    }
    updateJobItem(item, job);
    return item;
  }

  function setItemStatus(item, text, value, max) {
    item.querySelector('.job-status').textContent = text;
    const progress = item.querySelector('progress');
    if (value === null || value === undefined) {
      progress.removeAttribute('value');
    } else {
      progress.max = Math.max(1, max);
      progress.value = value;
    }
  }

  function updateJobItem(item, job) {
    item.classList.toggle('failed', job.status === 'failed');
    item.classList.toggle('done', job.status === 'done');
    if (job.status === 'uploading' || job.status === 'pending' && !job.page_count) {
      setItemStatus(item, describeStatus(job), null, null);
    } else if (job.status === 'done') {
      setItemStatus(item, describeStatus(job), 1, 1);
    } else {
      setItemStatus(item, describeStatus(job), job.pages_done || 0, job.page_count || 1);
    }
    const open = item.querySelector('.job-open');
    if (open) open.disabled = job.status !== 'done' && job.status !== 'failed';
  }

  function summary(job) {
    return {
      uuid: job.uuid, status: job.status, file_name: job.file_name, page_count: job.page_count,
      pages_done: job.pages_done, error: job.error, created_at: job.created_at
    };
  }

  function addJob(job, newest) {
    const known = state.jobs.get(job.uuid);
    state.jobs.set(job.uuid, summary(job));
    if (!known) {
      if (newest) state.order.unshift(job.uuid); else state.order.push(job.uuid);
      const item = jobItem(job);
      const list = $('jobs');
      if (newest) list.insertBefore(item, list.querySelector('li[data-uuid]')); else list.appendChild(item);
    } else {
      const item = $('jobs').querySelector('li[data-uuid="' + CSS.escape(job.uuid) + '"]');
      if (item) updateJobItem(item, job);
    }
    rememberJobs();
    schedulePoll();
    $('jobs-note').textContent = $('jobs-note').textContent.replace(' None yet.', '');
  }

  /** Anonymous jobs are remembered for this tab only (the server lists an account's jobs). */
  function rememberJobs() {
    if (OC.account) return;
    try {
      const list = state.order.slice(0, 50).map(function (uuid) { return state.jobs.get(uuid); });
      window.sessionStorage.setItem(JOBS_KEY, JSON.stringify(list));
    } catch (e) { /* private mode: the list lives as long as the page */ }
  }

  async function loadJobs() {
    const note = $('jobs-note');
    if (OC.account) {
      note.textContent = 'The recent jobs of ' + OC.account.name + '.';
      try {
        const body = await OC.json('/api/v1/ocr/?limit=50');
        for (const job of body.jobs) addJob(job, false);
      } catch (e) {
        note.textContent = 'The job list cannot be loaded: ' + e.message;
      }
    } else {
      note.textContent = 'Jobs of this browser tab. Sign in to see every job of your account.';
      let saved = [];
      try { saved = JSON.parse(window.sessionStorage.getItem(JOBS_KEY) || '[]'); } catch (e) { saved = []; }
      for (const job of saved) if (job && job.uuid) addJob(job, false);
    }
    if (!state.order.length) note.textContent += ' None yet.';
  }

  // Polls the unfinished jobs once a second; a finished one is fetched once more, whole.
  let pollTimer = null;
  function schedulePoll() {
    if (pollTimer) return;
    pollTimer = window.setTimeout(poll, 1000);
  }

  async function poll() {
    pollTimer = null;
    const waiting = state.order.filter(function (uuid) {
      const job = state.jobs.get(uuid);
      return job && (job.status === 'pending' || job.status === 'processing');
    });
    for (const uuid of waiting) {
      try {
        const job = await OC.json('/api/v1/ocr/' + encodeURIComponent(uuid) + '/');
        const before = state.jobs.get(uuid);
        addJob(job, false);
        if (before && before.status !== job.status) {
          OC.announce(job.file_name + ': ' + describeStatus(job));
          if (job.status === 'done' && state.wantOpen) openJob(uuid, job);
        } else if (before && job.page_count >= 20 && Math.floor(job.pages_done / 10) !== Math.floor((before.pages_done || 0) / 10)) {
          OC.announce(job.file_name + ': ' + describeStatus(job));
        }
      } catch (e) {
        if (e.status === 404 || e.status === 410) {
          const job = state.jobs.get(uuid);
          if (job) { job.status = 'failed'; job.error = e.message; addJob(job, false); }
        }
      }
    }
    if (waiting.length) schedulePoll();
  }

  // ---------------------------------------------------------------- result

  async function openJob(uuid, loaded) {
    state.wantOpen = false;
    let job = loaded;
    if (!job || !Array.isArray(job.pages) || (job.status === 'done' && job.pages.length === 0 && job.page_count > 0)) {
      try {
        job = await OC.json('/api/v1/ocr/' + encodeURIComponent(uuid) + '/');
      } catch (e) {
        $('form-message').textContent = 'The job cannot be opened: ' + e.message;
        return;
      }
    }
    showResult(job);
  }

  function showResult(job) {
    cleanUpPages();
    state.current = job;
    state.conversation = null;
    for (const item of $('jobs').querySelectorAll('li.job')) {
      item.classList.toggle('current', item.dataset.uuid === job.uuid);
    }
    $('workspace').hidden = false;
    $('result-title').textContent = job.file_name || 'Result';
    const meta = [describeStatus(job)];
    if (typeof job.mean_confidence === 'number') meta.push('mean confidence ' + OC.percent(job.mean_confidence));
    if (job.language) meta.push('language ' + job.language);
    if (job.engine) meta.push(job.engine);
    $('result-meta').textContent = meta.join(' · ');
    const error = $('result-error');
    error.hidden = job.status !== 'failed';
    error.textContent = job.status === 'failed' ? 'This job failed: ' + (job.error || 'no reason given') : '';
    renderDownloads(job);
    renderText(job);
    renderMarkdown(job);
    renderPages(job);
    setupChat(job);
    selectTab('tab-text', false);
    $('workspace').scrollIntoView({ block: 'start' });
    $('result-title').focus({ preventScroll: true });
    OC.announce('Showing ' + (job.file_name || 'the result'));
  }

  function renderDownloads(job) {
    const group = $('downloads');
    for (const button of group.querySelectorAll('button')) button.remove();
    $('download-status').textContent = '';
    for (const [format, label] of FORMATS) {
      const button = el('button', { type: 'button', 'data-format': format, text: label, 'aria-label': 'Download as ' + label });
      button.disabled = job.status !== 'done';
      button.addEventListener('click', function () { download(job, format, button); });
      group.appendChild(button);
    }
  }

  async function download(job, format, button) {
    const status = $('download-status');
    button.disabled = true;
    status.textContent = 'Preparing the ' + format + ' file…';
    try {
      const response = await OC.request('/api/v1/ocr/' + encodeURIComponent(job.uuid) + '/download/?format=' + format);
      const blob = await response.blob();
      const disposition = response.headers.get('Content-Disposition') || '';
      const match = /filename="([^"]+)"/.exec(disposition);
      const name = match ? match[1] : 'document.' + format;
      const url = URL.createObjectURL(blob);
      const link = el('a', { href: url, download: name, className: 'visually-hidden', text: name });
      document.body.appendChild(link);
      link.click();
      link.remove();
      window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
      status.textContent = 'Downloaded ' + name + ' (' + formatBytes(blob.size) + ').';
    } catch (e) {
      status.textContent = 'The ' + format + ' file cannot be made: ' + e.message;
    } finally {
      button.disabled = false;
    }
  }

  // Long jobs: each page's section is filled when it comes near the screen, and the page
  // pictures are dropped again when they are far away, so a 200-page job stays light.
  let nearObserver = null;
  let farObserver = null;

  function observers() {
    if (!nearObserver) {
      nearObserver = new IntersectionObserver(function (entries) {
        for (const entry of entries) {
          if (entry.isIntersecting && entry.target.fillPage) entry.target.fillPage();
        }
      }, { rootMargin: '800px 0px' });
      farObserver = new IntersectionObserver(function (entries) {
        for (const entry of entries) {
          if (!entry.isIntersecting && entry.target.emptyPage) entry.target.emptyPage();
        }
      }, { rootMargin: '4000px 0px' });
    }
    return { near: nearObserver, far: farObserver };
  }

  function cleanUpPages() {
    if (nearObserver) { nearObserver.disconnect(); farObserver.disconnect(); }
    for (const figure of document.querySelectorAll('.page-figure')) {
      if (figure.emptyPage) figure.emptyPage();
    }
  }

  function renderText(job) {
    const panel = $('panel-text');
    panel.textContent = '';
    if (job.status !== 'done') {
      panel.appendChild(el('p', { className: 'hint', text: job.status === 'failed' ? 'No text: the job failed.' : 'The text appears when the job is done.' }));
      return;
    }
    if (!job.pages.length) {
      panel.appendChild(el('p', { className: 'hint', text: 'No text was found.' }));
      return;
    }
    const several = job.pages.length > 1;
    job.pages.forEach(function (page) {
      const section = el('section', { className: 'page-text pending', 'aria-label': 'Text of page ' + (page.index + 1) });
      if (several) section.appendChild(el('h3', { className: 'page-head', text: 'Page ' + (page.index + 1) }));
      const pre = el('pre', { className: 'text' });
      section.appendChild(pre);
      section.fillPage = function () {
        if (section.filled) return;
        section.filled = true;
        section.classList.remove('pending');
        pre.textContent = page.text || '(no text on this page)';
        observers().near.unobserve(section);
      };
      panel.appendChild(section);
      if (job.pages.length <= 10) section.fillPage(); else observers().near.observe(section);
    });
  }

  /** The job's Markdown split at its page comments, each page rendered when near the screen. */
  function renderMarkdown(job) {
    const panel = $('panel-markdown');
    panel.textContent = '';
    if (job.status !== 'done') return;
    const chunks = [];
    let current = [];
    for (const line of String(job.markdown || '').split('\n')) {
      if (/^<!--\s*page\s+\d+\s*-->\s*$/.test(line) && current.length) { chunks.push(current.join('\n')); current = []; }
      current.push(line);
    }
    chunks.push(current.join('\n'));
    chunks.forEach(function (chunk, index) {
      const section = el('section', { className: 'page-md pending', 'aria-label': 'Markdown of page ' + (index + 1) });
      section.fillPage = function () {
        if (section.filled) return;
        section.filled = true;
        section.classList.remove('pending');
        section.appendChild(window.OCRMarkdown.render(chunk, { headingOffset: 2 }));
        observers().near.unobserve(section);
      };
      panel.appendChild(section);
      if (chunks.length <= 10) section.fillPage(); else observers().near.observe(section);
    });
  }

  function renderPages(job) {
    const container = $('pages');
    container.textContent = '';
    $('hover-info').textContent = 'Point at a word box to see the word and its confidence.';
    if (job.status !== 'done') return;
    for (const page of job.pages) {
      const number = page.index + 1;
      const words = [];
      for (const block of page.blocks) for (const line of block.lines) for (const word of line.words) words.push(word);
      const low = words.filter(function (word) { return word.confidence < LOW_CONFIDENCE; }).length;
      const figure = el('figure', { className: 'page-figure pending', id: 'page-' + number, tabindex: '-1', 'data-page': number });
      const caption = el('figcaption', {
        text: 'Page ' + number + ' · ' + words.length + ' words · mean confidence ' + OC.percent(page.mean_confidence) +
          (low ? ' · ' + low + ' below ' + OC.percent(LOW_CONFIDENCE) : '') + (page.source === 'text-layer' ? ' · from the PDF text layer' : '')
      });
      const canvas = el('div', { className: 'page-canvas' });
      canvas.style.aspectRatio = page.width + ' / ' + page.height;
      const placeholder = el('div', { className: 'placeholder', text: 'Page ' + number });
      canvas.appendChild(placeholder);
      figure.append(caption, canvas);
      figure.fillPage = function () {
        if (figure.filled) return;
        figure.filled = true;
        figure.classList.remove('pending');
        loadPageImage(job, page, canvas, placeholder, figure);
        canvas.appendChild(wordBoxes(page, words, low));
      };
      figure.emptyPage = function () {
        if (!figure.filled) return;
        figure.filled = false;
        if (figure.imageURL) { URL.revokeObjectURL(figure.imageURL); figure.imageURL = null; }
        for (const child of Array.from(canvas.children)) if (child !== placeholder) child.remove();
        placeholder.hidden = false;
      };
      container.appendChild(figure);
      observers().near.observe(figure);
      observers().far.observe(figure);
    }
  }

  async function loadPageImage(job, page, canvas, placeholder, figure) {
    try {
      const response = await OC.request('/api/v1/ocr/' + encodeURIComponent(job.uuid) + '/pages/' + page.index + '/image/');
      const blob = await response.blob();
      if (!figure.filled || state.current !== job) return;
      const url = URL.createObjectURL(blob);
      figure.imageURL = url;
      const image = el('img', { alt: 'Page ' + (page.index + 1) + ' of ' + (job.file_name || 'the document'), src: url, decoding: 'async' });
      canvas.insertBefore(image, canvas.firstChild);
      placeholder.hidden = true;
    } catch (e) {
      placeholder.textContent = 'No picture of this page: ' + e.message;
    }
  }

  const SVG = 'http://www.w3.org/2000/svg';

  function wordBoxes(page, words, low) {
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'boxes');
    svg.setAttribute('viewBox', '0 0 ' + page.width + ' ' + page.height);
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'Word boxes of page ' + (page.index + 1) + ': ' + words.length + ' words, ' + low + ' with low confidence');
    for (const word of words) {
      const [x0, y0, x1, y1] = word.bbox;
      const rect = document.createElementNS(SVG, 'rect');
      rect.setAttribute('x', x0);
      rect.setAttribute('y', y0);
      rect.setAttribute('width', Math.max(1, x1 - x0));
      rect.setAttribute('height', Math.max(1, y1 - y0));
      if (word.confidence < LOW_CONFIDENCE) rect.setAttribute('class', 'low');
      rect.dataset.confidence = String(word.confidence);
      const title = document.createElementNS(SVG, 'title');
      title.textContent = word.text + ' · confidence ' + OC.percent(word.confidence);
      rect.appendChild(title);
      rect.wordText = word.text;
      svg.appendChild(rect);
    }
    svg.addEventListener('mouseover', function (event) {
      const rect = event.target;
      if (rect.tagName !== 'rect') return;
      $('hover-info').textContent = '“' + rect.wordText + '”, confidence ' + OC.percent(rect.dataset.confidence) +
        (Number(rect.dataset.confidence) < LOW_CONFIDENCE ? ' (low)' : '') + ', page ' + (page.index + 1);
    });
    return svg;
  }

  $('show-boxes').addEventListener('change', function () {
    $('pages').classList.toggle('hide-boxes', !$('show-boxes').checked);
  });

  // ---------------------------------------------------------------- tabs

  const TABS = ['tab-text', 'tab-markdown', 'tab-pages'];

  function selectTab(id, focus) {
    for (const tabId of TABS) {
      const tab = $(tabId);
      const selected = tabId === id;
      tab.setAttribute('aria-selected', selected ? 'true' : 'false');
      tab.tabIndex = selected ? 0 : -1;
      $(tab.getAttribute('aria-controls')).hidden = !selected;
    }
    if (focus) $(id).focus();
  }

  for (const tabId of TABS) {
    const tab = $(tabId);
    tab.addEventListener('click', function () { selectTab(tabId, false); });
    tab.addEventListener('keydown', function (event) {
      const index = TABS.indexOf(tabId);
      let next = null;
      if (event.key === 'ArrowRight') next = TABS[(index + 1) % TABS.length];
      if (event.key === 'ArrowLeft') next = TABS[(index + TABS.length - 1) % TABS.length];
      if (event.key === 'Home') next = TABS[0];
      if (event.key === 'End') next = TABS[TABS.length - 1];
      if (next) { event.preventDefault(); selectTab(next, true); }
    });
  }

  /** A citation's page: the Pages view, scrolled to it, focused, briefly marked. */
  function jumpToPage(number) {
    selectTab('tab-pages', false);
    const figure = $('page-' + number);
    if (!figure) return;
    if (figure.fillPage) figure.fillPage();
    figure.scrollIntoView({ block: 'start' });
    figure.focus({ preventScroll: true });
    figure.classList.add('flash');
    window.setTimeout(function () { figure.classList.remove('flash'); }, 2000);
    OC.announce('Page ' + number);
  }

  // ---------------------------------------------------------------- chat

  function setupChat(job) {
    const log = $('chat-log');
    log.textContent = '';
    $('chat-status').textContent = '';
    const input = $('chat-input');
    const send = $('chat-send');
    const ready = job.status === 'done' && !!OC.token();
    input.disabled = !ready;
    send.disabled = !ready;
    if (!OC.token()) {
      $('chat-note').textContent = 'Questions need an account: sign in on the Account page.';
    } else if (job.status !== 'done') {
      $('chat-note').textContent = 'Questions can be asked once the job is done.';
    } else {
      $('chat-note').textContent = 'Answers come from the recognised text alone, with the pages they cite.';
      loadHistory(job);
    }
  }

  async function loadHistory(job) {
    try {
      const body = await OC.json('/api/v1/chat/' + encodeURIComponent(job.uuid) + '/history/');
      if (state.current !== job || !Array.isArray(body.messages)) return;
      for (const message of body.messages) {
        if (message && typeof message === 'object' && typeof message.content === 'string') {
          addChatMessage(message.role === 'user' ? 'user' : 'assistant', message.content, message.citations);
        }
        if (message && typeof message.conversation === 'string') state.conversation = message.conversation;
      }
      if (typeof body.conversation === 'string') state.conversation = body.conversation;
    } catch (e) {
      // No history yet, or none kept by this server: the panel starts empty.
    }
  }

  function addChatMessage(role, content, citations) {
    const item = el('li', { className: role },
      el('span', { className: 'who-said', text: role === 'user' ? 'You' : 'Answer' }),
      el('p', { className: 'answer', text: content }));
    if (Array.isArray(citations) && citations.length) {
      const list = el('ul', { className: 'citations', 'aria-label': 'Cited pages' });
      for (const citation of citations) {
        const page = parseInt(citation && citation.page, 10);
        if (!(page >= 1)) continue;
        const link = el('a', { href: '#page-' + page, className: 'citation', 'data-page': page, text: 'Page ' + page });
        link.addEventListener('click', function (event) {
          event.preventDefault();
          jumpToPage(page);
        });
        const entry = el('li', null, link);
        if (citation.snippet) entry.appendChild(el('q', { text: String(citation.snippet) }));
        list.appendChild(entry);
      }
      item.appendChild(list);
    }
    $('chat-log').appendChild(item);
    return item;
  }

  $('chat-form').addEventListener('submit', async function (event) {
    event.preventDefault();
    const job = state.current;
    const input = $('chat-input');
    const question = input.value.trim();
    if (!job || !question) return;
    const status = $('chat-status');
    const send = $('chat-send');
    addChatMessage('user', question);
    input.value = '';
    send.disabled = true;
    status.textContent = 'Thinking…';
    try {
      const payload = { message: question };
      if (state.conversation) payload.conversation = state.conversation;
      const body = await OC.json('/api/v1/chat/' + encodeURIComponent(job.uuid) + '/', {
        method: 'POST', body: JSON.stringify(payload), headers: { 'Content-Type': 'application/json' }
      });
      if (state.current !== job) return;
      // The contract's shape is {conversation, message: {role, content, citations}}; a flat
      // {answer, citations} is read too.
      const message = body.message && typeof body.message === 'object' ? body.message : {};
      const content = typeof message.content === 'string' ? message.content : (typeof body.answer === 'string' ? body.answer : '');
      const citations = Array.isArray(message.citations) ? message.citations : (Array.isArray(body.citations) ? body.citations : []);
      if (typeof body.conversation === 'string') state.conversation = body.conversation;
      addChatMessage('assistant', content || '(no answer)', citations);
      status.textContent = citations.length ? 'Answered, citing ' + citations.length + ' passage' + (citations.length === 1 ? '' : 's') + '.' : 'Answered.';
    } catch (e) {
      if (e.status === 501) {
        status.textContent = 'This server does not answer questions yet (it said: ' + e.message + ').';
      } else if (e.status === 401) {
        status.textContent = 'Questions need an account: sign in on the Account page.';
      } else if (e.status === 402) {
        status.textContent = 'Out of credits: ' + e.message;
      } else {
        status.textContent = 'No answer: ' + e.message;
      }
    } finally {
      send.disabled = false;
    }
  });

  // The language suggestions are what this server has installed, not a fixed list: a language
  // it lacks is refused with a 400, so offering it would only invite one.
  async function loadLanguages() {
    const list = $('language-list');
    try {
      const body = await OC.json('/api/v1/languages/');
      if (!Array.isArray(body.languages) || !body.languages.length) return;
      list.textContent = '';
      for (const language of body.languages) {
        list.appendChild(el('option', { value: language.code, text: language.name }));
      }
      const count = body.languages.filter(function (l) { return l.code !== 'auto'; }).length;
      $('language-hint').textContent = 'auto, or one of the ' + count + ' installed here (a code such as en or de, '
        + 'Tesseract names, two joined as eng+deu).';
    } catch (e) { /* the built-in suggestions stay */ }
  }

  OC.ready.then(loadJobs);
  loadLanguages();
})();
