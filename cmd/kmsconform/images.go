package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	// The "openssl-" container engines, for --engines openssl-3.5 etc.
	_ "github.com/kmsconform/kmsconform/engine/container"
	"github.com/kmsconform/kmsconform/images"
)

func init() {
	register("images", "build, list or prune the openssl container images (build|list|prune)", runImages)
}

// runImages is `kmsconform images build|list|prune`.
func runImages(args []string) int {
	if len(args) == 0 {
		imagesUsage()
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch args[0] {
	case "build":
		return imagesBuild(ctx, args[1:])
	case "list", "ls":
		return imagesList(ctx, args[1:])
	case "prune":
		return imagesPrune(ctx, args[1:])
	case "-h", "--help", "help":
		imagesUsage()
		return 0
	}
	fmt.Fprintf(os.Stderr, "kmsconform: error: unknown images command %q\n", args[0])
	fmt.Fprintln(os.Stderr, "kmsconform: hint: use `kmsconform images build`, `images list` or `images prune`")
	return 2
}

func imagesUsage() {
	fmt.Fprintf(os.Stderr, `usage: kmsconform images build [--versions %s] [--mirror URL] [--parallel N] [--force]
       kmsconform images list
       kmsconform images prune
`, strings.Join(images.LineNames(), ","))
}

func imagesError(err error, hint string) int {
	for _, ln := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(os.Stderr, "kmsconform: error: %s\n", ln)
	}
	if hint != "" {
		fmt.Fprintf(os.Stderr, "kmsconform: hint: %s\n", hint)
	}
	return 1
}

func imagesBuild(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("images build", flag.ContinueOnError)
	versions := fs.String("versions", strings.Join(images.LineNames(), ","), "openssl lines to build, comma-separated")
	mirror := fs.String("mirror", "", "Debian mirror (default: from /etc/apt/sources.list.d)")
	parallel := fs.Int("parallel", 3, "concurrent debootstraps")
	force := fs.Bool("force", false, "rebuild lines that already have an image")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		return imagesError(fmt.Errorf("unexpected argument %q", fs.Arg(0)), "pass lines with --versions 1.1.1,3.5")
	}
	lines, err := images.ParseLines(*versions)
	if err != nil {
		return imagesError(err, "e.g. --versions "+strings.Join(images.LineNames(), ","))
	}
	if err := images.DockerAvailable(ctx); err != nil {
		return imagesError(err, "images are imported into Docker; check `docker info`")
	}
	start := time.Now()
	built, err := images.Build(ctx, images.BuildOptions{Lines: lines, Mirror: *mirror, Parallel: *parallel, Force: *force, Log: os.Stderr})
	if ctx.Err() != nil {
		fmt.Fprintln(os.Stderr, "kmsconform: error: interrupted; temporary rootfs removed, no image was tagged for the unfinished lines")
		return 130
	}
	if err != nil {
		return imagesError(err, "see the failing step above; `kmsconform images build --versions LINE` retries one line")
	}
	for _, b := range built {
		state := "built " + b.Elapsed.Round(100*time.Millisecond).String()
		if b.Cached {
			state = "cached"
		}
		fmt.Printf("%-6s %-28s %s\n", b.Line.Name, b.Image.Ref, state)
	}
	fmt.Printf("total  %s\n", time.Since(start).Round(100*time.Millisecond))
	return 0
}

func imagesList(ctx context.Context, args []string) int {
	if len(args) > 0 {
		return imagesError(fmt.Errorf("images list takes no arguments"), "")
	}
	imgs, err := images.List(ctx)
	if err != nil {
		return imagesError(err, "check that Docker runs: `docker info`")
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LINE\tIMAGE\tSUITE\tSIZE\tOPENSSL VERSION")
	for _, im := range imgs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", im.Line, im.Ref, im.Suite, im.Size, im.VersionString)
	}
	_ = tw.Flush()
	if len(imgs) == 0 {
		fmt.Fprintln(os.Stderr, "kmsconform: hint: no images yet; build them with `kmsconform images build`")
	}
	return 0
}

func imagesPrune(ctx context.Context, args []string) int {
	if len(args) > 0 {
		return imagesError(fmt.Errorf("images prune takes no arguments"), "")
	}
	removed, err := images.Prune(ctx)
	for _, r := range removed {
		fmt.Println("removed", r)
	}
	if err != nil {
		return imagesError(err, "check that Docker runs: `docker info`")
	}
	if len(removed) == 0 {
		fmt.Println("nothing to remove")
	}
	return 0
}
