// Test support: emulator on port 0.
