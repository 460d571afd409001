print("ado-emulator: not built yet")
