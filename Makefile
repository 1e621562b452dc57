# GovMail Desktop — developer commands. See README.md.
# The interpreter Debian 12 ships (what a desk runs), not whatever python3 is first on PATH.
PYTHON ?= $(firstword $(wildcard /usr/bin/python3) python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
PYTEST_ARGS ?=
BENCH_ARGS ?=
COMPOSE_BENCH_ARGS ?=
SEARCH_BENCH_ARGS ?=

TS_FILES := $(wildcard translations/*.ts)
QM_FILES := $(patsubst translations/%.ts,govmail_desktop/_generated/%.qm,$(TS_FILES))

.PHONY: run test lint test-interop demo bench bench-sync fuzz stress translations i18n-update policy-templates bundle deb test-deb deb-needs-root msi test-msi test-packaging bench-startup clean system-deps-run system-deps-test system-deps-interop system-deps-package

run: system-deps-run $(VENV)/.stamp-run translations
	$(PY) -m govmail_desktop $(ARGS)

test: system-deps-test system-deps-interop $(VENV)/.stamp-test translations
	$(PY) -m pytest $(PYTEST_ARGS)
	$(MAKE) --no-print-directory lint

# Static checks, configured in pyproject.toml: ruff (style and likely bugs) and mypy
# (types; strict for the application, no Any in the composition root).
lint: $(VENV)/.stamp-test
	$(PY) -m ruff check .
	$(PY) -m mypy

# The user scenarios on every kind of IMAP server: Dovecot, Dovecot with Zimbra's
# capabilities, Cyrus, Courier, and the Zimbra XLIST transcript (`make test` runs a
# short Cyrus/Courier slice of it).
test-interop: system-deps-test system-deps-interop $(VENV)/.stamp-test translations
	$(PY) -m pytest -m interop $(wildcard tests/integration/test_interop*.py) $(PYTEST_ARGS)

demo: system-deps-test $(VENV)/.stamp-test translations
	$(PY) -m tests.servers.demo $(ARGS)

# Benchmarks (not in CI): sync, compose, search; one key=value line each. The folder size of the
# sync benchmark: `make bench MESSAGES=1000000` (= BENCH_ARGS="--messages 1000000"; 100,000 by
# default; a 1,000,000 run fills for about 4 minutes, Dovecot indexes for about 10, and it needs
# about 5 GB in /tmp: add BENCH_ARGS="--runs 1", and "--folder-store DIR" to keep the filled,
# indexed folder there for the next run). `make bench-sync MESSAGES=…` runs the sync benchmark alone.
MESSAGES ?=
SYNC_BENCH = $(PY) benchmarks/sync_bench.py $(if $(MESSAGES),--messages $(MESSAGES)) $(BENCH_ARGS)
bench: system-deps-test $(VENV)/.stamp-test translations
	$(SYNC_BENCH)
	$(PY) benchmarks/compose_bench.py $(COMPOSE_BENCH_ARGS)
	$(PY) benchmarks/search_bench.py $(SEARCH_BENCH_ARGS)

bench-sync: system-deps-test $(VENV)/.stamp-test translations
	$(SYNC_BENCH)

# Coverage-guided fuzzing (atheris/libFuzzer; the hypothesis runner where atheris does not install)
# of the IMAP reader, the MIME parser, the HTML cleaner and viewer, the policy file and the search
# query: AN HOUR PER TARGET by default (FUZZ_ARGS="--seconds 300" for five minutes each, or
# "--seconds 60 parse"); corpora and raw crashes in build/fuzz/<target>/, shrunk crashing inputs
# kept in tests/fuzz/crashes/ and replayed by the normal suite. Ends with key=value lines.
FUZZ_ARGS ?=
fuzz: system-deps-test $(VENV)/.stamp-fuzz translations
	$(PY) tools/fuzz.py $(FUZZ_ARGS)

# Faults, kills and hostile servers (tests/stress/run.py): sync cycles and sends through the fault
# proxy (tests/servers/fault_proxy.py), SIGKILLs of the real app, every hostile-server case;
# about 15 minutes on 2 cores. STRESS_ARGS="--seed 123" replays a run; "--cycles 100 --sends 20"
# for a quicker one. The last line is key=value figures; exit 1 when anything is wrong.
STRESS_ARGS ?=
stress: system-deps-test $(VENV)/.stamp-test translations
	$(PY) tests/stress/run.py $(STRESS_ARGS)

system-deps-run:
	@sh tools/install-system-deps.sh run

system-deps-test:
	@sh tools/install-system-deps.sh test

system-deps-interop:
	@sh tools/install-system-deps.sh interop

system-deps-package:
	@sh tools/install-system-deps.sh package

$(VENV)/.stamp-created:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	@touch $@

$(VENV)/.stamp-run: pyproject.toml $(VENV)/.stamp-created
	$(PY) -m pip install -q -e .
	@touch $@

$(VENV)/.stamp-test: pyproject.toml $(VENV)/.stamp-created
	$(PY) -m pip install -q -e '.[test]'
	@touch $@ $(VENV)/.stamp-run

# atheris as a wheel only (building it needs clang and libFuzzer): where none fits, make fuzz says so
# and uses the hypothesis runner.
$(VENV)/.stamp-fuzz: pyproject.toml $(VENV)/.stamp-test
	$(PY) -m pip install -q --only-binary atheris -e '.[test,fuzz]' || \
		echo "atheris did not install for $(PYTHON): make fuzz falls back to the hypothesis runner"
	@touch $@

$(VENV)/.stamp-package: pyproject.toml $(VENV)/.stamp-created
	$(PY) -m pip install -q -e '.[package]'
	@touch $@ $(VENV)/.stamp-run

translations: $(QM_FILES)

govmail_desktop/_generated/%.qm: translations/%.ts $(VENV)/.stamp-created
	@test -x $(VENV)/bin/pyside6-lrelease || $(MAKE) $(VENV)/.stamp-run
	$(PY) tools/build_translations.py

# The policy's JSON schema, Group Policy templates (ADMX, en-US and th-TH ADML) and the key
# reference in docs/admin.md, generated from govmail_desktop/policy (a test fails when stale).
policy-templates: $(VENV)/.stamp-run
	$(PY) tools/gen_policy_templates.py

# The self-contained app (PyInstaller, onedir): build/bundle/govmail-desktop/ with the
# executables govmail and govmail-admin over one _internal/ (packaging/pyinstaller/govmail.spec;
# the same spec builds the Windows bundle for the MSI).
bundle: system-deps-run $(VENV)/.stamp-package translations
	$(PY) -m PyInstaller --noconfirm --clean --log-level WARN \
		--distpath build/bundle --workpath build/pyinstaller packaging/pyinstaller/govmail.spec

# The Debian package build/deb/govmail-desktop_<version>_amd64.deb (packaging/linux/), over the
# bundle, checked with lintian (errors fail; justified overrides in packaging/linux/).
deb: system-deps-package bundle
	$(PY) tools/build_deb.py --bundle build/bundle/govmail-desktop --out build/deb

# The .deb installed into a clean Debian 12 root (debootstrap, cached under build/), the app
# and govmail-admin run there, then purged: nothing may be left (tests/packaging/test_deb.py).
# Needs root (checked first, before anything is built). About 4 minutes from a clean clone
# (bundle 0.5, package + lintian 1.5, Debian root 0.5, install/run/purge 0.5), 2 on reruns.
test-deb: deb-needs-root system-deps-test deb $(VENV)/.stamp-test
	$(PY) -m pytest -m packaging tests/packaging/test_deb.py -p no:cacheprovider $(PYTEST_ARGS)

deb-needs-root:
	@test "$$(id -u)" -eq 0 || { echo "make test-deb needs root: it builds a Debian 12 root with debootstrap, mounts /proc, /sys and /dev in it and installs the package with apt inside" >&2; exit 1; }

# The Windows installer build/msi/GovMail-Desktop-<version>.msi: wixl (msitools) over
# packaging/windows/govmail.wxs and the bundle's file list (tools/build_msi.py). Built here
# over the Linux bundle to check the WiX source; the real MSI is built over the Windows bundle.
msi: system-deps-test bundle
	$(PY) tools/build_msi.py build/bundle/govmail-desktop

# The MSI's packaging test deselected by `make test` (tests/packaging/test_msi.py, marker
# packaging): wixl over the real bundle's file list, then the msiinfo table checks. Seconds
# once the bundle is built.
test-msi: system-deps-test $(VENV)/.stamp-test bundle
	$(PY) -m pytest -m packaging tests/packaging/test_msi.py -p no:cacheprovider $(PYTEST_ARGS)

test-packaging: test-msi test-deb

# Cold start to the first window: the bundle, python -m govmail_desktop, a bare PySide6 window.
bench-startup: bundle
	$(PY) benchmarks/startup_bench.py $(STARTUP_BENCH_ARGS)

# Developers: refresh translations/govmail_th.ts after changing user-visible text.
i18n-update: $(VENV)/.stamp-run
	$(PY) tools/i18n_update.py $(FILL)

clean:
	rm -rf $(VENV) govmail_desktop/_generated build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
