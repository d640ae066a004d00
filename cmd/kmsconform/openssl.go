package main

import "github.com/kmsconform/kmsconform/opensslcli"

func init() {
	register("openssl", "drop-in openssl command line, run by the Go reference (oracle)", func(args []string) int {
		return opensslcli.Main(args, opensslcli.Env{})
	})
}
