package main

import "github.com/kmsconform/kmsconform/kmsfake/cli"

func init() {
	register("kms", cli.Summary, cli.Main)
}
