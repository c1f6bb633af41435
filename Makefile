# ocrchat: `make serve` sets up, builds and runs the server; `make test` sets up, builds and runs
# the suite. `make setup` installs what they need from Debian; `make build` leaves the release
# binary at .build/release/ocrchat.

SHELL := /bin/bash
SWIFT ?= swift
# Tesseract links OpenMP; with more than one OpenMP thread a page is several times slower here.
export OMP_THREAD_LIMIT := 1

# More language models: LANGUAGES="jpn kor hin" (Tesseract's names; a script model as script-latn,
# script-cyrl, …) adds those, LANGUAGES=all every one (Debian's tesseract-ocr-all: 123 languages and
# 37 scripts, about 700 MB). `ocrchat languages` lists them with their packages.
LANGUAGES ?=
LANGUAGE_PACKAGES := $(if $(filter all,$(LANGUAGES)),tesseract-ocr-all,$(foreach language,$(LANGUAGES),tesseract-ocr-$(subst _,-,$(language))))

DEBIAN_PACKAGES := pkg-config libtesseract-dev libleptonica-dev libpoppler-cpp-dev libtiff-dev libwebp-dev \
	libsqlite3-dev zlib1g-dev libcld2-dev tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd tesseract-ocr-deu \
	tesseract-ocr-fra tesseract-ocr-spa tesseract-ocr-rus tesseract-ocr-ara tesseract-ocr-chi-sim poppler-utils \
	libxml2-utils unzip libqpdf-dev qpdf chromium chromium-driver apertium apertium-eng-spa apertium-fr-es \
	apertium-es-pt nodejs postgresql $(LANGUAGE_PACKAGES)

EVAL_DATA ?= ../shared/eval-data

.PHONY: setup bench-setup layout-eval-setup build serve test accuracy layout-eval bench bench-queue bench-nodes loadtest fuzz clean \
	deb-setup deb deb-test offline-bundle offline-bundle-test chat-eval

