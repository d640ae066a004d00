package main

import (
	"fmt"
	"os"

	icli "github.com/kmsconform/kmsconform/internal/cli"
	"github.com/kmsconform/kmsconform/kmsfake/cli"
)

func init() {
	register("kms", "the KMS fake and the KMS checks: kms serve [--listen ADDR] ... | kms check --endpoint URL ...", kmsMain)
}

// kmsMain dispatches `kmsconform kms serve` to the fake's command line and
// `kmsconform kms check` to the compatibility specs.
func kmsMain(args []string) int {
	if len(args) > 0 && args[0] == "check" {
		return kmsCheck(args[1:])
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		// Asked for, the usage goes to stdout (exit 0); missing, to stderr (exit 2).
		w, code := os.Stdout, icli.ExitOK
		if len(args) == 0 {
			w, code = os.Stderr, icli.ExitUsage
		}
		fmt.Fprintln(w, "usage: kmsconform kms serve [--listen 127.0.0.1:4566] [--data DIR] ...   the KMS fake")
		fmt.Fprintln(w, "       kmsconform kms check --endpoint URL [--region R] [--report DIR] [--gate FILE] [--run REGEX]")
		fmt.Fprintln(w, "                                                                     the KMS compatibility specs against any endpoint")
		return code
	}
	if args[0] != "serve" {
		hint := "kms commands: `kmsconform kms serve` (the fake), `kmsconform kms check` (the specs against any endpoint)"
		if s := icli.DidYouMean(args[0], []string{"serve", "check"}); s != "" {
			hint = s + " " + hint
		}
		return icli.Print(os.Stderr, icli.Usage(fmt.Sprintf("unknown kms command %q", args[0]), hint))
	}
	return cli.Main(args)
}
