# guidegen — the commands of every user (README.md).  `make pdf` on a fresh
# clone creates .venv and installs guidegen into it first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
GUIDE  ?= guideline
OUT    ?= build
STAMP  := $(VENV)/.installed-stamp
# axe-core, the accessibility rules the web edition's browser tests run (npm registry, pinned minor)
AXE    := $(VENV)/axe/node_modules/axe-core/axe.min.js

.PHONY: deps build-deps pdf docx html site serve all check strict extract update stats labels golden test bench schema clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# System packages (Pango for the PDF; gettext, poppler, LibreOffice for the
# tests): installed with apt-get when run as root, else one message naming them.
build-deps:
	@sh .ci/deps build

deps:
	@sh .ci/deps test

pdf: build-deps $(STAMP)
	$(BIN)/guidegen build $(GUIDE) --to pdf --out $(OUT)

docx: $(STAMP)
	$(BIN)/guidegen build $(GUIDE) --to docx --out $(OUT)

html: $(STAMP)
	$(BIN)/guidegen build $(GUIDE) --to html --out $(OUT)

site: $(STAMP)
	$(BIN)/guidegen build $(GUIDE) --to site --out $(OUT)

serve: $(STAMP)
	$(BIN)/guidegen serve $(GUIDE)

all: build-deps $(STAMP)
	$(BIN)/guidegen build $(GUIDE) --to pdf,docx,html,site --out $(OUT)

check: $(STAMP)
	$(BIN)/guidegen check $(GUIDE)

strict: $(STAMP)
	$(BIN)/guidegen check $(GUIDE) --strict

extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-wrap -o translations/guideline.pot $(GUIDE)

update: $(STAMP)
	$(BIN)/guidegen update $(GUIDE)

stats: $(STAMP)
	$(BIN)/guidegen stats $(GUIDE)

labels: $(STAMP)
	$(BIN)/pybabel extract -F src/guidegen/locale/babel.cfg -k t -k pt:1c,2 --no-wrap --sort-by-file --project=guidegen -o src/guidegen/locale/guidegen.pot .
	# the translated catalogs only: uz_Cyrl holds hand-written corrections, never every message
	for lang in en ru uz; do $(BIN)/pybabel update -D guidegen -i src/guidegen/locale/guidegen.pot -d src/guidegen/locale -l $$lang --previous --no-wrap; done

schema: $(STAMP)
	for kind in guideline section evidence references library consultation; do $(BIN)/guidegen schema $$kind > docs/schema/$$kind.schema.json; done

golden: $(STAMP)
	$(BIN)/python -m tests.golden

$(AXE): $(STAMP)
	npm install --silent --no-audit --no-fund --prefix $(VENV)/axe axe-core@4.11

test: deps $(STAMP) $(AXE)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf $(OUT)
