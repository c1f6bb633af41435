// Written as Swift source so that the `ocrchat` binary carries its web page wherever it is copied;
// there is no build step for the page: edit the text below.
extension WebAssets {
    /// The stylesheet of every page, `/static/app.css`.
    static let appCSS = #"""
/* ocrchat web page. System fonts only: nothing is fetched from anywhere but this server. */
:root {
  --bg: #f5f6f8; --card: #ffffff; --ink: #1d2330; --muted: #5a6272; --line: #d5d9e0;
  --accent: #1f5fbf; --accent-ink: #ffffff; --focus: #ffbf47; --ok: #1f5fbf; --low: #c62828;
  --radius: 8px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
  color: var(--ink); background: var(--bg); line-height: 1.5;
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--accent); }
code, pre, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }
[hidden] { display: none !important; }

.top { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .6rem 1rem; background: #15233d; color: #fff; }
.top a { color: #fff; text-decoration: none; }
.top nav { display: flex; gap: 1rem; }
.top nav a { padding: .25rem .1rem; border-bottom: 2px solid transparent; }
.top nav a[aria-current="page"] { border-bottom-color: #fff; font-weight: 600; }
.brand { font-weight: 700; font-size: 1.15rem; letter-spacing: .02em; }
.who { margin: 0 0 0 auto; font-size: .9rem; color: #d8e1f0; }

main { max-width: 1240px; margin: 0 auto; padding: 1rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 1rem 1.25rem; margin-bottom: 1rem; }
.card.narrow { max-width: 680px; margin-left: auto; margin-right: auto; }
h1 { font-size: 1.5rem; margin: 0 0 .75rem; }
h2 { font-size: 1.2rem; margin: 0 0 .6rem; }
h3 { font-size: 1rem; margin: .8rem 0 .3rem; }
.hint { color: var(--muted); font-size: .9rem; margin: .25rem 0; }
.message { min-height: 1.5em; margin: .4rem 0; }
.error { color: var(--low); font-weight: 600; }

button, select, input { font: inherit; color: inherit; }
button { cursor: pointer; border: 1px solid var(--line); background: #eef1f6; border-radius: 6px; padding: .45rem .9rem; }
button:hover { background: #e2e7f0; }
button.primary { background: var(--accent); color: var(--accent-ink); border-color: var(--accent); font-weight: 600; }
button.primary:hover { background: #174c9a; }
button:disabled { opacity: .55; cursor: not-allowed; }
select, input[type="text"], input:not([type]), input[type="password"] { border: 1px solid #9aa3b2; border-radius: 6px; padding: .4rem .55rem; background: #fff; min-width: 0; }

.drop { border: 2px dashed #9aa3b2; border-radius: var(--radius); padding: 1.25rem; text-align: center; background: #fafbfd; }
.drop.over { border-color: var(--accent); background: #eaf1fc; }
.drop:focus-within { outline: 3px solid var(--focus); outline-offset: 2px; }
.drop-label { display: inline-block; cursor: pointer; padding: .6rem 1.1rem; border-radius: 6px; background: var(--accent); color: #fff; font-weight: 600; }
.drop-alt { font-weight: 400; opacity: .9; }
.chosen { list-style: none; padding: 0; margin: .5rem 0 0; font-size: .95rem; }
.options { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: .75rem 1rem; margin: 1rem 0 .5rem; }
.field { display: flex; flex-direction: column; gap: .25rem; }
.field label { font-weight: 600; }
.actions { display: flex; flex-wrap: wrap; align-items: center; gap: .75rem; margin-top: .5rem; }
.check { display: inline-flex; gap: .4rem; align-items: center; }

.jobs { list-style: none; margin: 0; padding: 0; display: grid; gap: .5rem; }
.job { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: .25rem 1rem; align-items: center; padding: .55rem .75rem; border: 1px solid var(--line); border-radius: 6px; }
.job.current { border-color: var(--accent); box-shadow: 0 0 0 1px var(--accent) inset; }
.job-name { font-weight: 600; overflow-wrap: anywhere; }
.job-status { color: var(--muted); font-size: .9rem; }
.job.failed .job-status { color: var(--low); }
.job progress { grid-column: 1 / -1; width: 100%; height: .6rem; }
.job-open { grid-row: 1 / span 2; grid-column: 2; }

.workspace { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0 1rem; }
@media (min-width: 1000px) {
  .workspace { grid-template-columns: minmax(0, 1fr) 340px; align-items: start; }
  .chat { position: sticky; top: 1rem; max-height: calc(100vh - 2rem); overflow: auto; }
}
.meta { color: var(--muted); margin: 0 0 .5rem; }
.downloads { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; }
.downloads-label { font-weight: 600; margin-right: .25rem; }
.downloads button { padding: .3rem .65rem; font-size: .9rem; }
.tabs { display: flex; gap: .25rem; border-bottom: 1px solid var(--line); margin-top: .75rem; }
.tabs [role="tab"] { border: 1px solid transparent; border-bottom: none; border-radius: 6px 6px 0 0; background: transparent; padding: .45rem 1rem; margin-bottom: -1px; }
.tabs [role="tab"][aria-selected="true"] { background: var(--card); border-color: var(--line); font-weight: 600; border-bottom: 1px solid var(--card); }
.panel { padding: .75rem 0; }
.page-text, .page-md { border-bottom: 1px solid var(--line); padding-bottom: .5rem; min-height: 3rem; }
.page-text.pending, .page-md.pending, .page-figure.pending { min-height: 12rem; }
.page-text pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: .25rem 0; font-size: .95rem; }
.page-head { font-size: .95rem; color: var(--muted); margin: .75rem 0 .25rem; }

.markdown table { border-collapse: collapse; margin: .5rem 0; display: block; overflow-x: auto; }
.markdown th, .markdown td { border: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top; }
.markdown pre { background: #f0f2f5; padding: .5rem; overflow-x: auto; }
.markdown blockquote { border-left: 3px solid var(--line); margin: .5rem 0; padding-left: .75rem; color: var(--muted); }
.markdown p { margin: .5rem 0; overflow-wrap: anywhere; }
.page-marker { margin: 1rem 0 .25rem; font-size: .85rem; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }

.pages-tools { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; }
.legend { font-size: .9rem; color: var(--muted); display: inline-flex; gap: .35rem; align-items: center; }
.swatch { display: inline-block; width: 1.1rem; height: .8rem; border: 2px solid var(--ok); }
.swatch.low { border: 2px dashed var(--low); background: rgba(198, 40, 40, .15); margin-left: .6rem; }
.hover-info { min-height: 1.5em; font-size: .95rem; margin: .4rem 0; }
.page-figure { margin: 0 0 1.25rem; scroll-margin-top: 1rem; }
.page-figure:focus { outline: 3px solid var(--focus); outline-offset: 2px; }
.page-figure.flash .page-canvas { box-shadow: 0 0 0 4px var(--focus); }
.page-figure figcaption { font-size: .95rem; color: var(--muted); margin-bottom: .25rem; }
.page-canvas { position: relative; width: 100%; max-width: 1000px; background: #e9ecf1; border: 1px solid var(--line); }
.page-canvas img { display: block; width: 100%; height: 100%; }
.page-canvas svg { position: absolute; inset: 0; width: 100%; height: 100%; }
.page-canvas .placeholder { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; color: var(--muted); }
.boxes rect { fill: rgba(31, 95, 191, .06); stroke: var(--ok); stroke-width: 2px; vector-effect: non-scaling-stroke; pointer-events: all; }
.boxes rect.low { fill: rgba(198, 40, 40, .16); stroke: var(--low); stroke-dasharray: 5 3; }
.boxes rect:hover, .boxes rect.hit { fill: rgba(255, 191, 71, .45); }
.hide-boxes .boxes { display: none; }

.chat-log { list-style: none; margin: 0 0 .75rem; padding: 0; display: grid; gap: .5rem; }
.chat-log li { padding: .5rem .7rem; border-radius: 6px; overflow-wrap: anywhere; }
.chat-log .user { background: #eef1f6; }
.chat-log .assistant { background: #f4f8ee; border: 1px solid #d9e6c8; }
.chat-log .who-said { font-weight: 600; font-size: .85rem; color: var(--muted); display: block; }
.chat-log .answer { white-space: pre-wrap; margin: .2rem 0; }
.citations { list-style: none; padding: 0; margin: .3rem 0 0; display: grid; gap: .3rem; }
.citations q { display: block; font-size: .88rem; color: var(--muted); }
.chat-form label { font-weight: 600; display: block; margin-bottom: .25rem; }
.chat-row { display: flex; gap: .5rem; }
.chat-row input { flex: 1; }

.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0 0 1rem; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.token-row { display: flex; gap: .5rem; }
.token-row input { flex: 1; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
.meter { width: 100%; height: .8rem; }

.docs section.op { border: 1px solid var(--line); border-radius: 6px; margin: .5rem 0; background: var(--card); }
.docs details > summary { cursor: pointer; padding: .5rem .75rem; display: flex; flex-wrap: wrap; gap: .6rem; align-items: baseline; }
.docs .method { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-weight: 700; text-transform: uppercase; min-width: 4rem; }
.docs .path { font-family: ui-monospace, "DejaVu Sans Mono", monospace; overflow-wrap: anywhere; }
.docs .op-body { padding: 0 .75rem .75rem; }
.docs table { border-collapse: collapse; width: 100%; margin: .4rem 0; font-size: .92rem; }
.docs th, .docs td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
.docs .schema { font-size: .92rem; margin: .2rem 0 .2rem 1rem; padding: 0; }
.docs .schema li { list-style: square; }
.docs .type { color: #6b3fa0; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
.docs .req { color: var(--low); font-size: .8rem; }

@media (max-width: 600px) {
  main { padding: .5rem; }
  .card { padding: .75rem; }
  .job { grid-template-columns: 1fr; }
  .job-open { grid-row: auto; grid-column: 1; justify-self: start; }
  .who { margin-left: 0; width: 100%; }
  .tabs [role="tab"] { padding: .45rem .6rem; }
}
"""#
}