# Installs the Debian packages named in $(1) that are missing (apt-get update once, only then).
define apt_install
missing=$$(for p in $(1); do \
	dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
if [ -n "$$missing" ]; then \
	echo "installing:" $$missing; \
	SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	$$SUDO apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
fi
endef

# The vlm tier's neural recogniser: PP-OCR's ONNX models ship inside the rapidocr wheel (its Python
# code and dependencies are not needed: --no-deps), ONNX Runtime's C library inside the onnxruntime
# wheel. The engine checks the models' SHA-256, recorded for this release.
RAPIDOCR_VERSION := 3.10.0

# Idempotent and quiet: apt runs only when a package is missing, pip only when python-docx is.
# libcld2-dev identifies the language of a page under language=auto; tesseract-ocr-spa is for its tests.
# zlib1g-dev is for ZIPFoundation (DOCX); python-docx, xmllint and unzip read the exports in the tests.
# libqpdf-dev builds the searchable PDF; qpdf (--check), Poppler's tools and Pillow read it back in the tests.
# apertium and three small pairs (en<->es, fr<->es, es<->pt; about 20 MB) translate with tool=translate.
# LibreOffice is left out on purpose (too big for CI): its DOCX check runs only where it is installed.
# chromium and chromium-driver run the web page's browser tests (Selenium); openapi-spec-validator and
# schemathesis check the OpenAPI document against the live server; nodejs (`node --check`) and
# openapi-spec-validator also read the web page's files as written (Sources/OCRChatWebAssets/Files).
# prometheus-client's text parser reads /metrics in the tests, as a Prometheus scraper would.
# postgresql (15): the tests of the shared store make a throw-away cluster with its initdb and pg_ctl.
setup:
	@$(call apt_install,$(DEBIAN_PACKAGES))
	@python3 -c "import docx" 2>/dev/null || python3 -m pip install -q python-docx
	@python3 -c "import requests" 2>/dev/null || python3 -m pip install -q requests
	@python3 -c "import PIL" 2>/dev/null || python3 -m pip install -q Pillow
	@python3 -c "import selenium" 2>/dev/null || python3 -m pip install -q selenium
	@python3 -c "import openapi_spec_validator" 2>/dev/null || python3 -m pip install -q openapi-spec-validator
	@python3 -c "import schemathesis" 2>/dev/null || python3 -m pip install -q schemathesis
	@python3 -c "import werkzeug" 2>/dev/null || python3 -m pip install -q Werkzeug
	@python3 -c "import prometheus_client" 2>/dev/null || python3 -m pip install -q prometheus-client
	@python3 -c "import onnxruntime" 2>/dev/null || python3 -m pip install -q onnxruntime
	@python3 -c "import importlib.metadata as m; assert m.version('rapidocr') == '$(RAPIDOCR_VERSION)'" 2>/dev/null \
		|| python3 -m pip install -q --no-deps rapidocr==$(RAPIDOCR_VERSION)

# The release binary, what users run and what the .deb carries: the Swift runtime is linked in
# (--static-swift-stdlib), so it needs only Debian's libraries at run time, not the toolchain's.
RELEASE_BUILD = $(SWIFT) build -c release --product ocrchat --static-swift-stdlib

build: setup
	$(RELEASE_BUILD)

# The server with everything embedded: SQLite in ./data, the installed models, http://127.0.0.1:8080.
serve: build
	.build/release/ocrchat serve

# One run of the whole suite: the tests that drive child processes (the binary, curl, the tools
# that read its output) await them and read their pipes on threads of their own, so they never hold
# the cooperative pool on which the in-process suites' loopback servers answer (2 threads here).
# Then the release binary, what users run, on a few sample pages (Scripts/release-smoke.py): an
# optimised build once wrote nothing from `convert` while every debug-built test passed.
# Last, as root (CI is), the Debian package built from that binary, installed, used and purged.
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(RELEASE_BUILD)
	python3 Scripts/release-smoke.py --ocrchat .build/release/ocrchat
	@if [ "$$(id -u)" = 0 ]; then $(MAKE) --no-print-directory deb-test; \
	else echo "make test: deb-test skipped (installing the .deb needs root: sudo make deb-test)"; fi

# Character error rate per set of $(EVAL_DATA)/dev and degraded copies, ocrchat's cpu and vlm tiers beside tesseract.
# Scripts/degrade.py makes the degraded sets with numpy and Pillow (only this target needs numpy).
accuracy: build
	@python3 -c "import numpy" 2>/dev/null || python3 -m pip install -q numpy
	python3 Scripts/accuracy.py --eval-data $(EVAL_DATA) --ocrchat .build/release/ocrchat

# The chat on real documents: questions with their answers over $(EVAL_DATA) (Scripts/chat-eval-questions.json),
# asked through the live server's chat route; exact match and page citation, tuning and held-out thirds
# apart. Writes CHAT-EVAL.md.
chat-eval: build
	python3 Scripts/chat-eval.py --eval-data $(EVAL_DATA) --ocrchat .build/release/ocrchat

# What only `make layout-eval` needs, kept out of `setup`: TeX Live typesets the test bed of
# Scripts/make-layout-bed.py (multicol and fancyhdr are in these two), numpy degrades some of its pages,
# rapidfuzz's edit distance makes the CER of a few hundred pages take seconds instead of half an hour.
LAYOUT_EVAL_PACKAGES := texlive-latex-base texlive-latex-recommended
layout-eval-setup: setup
	@$(call apt_install,$(LAYOUT_EVAL_PACKAGES))
	@python3 -c "import numpy" 2>/dev/null || python3 -m pip install -q numpy
	@python3 -c "import rapidfuzz" 2>/dev/null || python3 -m pip install -q rapidfuzz

# The text in reading order with and without the layout step beside the tesseract command's, per page:
# the scribe set, the typeset test bed (tuning and held-out halves), real multi-column PDFs, Samples/layout-*
# (with cell accuracy on their tables) and eval-data's other sets. Writes LAYOUT.md.
layout-eval: build layout-eval-setup
	python3 Scripts/layout-eval.py --eval-data $(EVAL_DATA) --ocrchat .build/release/ocrchat

# What only `make bench` needs, kept out of `setup` so that CI stays lean: OCRmyPDF to compare
# with, img2pdf to put eval-data's page images into the benchmark PDFs losslessly.
BENCH_PACKAGES := ocrmypdf img2pdf time
bench-setup: setup
	@$(call apt_install,$(BENCH_PACKAGES))

# ocrchat (convert cpu/vlm, searchable PDF, server) beside `tesseract` with one OpenMP thread and
# OCRmyPDF, on the same PDFs built from $(EVAL_DATA); peak RSS for 5/50/500 pages; server latency.
# Writes BENCHMARKS.md. BENCH_QUICK=1: one run, fewer pages, no 500-page PDF (a few minutes).
# BENCH_ONLY=auto: only `--language auto` against the language named (BENCHMARKS-auto.md).
BENCH_RUNS ?= 3
bench: build bench-setup
	python3 Scripts/speed.py --eval-data $(EVAL_DATA) --ocrchat .build/release/ocrchat --runs $(BENCH_RUNS) \
		$(if $(BENCH_QUICK),--quick --out BENCHMARKS-quick.md) $(if $(BENCH_ONLY),--only $(BENCH_ONLY))
	$(MAKE) bench-queue
	$(MAKE) bench-nodes

# The shared queue alone (serve --database): claims a second and claim latency with 1, 10 and 50
# simulated nodes on a throw-away PostgreSQL cluster, no reading. Writes BENCHMARKS-queue.md.
QUEUE_BENCH_JOBS ?= 5000
bench-queue: build
	Scripts/queue-bench.sh .build/release/ocrchat $(QUEUE_BENCH_JOBS) > BENCHMARKS-queue.md
	cat BENCHMARKS-queue.md

# Several nodes (issue 20): pages a minute with one serve --database node and with two on this
# machine, and what PostgreSQL adds to a one-page job against SQLite, on a throw-away cluster.
# Writes BENCHMARKS-nodes.md.
bench-nodes: build
	python3 Scripts/nodes-bench.py --ocrchat .build/release/ocrchat

# 1,000 mixed requests from 50 clients against a fresh server on 127.0.0.1 (bounded in count and
# time; stops by itself): fails on a 5xx, a timeout, a lost job or an unanswered health check.
LOADTEST_ARGS ?= --requests 1000 --clients 50 --pdfs 10
loadtest: build
	python3 Scripts/loadtest.py --ocrchat .build/release/ocrchat $(LOADTEST_ARGS) --json .build/loadtest.json

# Random mutations of Samples/ and the robustness files through sniffing, headers, PDF open and
# render, and image decoding, for FUZZ_SECONDS (default 10 minutes); crashing or hanging inputs
# land in FUZZ_FINDINGS. Turn each into a row of Tests/ocrchatTests/RobustnessTests.swift.
FUZZ_SECONDS ?= 600
FUZZ_FINDINGS ?= fuzz-findings
fuzz: build
	Scripts/fuzz.sh .build/release/ocrchat $(FUZZ_FINDINGS) $(FUZZ_SECONDS) Samples Tests/ocrchatTests/Robustness

# The Debian package (see the README's "Install on a workstation without a network"). What only
# these targets need, kept out of `setup`: dpkg-dev (dpkg-shlibdeps finds the packages of the
# libraries the binary links), help2man (the man page from --help), lintian (errors fail the
# build, warnings are listed), adduser (the maintainer scripts), systemd (systemd-analyze verify),
# man-db (the man page is found), apt-utils and dpkg's own tools for the offline bundle.
DEB_PACKAGES := dpkg-dev help2man lintian adduser systemd man-db
VERSION := $(shell sed -n 's/.*ocrchatVersion = "\(.*\)"/\1/p' Sources/ocrchat/VersionCommand.swift)
DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
DEB := .build/deb/ocrchat_$(VERSION)_$(DEB_ARCH).deb

deb-setup: setup
	@$(call apt_install,$(DEB_PACKAGES))

# ocrchat_VERSION_ARCH.deb in .build/deb/, checked with dpkg-deb and lintian.
deb: build deb-setup
	Scripts/build-deb.sh .build/release/ocrchat .build/deb
	dpkg-deb --info $(DEB)
	dpkg-deb --contents $(DEB)
	Scripts/lintian-check.sh $(DEB)

# Installs the .deb on this machine (root), runs the installed server from the installed unit's
# command against the installed config, reads a page back, purges it and checks nothing is left.
deb-test: deb
	python3 Scripts/deb-test.py $(DEB)

# .build/offline-bundle/: the .deb, every .deb it needs that a fresh Debian bookworm lacks, and
# install.sh (dpkg -i of the folder, then the service enabled and started). Needs the network once,
# here, for apt-get download; the workstation that installs it needs none.
offline-bundle: deb
	Scripts/offline-bundle.sh $(DEB) .build/offline-bundle

# The bundle on a fresh minimal bookworm (debootstrap, made once in .build/offline-bundle-test/minbase):
# install.sh in a network namespace with only a loopback, then a page read with convert and
# through the installed server. Root only; a few minutes (debootstrap the first time).
OFFLINE_TEST_PACKAGES := debootstrap iproute2 util-linux
offline-bundle-test: offline-bundle
	@$(call apt_install,$(OFFLINE_TEST_PACKAGES))
	Scripts/offline-bundle-test.sh .build/offline-bundle .build/offline-bundle-test

clean:
	rm -rf .build
