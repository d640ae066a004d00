package partner

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkPartnerRSA checks a correct openssl tool in RSA mode over the
// three key specs against the in-process fake; it reports the wall time,
// the time spent in the tool (summed over runs) and kmsconform's own
// share (wall − tool/parallelism), which issue 13 bounds at 5 s.
func BenchmarkPartnerRSA(b *testing.B) {
	dir := b.TempDir()
	writeToolB(b, filepath.Join(dir, "good.sh"))
	var wall, tool float64
	for b.Loop() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		res, err := Run(ctx, Options{Encrypt: "./good.sh {pubkey_pem} {in} {out}", Algorithm: "RSAES_OAEP_SHA_256", Dir: dir})
		cancel()
		if err != nil || !res.Pass {
			b.Fatalf("err %v, pass %v", err, res != nil && res.Pass)
		}
		wall += float64(res.TotalMS)
		tool += float64(res.ToolMS)
	}
	n := float64(b.N)
	b.ReportMetric(wall/n, "wall-ms/op")
	b.ReportMetric(tool/n, "tool-ms/op")
	b.ReportMetric((wall-tool/2)/n, "own-ms/op") // cases run 2 at a time
}

func writeToolB(b *testing.B, p string) {
	b.Helper()
	if err := os.WriteFile(p, []byte(goodTool), 0o755); err != nil {
		b.Fatal(err)
	}
}
