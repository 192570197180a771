#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (LLVM ≥ 11), which the fuzz executables call from their own `main` (SwiftPM names every
/// executable's entry point itself, so libFuzzer's `main` cannot be used directly).
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
