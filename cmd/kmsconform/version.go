package main

import (
	"fmt"
	"os"

	"github.com/kmsconform/kmsconform/internal/buildinfo"
	"github.com/kmsconform/kmsconform/internal/cli"
)

func init() {
	register("version", "print kmsconform's module version, VCS revision and Go version", runVersion)
}

// runVersion is `kmsconform version` and `kmsconform --version`.
func runVersion(args []string) int {
	fs := cli.NewFlags("kmsconform version", "[--short]")
	short := fs.Bool("short", false, "print only the one-word version (release tag, else revision)")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	if fs.NArg() > 0 {
		return cli.Print(os.Stderr, fs.Unexpected(fs.Arg(0)))
	}
	bi := buildinfo.Get()
	if *short {
		fmt.Println(bi.Short())
		return cli.ExitOK
	}
	rev := bi.Revision
	if rev == "" {
		rev = "unknown (built without VCS information)"
	} else if bi.Modified {
		rev += " (modified)"
	}
	fmt.Printf("kmsconform %s\n", bi.Version)
	fmt.Printf("  module:   %s\n", bi.Module)
	fmt.Printf("  revision: %s\n", rev)
	if bi.Time != "" {
		fmt.Printf("  time:     %s\n", bi.Time)
	}
	fmt.Printf("  go:       %s\n", bi.GoVersion)
	return cli.ExitOK
}
