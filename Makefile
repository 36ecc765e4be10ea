# QSA front door. `make demo` and `make test` set up a fresh Debian 12 machine themselves.
.PHONY: help setup data build demo test test-asan bench results models format lint clean

BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc)
QSA := $(BUILD)/bin/qsa
# Warnings are errors in CI (CI=true), plain warnings elsewhere.
WERROR := $(if $(filter true,$(CI)),ON,OFF)

help:
	@echo "make demo      encode LeNet-5, run the MNIST test split on the reference model and"
	@echo "               5 images on the RTL (Verilator co-simulation)"
	@echo "make test      build and run every test (unit, e2e, then unit under ASan+UBSan)"
	@echo "make bench     benchmarks and docs/results.md"
	@echo "make synth     Yosys area/delay, QS error, activity and iCE40 Fmax reports"
	@echo "               -> docs/synthesis.md"
	@echo "make models    retrain the shipped ONNX models (python3-torch)"
	@echo "make format    clang-format the C++ sources;  make clean"

setup:
	@scripts/setup.sh

data: setup
	@scripts/fetch_data.sh

build: setup
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DQSA_WERROR=$(WERROR) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

demo: build data
	@echo "== fp32 baseline"
	@$(QSA) infer --fp32 models/lenet5.onnx --data mnist:test --threads $(JOBS)
	@echo "== encode (3-bit codes, phi = 4, vectors of 16, optimal mode)"
	@$(QSA) encode models/lenet5.onnx -o $(BUILD)/lenet5.qsa
	@echo "== bit-exact reference model on the MNIST test split"
	@$(QSA) infer $(BUILD)/lenet5.qsa --data mnist:test --threads $(JOBS)
	@echo "== the RTL: Verilated qsa_top through the firmware driver, checked layer by layer"
	@$(QSA) sim $(BUILD)/lenet5.qsa --data mnist:test --limit 5

test: build data
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@$(MAKE) --no-print-directory test-asan

# The unit suite again under AddressSanitizer and UBSan (debug build, separate tree).
test-asan: setup
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DQSA_SANITIZE=ON -DQSA_WERROR=$(WERROR) \
	  -DQSA_BUILD_BENCH=OFF -DQSA_BUILD_HDL_TESTS=OFF -DQSA_BUILD_SIM=OFF >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS) --target cmodel_tests encoder_tests firmware_tests qsa
	@cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS) -L 'unit|e2e' -E install

bench: build data
	@scripts/setup.sh --train
	@/usr/bin/python3 bench/run_bench.py --build $(BUILD)

results: bench

# Synthesis reports (issue 6): every number of docs/synthesis.md, regenerated from scratch.
.PHONY: synth
synth: data
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DQSA_WERROR=$(WERROR) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) --target qsa qsa_qs_error qsa_record_operands
	@rm -rf $(BUILD)/synth && mkdir -p $(BUILD)/synth
	@$(BUILD)/bin/qsa_qs_error > $(BUILD)/synth/qs_error.json
	@/usr/bin/python3 synth/run_synth.py --out $(BUILD)/synth
	@$(QSA) encode models/lenet5.onnx -o $(BUILD)/synth/lenet5.qsa >/dev/null
	@/usr/bin/python3 synth/activity.py --build $(BUILD) --out $(BUILD)/synth
	@/usr/bin/python3 synth/run_ice40.py --out $(BUILD)/synth
	@/usr/bin/python3 synth/report.py --synth $(BUILD)/synth -o docs/synthesis.md

models:
	@scripts/setup.sh --train
	@scripts/fetch_data.sh
	@/usr/bin/python3 models/train.py lenet5
	@/usr/bin/python3 models/train.py convnet

format:
	@clang-format -i $$(git ls-files '*.cc' '*.h')

lint:
	@clang-format --dry-run --Werror $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
