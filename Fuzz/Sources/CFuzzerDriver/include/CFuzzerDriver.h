#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (LLVM ≥ 11); libFuzzer provides the definition at link time.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

/// Runs `target` under libFuzzer with the process's arguments and returns the exit status. SwiftPM names every
/// executable's entry point itself, so each fuzz executable's `main` calls this; the `LLVMFuzzerTestOneInput`
/// symbol libFuzzer's own `main` refers to is defined here once, forwarding to the same target.
int WardenFuzzMain(int argc, char **argv, int (*target)(const uint8_t *data, size_t size));
