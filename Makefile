# Cockpit: `make run` opens the app on a demo workspace; `make test` runs every test. Both install what
# a fresh Debian 12 machine lacks first (apt packages, the Wails CLI, npm packages).
SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin:$(HOME)/go/bin
DEMO_DIR ?= $(HOME)/.local/share/cockpit-demo

.PHONY: run deps build dev test bench bench-imap bench-board bench-evidence bench-intake bench-engine clean

run: deps build
	./build/bin/cockpit --data-dir "$(DEMO_DIR)" --demo

deps:
	scripts/deps.sh run

build:
	wails build -trimpath
	go build -trimpath -o build/bin/cockpit-tray ./app/tray

dev: deps
	wails dev -appargs "--data-dir $(DEMO_DIR) --demo"

test:
	scripts/test.sh

bench: bench-imap bench-board bench-evidence bench-intake bench-engine

bench-imap:
	scripts/bench/imap.sh

bench-board:
	scripts/bench/board.sh

bench-evidence:
	scripts/bench/evidence.sh

bench-intake:
	scripts/bench/intake.sh

bench-engine:
	scripts/bench/engine.sh

clean:
	rm -rf build/bin frontend/dist/assets artifacts
