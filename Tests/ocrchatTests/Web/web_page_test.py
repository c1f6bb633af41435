#!/usr/bin/env python3
"""Drives ocrchat's web page in headless Chromium (Debian's chromium + chromium-driver) with
Selenium, against a live `ocrchat serve` on loopback, as a person in the office would use it.

    web_page_test.py BASE_URL STEP --samples DIR --screenshots DIR [--token TOKEN]

STEP is one of: convert, hostile, chat, single-user, long-job, layout. Exit status 0: passed;
1: failed (the reason on stderr); 3: skipped (the reason on stdout).
Every step saves screenshots as NN-name.png in the screenshots folder.
"""
import argparse
import glob
import json
import os
import shutil
import sys
import tempfile
import time
import zlib

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

SKIP = 3


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class Browser:
    def __init__(self, base_url, screenshots, width=1366, height=900):
        self.base_url = base_url.rstrip("/")
        self.screenshots = screenshots
        self.downloads = tempfile.mkdtemp(prefix="ocrchat-downloads-")
        self.profile = tempfile.mkdtemp(prefix="ocrchat-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         f"--window-size={width},{height}", f"--user-data-dir={self.profile}",
                         "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                         "--disable-background-networking", "--disable-sync", "--metrics-recording-only"):
            options.add_argument(argument)
        options.add_experimental_option("prefs", {
            "download.default_directory": self.downloads,
            "download.prompt_for_download": False,
            "safebrowsing.enabled": False,
        })
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_page_load_timeout(30)
        self.driver.execute_cdp_cmd("Browser.setDownloadBehavior", {
            "behavior": "allow", "downloadPath": self.downloads, "eventsEnabled": False})
        # Before any page script: alert/confirm/prompt only record that they were called, and every
        # CSP violation is counted, so a script that should never run is caught without a dialog.
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": """
            window.__ocrchatAlerts = [];
            window.__ocrchatViolations = [];
            for (const name of ['alert', 'confirm', 'prompt']) {
              window[name] = function (message) { window.__ocrchatAlerts.push(name + ': ' + message); };
            }
            document.addEventListener('securitypolicyviolation', function (event) {
              window.__ocrchatViolations.push(event.violatedDirective + ' ' + event.blockedURI);
            });
        """})
        self.counter = 0

    def close(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.downloads, ignore_errors=True)
            shutil.rmtree(self.profile, ignore_errors=True)

    def open(self, path):
        self.driver.get(self.base_url + path)
        self.wait(lambda d: d.execute_script("return document.readyState") == "complete", "the page to load")

    def wait(self, condition, what, timeout=90):
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.2).until(condition)
        except TimeoutException:
            self.shot("timeout")
            raise Failure(f"timed out waiting for {what}")

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def finds(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self, css):
        elements = self.finds(css)
        return elements[0].text if elements else ""

    def js(self, script, *arguments):
        return self.driver.execute_script(script, *arguments)

    def shot(self, name):
        self.counter += 1
        os.makedirs(self.screenshots, exist_ok=True)
        path = os.path.join(self.screenshots, f"{self.counter:02d}-{name}.png")
        self.driver.save_screenshot(path)
        print(f"screenshot {path}")
        return path

    def full_shot(self, name):
        """The whole page, not just the window (Chromium's DevTools capture beyond the viewport)."""
        height = self.js("return Math.min(document.documentElement.scrollHeight, 4000)")
        width = self.js("return document.documentElement.clientWidth")
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        try:
            return self.shot(name)
        finally:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    def no_script_ran(self):
        """No dialog was opened, no CSP violation happened, no console error but expected ones."""
        alerts = self.js("return window.__ocrchatAlerts || []")
        check(not alerts, f"a dialog was opened: {alerts}")
        try:
            dialog = self.driver.switch_to.alert
            raise Failure(f"a real dialog is open: {dialog.text}")
        except NoAlertPresentException:
            pass
        violations = self.js("return window.__ocrchatViolations || []")
        check(not violations, f"content security policy violations: {violations}")
        errors = [entry["message"] for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE"
                  and "/api/v1/local-token/" not in entry["message"]  # the single-user probe's 404
                  and "/api/v1/chat/" not in entry["message"]]  # chat's 501/409 answers are shown to the user
        check(not errors, f"errors in the browser console: {errors}")

    def sign_in(self, token):
        self.open("/account")
        self.wait(lambda d: not d.find_element(By.ID, "signin").get_attribute("hidden")
                  or not d.find_element(By.ID, "account").get_attribute("hidden"), "the account page")
        if not self.find("#signin").get_attribute("hidden"):
            self.find("#token-input").send_keys(token)
            self.find("#signin-form button[type=submit]").click()
        self.wait(lambda d: not d.find_element(By.ID, "account").get_attribute("hidden"), "the signed-in account view")

    def upload(self, *paths, tier=None):
        self.open("/")
        self.wait(lambda d: d.find_element(By.ID, "who").text.strip() != "", "the header to say who is signed in")
        if tier:
            self.find(f"#tier option[value='{tier}']").click()
        self.find("#files").send_keys("\n".join(paths))
        self.find("#convert").click()

    def wait_for_result(self, file_name, timeout=120):
        self.wait(lambda d: d.find_element(By.ID, "result-title").text == file_name
                  and "done" in d.find_element(By.ID, "result-meta").text, f"the result of {file_name}", timeout)

    def select_tab(self, name):
        self.find(f"#tab-{name}").click()
        self.wait(lambda d: d.find_element(By.ID, f"tab-{name}").get_attribute("aria-selected") == "true", f"the {name} tab")


def born_digital_pdf(page_texts):
    """A PDF whose pages carry real Helvetica text (a text layer), so no page needs OCR."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", None,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    kids = []
    for lines in page_texts:
        content = b"BT /F1 14 Tf 72 720 Td 18 TL " + b" ".join(
            b"(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1") + b") '"
            for line in lines) + b" ET"
        data = zlib.compress(content)
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")
        content_number = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> >>" % content_number)
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(kids)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --------------------------------------------------------------------------------------- steps

def step_convert(browser, args):
    """Sign in, upload a real scan, read its text and Markdown, see the word boxes, download a PDF."""
    check(args.token, "convert needs --token")
    browser.sign_in(args.token)
    check(browser.find("#token-value").get_attribute("value") == args.token, "the account page shows another token")
    check(browser.find("#token-value").get_attribute("type") == "password", "the token is not masked at first")
    browser.find("#token-show").click()
    check(browser.find("#token-value").get_attribute("type") == "text", "Show does not reveal the token")
    browser.driver.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": browser.base_url, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    browser.find("#token-copy").click()
    browser.wait(lambda d: d.find_element(By.ID, "copy-message").text != "", "the copy message")
    check(browser.text("#copy-message") == "Token copied.", f"copy said: {browser.text('#copy-message')}")
    copied = browser.js("return navigator.clipboard.readText()")
    check(copied == args.token, "the clipboard does not hold the token")
    usage = browser.text("#usage")
    check("used of" in usage and "left" in usage, f"the usage shows no used/cap: {usage!r}")
    check(browser.text("#acct-plan").startswith("free"), "the plan is not shown")
    browser.shot("account-signed-in")
    check(args.token not in browser.driver.current_url, "the token is in the URL")

    sample = os.path.join(args.samples, "phototest.png")
    browser.upload(sample)
    browser.wait_for_result("phototest.png")
    browser.wait(lambda d: "quick brown" in d.find_element(By.ID, "panel-text").text, "the recognised text")
    jobs = browser.text("#jobs")
    check("phototest.png" in jobs and "done" in jobs, f"the job list does not show the finished job: {jobs!r}")
    check(browser.driver.switch_to.active_element.get_attribute("id") == "result-title",
          "the focus did not move to the result")
    browser.shot("text")
    # The language suggestions are the models this server has installed, as it lists them.
    served = browser.js("return fetch('/api/v1/languages/').then(function (r) { return r.json(); })")["languages"]
    offered = browser.js("return Array.from(document.querySelectorAll('#language-list option')).map(function (o) { return o.value; })")
    check(offered == [language["code"] for language in served], f"the page offers {offered}, the server lists {served}")
    check(offered[0] == "auto" and "fr" in offered, f"the page offers {offered}")
    check("installed here" in browser.text("#language-hint"), f"the hint says {browser.text('#language-hint')!r}")

    browser.select_tab("markdown")
    browser.wait(lambda d: "quick brown" in d.find_element(By.ID, "panel-markdown").text, "the Markdown")
    check(browser.finds("#panel-markdown p"), "the Markdown has no paragraph")
    browser.shot("markdown")

    browser.select_tab("pages")
    browser.wait(lambda d: d.execute_script(
        "const i = document.querySelector('#page-1 .page-canvas img'); return !!i && i.complete && i.naturalWidth > 0"),
        "the page picture")
    boxes = browser.finds("#page-1 svg.boxes rect")
    check(len(boxes) >= 50, f"only {len(boxes)} word boxes drawn")
    geometry = browser.js("""
        const img = document.querySelector('#page-1 .page-canvas img').getBoundingClientRect();
        const svg = document.querySelector('#page-1 svg.boxes').getBoundingClientRect();
        const rects = Array.from(document.querySelectorAll('#page-1 svg.boxes rect')).map(r => r.getBoundingClientRect());
        const inside = rects.filter(r => r.left >= img.left - 1 && r.right <= img.right + 1 && r.top >= img.top - 1 && r.bottom <= img.bottom + 1).length;
        return {img: [img.width, img.height], svg: [svg.width, svg.height], inside: inside, total: rects.length,
                low: document.querySelectorAll('#page-1 svg.boxes rect.low').length};
    """)
    check(abs(geometry["img"][0] - geometry["svg"][0]) < 2 and abs(geometry["img"][1] - geometry["svg"][1]) < 2,
          f"the overlay is not the size of the picture: {geometry}")
    check(geometry["inside"] == geometry["total"], f"word boxes outside the picture: {geometry}")
    ActionChains(browser.driver).move_to_element(boxes[3]).perform()
    browser.wait(lambda d: "confidence" in d.find_element(By.ID, "hover-info").text, "the hovered word's confidence")
    hover = browser.text("#hover-info")
    title = browser.js("return arguments[0].querySelector('title').textContent", boxes[3])
    check("%" in hover and "confidence" in title, f"hover shows {hover!r}, title {title!r}")
    print(f"boxes: {geometry['total']} words, {geometry['low']} low-confidence; hover: {hover}")
    browser.full_shot("pages-word-boxes")

    browser.find("#downloads button[data-format='pdf']").click()
    browser.wait(lambda d: "Downloaded" in d.find_element(By.ID, "download-status").text, "the download to finish")
    pdfs = []
    deadline = time.time() + 30
    while time.time() < deadline:
        pdfs = [p for p in glob.glob(os.path.join(browser.downloads, "*.pdf"))]
        if pdfs and os.path.getsize(pdfs[0]) > 0:
            break
        time.sleep(0.2)
    check(pdfs, f"no PDF arrived in the download folder: {os.listdir(browser.downloads)}")
    with open(pdfs[0], "rb") as handle:
        check(handle.read(5) == b"%PDF-", "the download is not a PDF")
    check(os.path.basename(pdfs[0]) == "phototest.pdf", f"the download is named {os.path.basename(pdfs[0])}")
    print(f"download: {os.path.basename(pdfs[0])}, {os.path.getsize(pdfs[0])} bytes")
    browser.shot("downloaded-pdf")
    browser.no_script_ran()


def step_hostile(browser, args):
    """A scan that reads `<img src=x onerror=alert(1)>`, under a file name that is markup too."""
    folder = tempfile.mkdtemp(prefix="ocrchat-hostile-")
    hostile_name = "<img src=x onerror=alert(2)>.png"
    path = os.path.join(folder, hostile_name)
    shutil.copy(os.path.join(args.samples, "hostile-text.png"), path)
    try:
        browser.upload(path)
        browser.wait_for_result(hostile_name)
        browser.wait(lambda d: "onerror=alert(1)" in d.find_element(By.ID, "panel-text").text, "the hostile text")
        text = browser.text("#panel-text")
        check("<img src=x onerror=alert(1)>" in text, f"the characters are not shown as they read: {text!r}")
        check("<img src=x onerror=alert(2)>.png" in browser.text("#jobs"), "the file name is not shown as text")
        browser.shot("hostile-text")
        browser.select_tab("markdown")
        browser.wait(lambda d: "onerror=alert(1)" in d.find_element(By.ID, "panel-markdown").text, "the hostile Markdown")
        check("<img src=x onerror=alert(1)>" in browser.text("#panel-markdown"), "the Markdown does not show the characters")
        browser.shot("hostile-markdown")
        browser.select_tab("pages")
        browser.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#page-1 svg.boxes rect")) > 0, "the word boxes")
        injected = browser.js("""
            return document.querySelectorAll('[onerror], img[src="x"], main script, #panel-text *:not(section):not(pre):not(h3)').length
        """)
        check(injected == 0, f"{injected} elements were made from the recognised text")
        time.sleep(1)  # an onerror handler would have fired by now
        browser.no_script_ran()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def step_chat(browser, args):
    """Ask a question about a finished scan; the answer cites a page, and the citation jumps there."""
    check(args.token, "chat needs --token")
    browser.sign_in(args.token)
    browser.upload(os.path.join(args.samples, "scanned-2pages.pdf"))
    browser.wait_for_result("scanned-2pages.pdf")
    browser.wait(lambda d: not d.find_element(By.ID, "chat-input").get_attribute("disabled"), "the chat input")
    browser.find("#chat-input").send_keys("What is the total amount due on the invoice?")
    browser.find("#chat-send").click()
    browser.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#chat-log li.assistant")
                 or "does not answer questions yet" in d.find_element(By.ID, "chat-status").text, "an answer")
    check(browser.finds("#chat-log li.assistant"), f"no answer: {browser.text('#chat-status')!r}")
    answer = browser.text("#chat-log li.assistant")
    check("1,250.00" in answer, f"the answer does not hold the invoice total: {answer!r}")
    links = browser.finds("#chat-log li.assistant a.citation")
    check(links, f"the answer cites no page: {answer!r}")
    page = links[0].get_attribute("data-page")
    check(links[0].get_attribute("href").endswith(f"#page-{page}"), "the citation is not a link to its page")
    print(f"answer: {answer!r}; first citation: page {page}")
    browser.shot("chat-answer")
    links[0].click()
    browser.wait(lambda d: d.find_element(By.ID, "tab-pages").get_attribute("aria-selected") == "true", "the Pages view")
    browser.wait(lambda d: d.switch_to.active_element.get_attribute("id") == f"page-{page}", f"page {page} to get the focus")
    check(browser.js(f"const r = document.getElementById('page-{page}').getBoundingClientRect(); return r.top < window.innerHeight && r.bottom > 0"),
          f"page {page} is not on screen")
    browser.shot("chat-citation-jump")
    browser.no_script_ran()


def step_single_user(browser, args):
    """`serve --single-user`: the page signs in as the local account without a token typed."""
    browser.open("/")
    browser.wait(lambda d: "Signed in as" in d.find_element(By.ID, "who").text, "the automatic sign-in")
    check("local (single-user)" in browser.text("#who"), f"signed in as {browser.text('#who')!r}")
    browser.open("/account")
    browser.wait(lambda d: not d.find_element(By.ID, "account").get_attribute("hidden"), "the account view")
    shown = browser.find("#token-value").get_attribute("value")
    check(args.token and shown == args.token, "the account page does not show the local token")
    check("single-user" in browser.text("#acct-plan"), "the plan does not say single-user")
    browser.find("#token-show").click()
    browser.shot("single-user-account")
    browser.find("#signout").click()
    browser.wait(lambda d: not d.find_element(By.ID, "signin").get_attribute("hidden"), "the sign-in form after signing out")
    browser.open("/")
    browser.wait(lambda d: "Anonymous" in d.find_element(By.ID, "who").text, "staying signed out")
    browser.no_script_ran()


def step_long_job(browser, args):
    """A 200-page job: progress shows pages done of total, and the result renders lazily."""
    folder = tempfile.mkdtemp(prefix="ocrchat-long-")
    path = os.path.join(folder, "long-200pages.pdf")
    with open(path, "wb") as handle:
        handle.write(born_digital_pdf([[f"Page {n} of the long register", "Entries were checked and signed.",
                                        f"Reference number {1000 + n}"] for n in range(1, 201)]))
    try:
        browser.upload(path)
        browser.wait(lambda d: "page" in d.find_element(By.CSS_SELECTOR, "#jobs li[data-uuid] .job-status").text,
                     "the job in the list")
        status = browser.text("#jobs li[data-uuid] .job-status")
        progress = browser.js("const p = document.querySelector('#jobs li[data-uuid] progress'); return [p.value, p.max]")
        print(f"first status seen: {status!r}, progress {progress}")
        check("200" in status, f"the status does not say how many pages: {status!r}")
        browser.shot("long-job-progress")
        browser.wait_for_result("long-200pages.pdf", timeout=240)
        started = time.time()
        browser.wait(lambda d: "Page 1 of the long register" in d.find_element(By.ID, "panel-text").text, "page 1's text")
        filled = browser.js("return document.querySelectorAll('#panel-text section.page-text:not(.pending)').length")
        check(filled < 200, f"all {filled} pages were rendered at once")
        browser.select_tab("pages")
        browser.wait(lambda d: d.execute_script("return document.querySelectorAll('.page-figure img').length") > 0, "the first pictures")
        images = browser.js("return document.querySelectorAll('.page-figure img').length")
        check(images < 40, f"{images} page pictures were loaded at once")
        browser.js("document.getElementById('page-200').scrollIntoView()")
        browser.wait(lambda d: d.execute_script(
            "const i = document.querySelector('#page-200 img'); return !!i && i.complete && i.naturalWidth > 0"), "page 200's picture")
        loaded_after = browser.js("return document.querySelectorAll('.page-figure img').length")
        check(loaded_after < 60, f"{loaded_after} pictures held after scrolling to the end")
        print(f"200-page job: {filled} text sections and {images} pictures filled at first, {loaded_after} pictures "
              f"after jumping to page 200; result shown and scrolled in {time.time() - started:.1f} s")
        browser.shot("long-job-page-200")
        browser.no_script_ran()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def degraded_scan(samples):
    """phototest at under half its size, blurred, with noise: a scan Tesseract is unsure of in places."""
    from PIL import Image, ImageFilter
    import random
    image = Image.open(os.path.join(samples, "phototest.png")).convert("L")
    small = image.resize((image.width * 9 // 20, image.height * 9 // 20), Image.BILINEAR).filter(ImageFilter.GaussianBlur(0.6))
    rng = random.Random(7)
    pixels = small.load()
    for _ in range(small.width * small.height // 30):
        x, y = rng.randrange(small.width), rng.randrange(small.height)
        pixels[x, y] = 255 - pixels[x, y]
    path = os.path.join(tempfile.mkdtemp(prefix="ocrchat-degraded-"), "degraded-scan.png")
    small.save(path)
    return path


def step_layout(browser, args):
    """Phone width: nothing wider than the screen; low-confidence words marked; keyboard: labels and
    a sensible focus order."""
    browser.open("/")
    # A file dropped on the zone is taken like a picked one (a drop event with a real DataTransfer).
    browser.js("""
        const transfer = new DataTransfer();
        transfer.items.add(new File(['not really a scan'], 'dropped.png', {type: 'image/png'}));
        document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));
    """)
    check("dropped.png" in browser.text("#chosen") and "dropped" in browser.text("#form-message"),
          f"the dropped file was not taken: {browser.text('#chosen')!r}")
    # Two files in one go: both become jobs; the one asked for opens.
    path = degraded_scan(args.samples)
    try:
        browser.upload(path, os.path.join(args.samples, "phototest.png"))
        browser.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#jobs li.job.done")) == 2, "both jobs to finish")
        for item in browser.finds("#jobs li.job.done"):
            if "degraded-scan.png" in item.text:
                item.find_element(By.CSS_SELECTOR, "button.job-open").click()
        browser.wait_for_result("degraded-scan.png")
    finally:
        shutil.rmtree(os.path.dirname(path), ignore_errors=True)
    overflow = browser.js("return document.documentElement.scrollWidth - window.innerWidth")
    check(overflow <= 1, f"the page is {overflow}px wider than a phone screen")
    browser.shot("phone-result")
    browser.select_tab("pages")
    browser.wait(lambda d: d.execute_script(
        "const i = document.querySelector('#page-1 .page-canvas img'); return !!i && i.complete && i.naturalWidth > 0"),
        "the page picture")
    marks = browser.js("""
        const low = Array.from(document.querySelectorAll('#page-1 svg.boxes rect.low'));
        const all = document.querySelectorAll('#page-1 svg.boxes rect').length;
        const style = low.length ? getComputedStyle(low[0]) : null;
        return {low: low.length, all: all, dash: style && style.strokeDasharray, stroke: style && style.stroke,
                title: low.length ? low[0].querySelector('title').textContent : ''};
    """)
    print(f"degraded scan: {marks}")
    check(marks["low"] > 0, f"no word is marked as low confidence: {marks}")
    check(marks["dash"] not in (None, "", "none"), f"low-confidence boxes are not dashed: {marks}")
    overflow = browser.js("return document.documentElement.scrollWidth - window.innerWidth")
    check(overflow <= 1, f"the pages view is {overflow}px wider than a phone screen")
    browser.js("document.getElementById('page-1').scrollIntoView()")
    browser.shot("phone-low-confidence-boxes")
    unlabeled = browser.js("""
        return Array.from(document.querySelectorAll('input, select, button, textarea')).filter(e => {
          if (e.type === 'hidden' || e.closest('[hidden]')) return false;
          if (e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')) return false;
          if (e.labels && e.labels.length) return false;
          return !(e.tagName === 'BUTTON' && e.textContent.trim());
        }).map(e => e.outerHTML.slice(0, 80));
    """)
    check(not unlabeled, f"controls without a label: {unlabeled}")
    browser.open("/")
    browser.wait(lambda d: d.find_element(By.ID, "who").text.strip() != "", "the header")
    order = []
    for _ in range(12):
        ActionChains(browser.driver).send_keys(Keys.TAB).perform()
        active = browser.driver.switch_to.active_element
        order.append(active.get_attribute("id") or active.text.strip() or active.tag_name)
    print(f"tab order: {order}")
    check(order[0] == "Skip to the content", f"the first Tab does not reach the skip link: {order}")
    check("files" in order and "convert" in order and order.index("files") < order.index("convert"),
          f"the file picker is not before Convert: {order}")
    browser.no_script_ran()

    # The API documentation renders the server's own OpenAPI document.
    browser.open("/api/docs")
    browser.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#docs section.op")) >= 14, "the API operations")
    browser.js("document.querySelector('#op-createJob details').open = true")
    check("multipart/form-data" in browser.text("#op-createJob"), "the upload's request body is not described")
    browser.shot("phone-api-docs")
    browser.no_script_ran()


STEPS = {"convert": step_convert, "hostile": step_hostile, "chat": step_chat, "single-user": step_single_user,
         "long-job": step_long_job, "layout": step_layout}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("step", choices=sorted(STEPS))
    parser.add_argument("--samples", required=True)
    parser.add_argument("--screenshots", required=True)
    parser.add_argument("--token")
    args = parser.parse_args()
    args.samples = os.path.abspath(args.samples)
    width, height = (390, 844) if args.step == "layout" else (1366, 900)
    browser = Browser(args.base_url, os.path.join(args.screenshots, args.step), width, height)
    try:
        result = STEPS[args.step](browser, args)
        return result or 0
    except Failure as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    finally:
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
