# NeedleBench: the two commands of the README, and a few more for developers.
#   make run    install what is missing, build, run the main job
#   make test   install what is missing, build, run every suite (also under ASan+UBSan)
BUILD      ?= build
ASAN_BUILD ?= build-asan
MESON_OPTS ?= -Dwerror=true

.PHONY: all deps setup build run test test-fast test-asan bench format clean

all: build

deps:
	@./tools/install-deps

$(BUILD)/build.ninja: | deps
	meson setup $(BUILD) $(MESON_OPTS)

setup: deps $(BUILD)/build.ninja

build: setup
	ninja -C $(BUILD)

run: build
	@./tools/run-main $(BUILD)

test-fast: build
	meson test -C $(BUILD) --print-errorlogs

$(ASAN_BUILD)/build.ninja: | deps
	meson setup $(ASAN_BUILD) $(MESON_OPTS) -Db_sanitize=address,undefined -Db_lundef=false -Dgui=disabled

# The sanitizer run covers the unit, integration, fuzz and usb suites (the GUI is not built there).
test-asan: deps $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)
	meson test -C $(ASAN_BUILD) --print-errorlogs --setup asan --suite unit --suite integration --suite fuzz --suite usb --suite pg

test: test-fast test-asan
	@./tools/test-summary $(BUILD)/meson-logs/testlog.json $(ASAN_BUILD)/meson-logs/testlog-asan.json

bench: build
	meson test -C $(BUILD) --benchmark --suite bench --verbose

format:
	git ls-files '*.c' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
