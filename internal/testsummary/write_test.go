package main

import "os"

func writeBytes(p string, b []byte) error { return os.WriteFile(p, b, 0o600) }
