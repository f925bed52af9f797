/* fuzz.h: what a fuzz target gives the shared replay driver (fuzz-main.c).
 *
 * Built with clang and -Dfuzzing=true a target is a libFuzzer binary (libFuzzer's main). In the
 * normal build, fuzz-main.c's main () replays the corpus files and folders given on the command
 * line, then a fixed-seed mutation run of the target's seeds, so every `make test` runs the same
 * code paths the fuzzer explores. */
#pragma once

#include <glib.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* nb_fuzz_seeds: (transfer full) valid inputs of every kind the target parses, as GBytes. */
GPtrArray *nb_fuzz_seeds (void);

/* The target's name, for the replay driver's report. */
extern const char nb_fuzz_target_name[];
