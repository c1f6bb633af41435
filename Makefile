# ocrchat: `make serve` sets up, builds and runs the server; `make test` sets up, builds and runs
# the suite. `make setup` installs what they need from Debian; `make build` leaves the release
# binary at .build/release/ocrchat.

SHELL := /bin/bash
SWIFT ?= swift
# Tesseract links OpenMP; with more than one OpenMP thread a page is several times slower here.
export OMP_THREAD_LIMIT := 1

DEBIAN_PACKAGES := pkg-config libtesseract-dev libleptonica-dev libpoppler-cpp-dev libtiff-dev libwebp-dev \
	libsqlite3-dev zlib1g-dev tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd tesseract-ocr-deu tesseract-ocr-fra \
	tesseract-ocr-rus tesseract-ocr-ara tesseract-ocr-chi-sim poppler-utils libxml2-utils unzip \
	libqpdf-dev qpdf apertium apertium-eng-spa apertium-fr-es apertium-es-pt

EVAL_DATA ?= ../shared/eval-data

.PHONY: setup build serve test accuracy bench clean

# Idempotent and quiet: apt runs only when a package is missing, pip only when python-docx is.
# zlib1g-dev is for ZIPFoundation (DOCX); python-docx, xmllint and unzip read the exports in the tests.
# libqpdf-dev builds the searchable PDF; qpdf (--check), Poppler's tools and Pillow read it back in the tests.
# apertium and three small pairs (en<->es, fr<->es, es<->pt; about 20 MB) translate with tool=translate.
# LibreOffice is left out on purpose (too big for CI): its DOCX check runs only where it is installed.
setup:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@python3 -c "import docx" 2>/dev/null || python3 -m pip install -q python-docx
	@python3 -c "import requests" 2>/dev/null || python3 -m pip install -q requests
	@python3 -c "import PIL" 2>/dev/null || python3 -m pip install -q Pillow

build: setup
	$(SWIFT) build -c release --product ocrchat

# The server with everything embedded: SQLite in ./data, the installed models, http://127.0.0.1:8080.
serve: build
	.build/release/ocrchat serve

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Character error rate per set of $(EVAL_DATA)/dev and degraded copies, ocrchat's cpu and vlm tiers beside tesseract.
# Scripts/degrade.py makes the degraded sets with numpy and Pillow (only this target needs numpy).
accuracy: build
	@python3 -c "import numpy" 2>/dev/null || python3 -m pip install -q numpy
	python3 Scripts/accuracy.py --eval-data $(EVAL_DATA) --ocrchat .build/release/ocrchat

# Seconds per page against `tesseract` with one OpenMP thread, and the page rate on both cores.
bench: build
	python3 Scripts/speed.py --eval-data $(EVAL_DATA) --ocrchat .build/release/ocrchat

clean:
	rm -rf .build
