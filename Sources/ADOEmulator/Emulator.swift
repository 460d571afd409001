// ADOEmulator (see issue 2).
