// Declarations only (see include/CFuzzerDriver.h); libFuzzer provides the definition at link time.
