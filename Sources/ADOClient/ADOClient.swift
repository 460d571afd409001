// ADOClient: libcurl transport, typed REST client, loader (see issue 3).
