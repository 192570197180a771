#include "CFuzzerDriver.h"

static int (*warden_fuzz_target)(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    return warden_fuzz_target ? warden_fuzz_target(data, size) : 0;
}

int WardenFuzzMain(int argc, char **argv, int (*target)(const uint8_t *data, size_t size)) {
    warden_fuzz_target = target;
    return LLVMFuzzerRunDriver(&argc, &argv, target);
}
