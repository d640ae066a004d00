package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	// The "openssl-" container engines, for --engines openssl-3.5 etc.
	_ "github.com/kmsconform/kmsconform/engine/container"
	"github.com/kmsconform/kmsconform/images"
	"github.com/kmsconform/kmsconform/internal/cli"
)

func init() {
	register("images", "build, list or prune the openssl container images (build|list|prune)", runImages)
}

// runImages is `kmsconform images build|list|prune`.
func runImages(args []string) int {
	if len(args) == 0 {
		imagesUsage(os.Stderr)
		return cli.ExitUsage
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
	case "-h", "--help", "-help", "help":
		imagesUsage(os.Stdout)
		return cli.ExitOK
	}
	hint := "use `kmsconform images build`, `images list` or `images prune`"
	if s := suggestCommand(args[0], []string{"build", "list", "prune"}); s != "" {
		hint = fmt.Sprintf("did you mean `kmsconform images %s`?", s)
	}
	return cli.Print(os.Stderr, cli.Usage(fmt.Sprintf("unknown images command %q", args[0]), hint))
}

func imagesUsage(w io.Writer) {
	fmt.Fprintf(w, `usage: kmsconform images build [--versions %s] [--mirror URL] [--parallel N] [--force]
       kmsconform images list
       kmsconform images prune

Builds (offline, from Debian's suites with debootstrap; needs root), lists or
removes the openssl images the openssl-X engines run. Run
`+"`kmsconform images build --help`"+` for the build flags.
`, strings.Join(images.LineNames(), ","))
}

// imagesError prints err (one error line per line of it) and hint, and
// returns code.
func imagesError(code int, err error, hint string) int {
	for _, ln := range strings.Split(err.Error(), "\n") {
		cli.Errorf(os.Stderr, "%s", ln)
	}
	if hint != "" {
		cli.Hintf(os.Stderr, "%s", hint)
	}
	return code
}

func imagesBuild(ctx context.Context, args []string) int {
	fs := cli.NewFlags("kmsconform images build", "[--versions LINES] [--mirror URL] [--parallel N] [--force]")
	versions := fs.String("versions", strings.Join(images.LineNames(), ","), "openssl lines to build, comma-separated")
	mirror := fs.String("mirror", "", "Debian mirror (default: from /etc/apt/sources.list.d)")
	parallel := fs.Int("parallel", 3, "concurrent debootstraps")
	force := fs.Bool("force", false, "rebuild lines that already have an image")
	fs.Meta("versions", "LINES")
	fs.Meta("mirror", "URL")
	fs.Extra = "Each line is one image, kmsconform/openssl:VERSION; a line that has one is skipped\nunless --force. Needs root (debootstrap) and Docker."
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	if fs.NArg() > 0 {
		return imagesError(cli.ExitUsage, fmt.Errorf("unexpected argument %q", fs.Arg(0)), "pass lines with --versions 1.1.1,3.5")
	}
	lines, err := images.ParseLines(*versions)
	if err != nil {
		hint := "e.g. --versions " + strings.Join(images.LineNames(), ",")
		for _, f := range strings.Split(*versions, ",") {
			if _, lerr := images.LookupLine(f); lerr != nil {
				if s := cli.Suggest(strings.TrimSpace(f), images.LineNames()); s != "" {
					hint = fmt.Sprintf("did you mean %s? (%s)", s, hint)
				}
				break
			}
		}
		return imagesError(cli.ExitUsage, err, hint)
	}
	if err := images.DockerAvailable(ctx); err != nil {
		return imagesError(cli.ExitSetup, err, "images are imported into Docker; check `docker info`")
	}
	start := time.Now()
	built, err := images.Build(ctx, images.BuildOptions{Lines: lines, Mirror: *mirror, Parallel: *parallel, Force: *force, Log: os.Stderr})
	if ctx.Err() != nil {
		cli.Errorf(os.Stderr, "interrupted; temporary rootfs removed, no image was tagged for the unfinished lines")
		return cli.ExitInterrupted
	}
	if err != nil {
		return imagesError(cli.ExitSetup, err, "see the failing step above; `kmsconform images build --versions LINE` retries one line")
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
	fs := cli.NewFlags("kmsconform images list", "")
	fs.Extra = "Lists the images `kmsconform images build` made: line, reference, Debian suite, size, `openssl version`."
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	if fs.NArg() > 0 {
		return cli.Print(os.Stderr, fs.Unexpected(fs.Arg(0)))
	}
	imgs, err := images.List(ctx)
	if err != nil {
		return imagesError(cli.ExitSetup, err, "check that Docker runs: `docker info`")
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
	fs := cli.NewFlags("kmsconform images prune", "")
	fs.Extra = "Removes every image kmsconform built, and any container left from them."
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	if fs.NArg() > 0 {
		return cli.Print(os.Stderr, fs.Unexpected(fs.Arg(0)))
	}
	removed, err := images.Prune(ctx)
	for _, r := range removed {
		fmt.Println("removed", r)
	}
	if err != nil {
		return imagesError(cli.ExitSetup, err, "check that Docker runs: `docker info`")
	}
	if len(removed) == 0 {
		fmt.Println("nothing to remove")
	}
	return 0
}
