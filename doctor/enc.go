package doctor

import (
	"bytes"
	"context"
	"crypto/aes"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// EncRequest is what DiagnoseEnc needs: the file, the password as the
// consumer reads it, and optionally the plaintext expected.
type EncRequest struct {
	// Data is the content of the file that does not decrypt.
	Data []byte
	// InPath is the file's path, used in the printed command.
	InPath string
	// Pass is the password as `-pass Pass.Spec` gives it to the consumer.
	Pass PassSource
	// Expect, when not nil, is the plaintext the file must decrypt to; a
	// candidate then counts only when it matches byte for byte.
	Expect []byte
	// Salt is the salt of a file with no Salted__ header (made by OpenSSL
	// 3.x with `-S HEX`), when the producer told it; nil otherwise.
	Salt []byte
	// Workers bounds the goroutines (default: the number of CPUs).
	Workers int
}

// EncParams are the `openssl enc` settings of a candidate.
type EncParams struct {
	// Cipher is the openssl cipher name, e.g. "aes-256-cbc".
	Cipher string
	// MD is the -md digest.
	MD string
	// PBKDF2 and Iter are -pbkdf2 and -iter (Iter is 0 without PBKDF2).
	PBKDF2 bool
	Iter   int
	// Base64 is -a; Base64OneLine is -a -A.
	Base64, Base64OneLine bool
	// NoSalt is -nosalt; ExplicitSalt is -S for a header-less file.
	NoSalt       bool
	ExplicitSalt []byte
	// PasswordVariant names how the password differs from the one given
	// ("as given", "with a trailing CR", ...).
	PasswordVariant string
}

// EncFinding is one candidate that decrypts.
type EncFinding struct {
	Params EncParams
	// Certain is true when the plaintext matched EncRequest.Expect.
	Certain bool
	// NearMiss is true when the candidate decrypts cleanly but not to
	// EncRequest.Expect, and the plaintext is close to it (a trailing
	// newline, CRLF, a prefix, ...) or plausible in itself: the settings and
	// the password are right, the data differs. Difference says how.
	NearMiss   bool
	Difference string
	// Fault is false when nothing is wrong: the usual settings, the
	// password as given, binary with a header, and the expected plaintext.
	Fault bool
	// Summary is the finding in one line, e.g. "consistent with -md md5
	// (legacy EVP_BytesToKey, no -pbkdf2) on the producer".
	Summary string
	// Plausible says why the plaintext looks right when nothing was
	// expected (e.g. "it is printable text"); empty if it does not.
	Plausible string
	// Plaintext is the decrypted data.
	Plaintext []byte
	// Cause is the producer's mistake in one sentence.
	Cause string
	// Command is an `openssl enc -d ...` shell command that decrypts the
	// file to stdout, runnable as printed.
	Command string
	// Fix is the change the producer should make.
	Fix string

	order   int
	variant pwVariant
	fr      framing
	key, iv []byte
}

// EncReport is the outcome of DiagnoseEnc.
type EncReport struct {
	// Found is the best candidate, nil when none counts.
	Found *EncFinding
	// Rejected are candidates with valid padding that were not accepted
	// (mismatch with Expect, or not plausible without it).
	Rejected []EncFinding
	// Tried describes the search space, counted, for the "nothing found"
	// message.
	Tried string
	// Derivations and Candidates count the key derivations run and the
	// (key, cipher) candidates tested.
	Derivations, Candidates int
	// Notes are observations about the file (e.g. no Salted__ header).
	Notes []string
}

// job is one key derivation: a framing, a password variant, a digest and
// a KDF. PBKDF2 jobs cover every iteration count in one pass.
type job struct {
	order   int
	fr      framing
	variant pwVariant
	md      string
	pbkdf2  bool
	cost    int
}

// DiagnoseEnc searches the settings and password variants real producers
// get wrong until one decrypts Data, using every CPU (the high PBKDF2
// iteration counts dominate). Keys are derived once per (framing, digest,
// KDF, password variant); each key is first tested on the last block's
// padding and fully decrypted only when that passes.
func DiagnoseEnc(ctx context.Context, req EncRequest) (*EncReport, error) {
	if len(req.Data) == 0 {
		return nil, errors.New("the input file is empty")
	}
	frs := framings(req.Data, req.Salt)
	variants := passwordVariants(req.Pass)
	var jobs []job
	for _, fr := range frs {
		for _, v := range variants {
			for _, pb := range []bool{true, false} {
				for _, md := range digests {
					cost := 1
					if pb {
						cost = iterCounts[len(iterCounts)-1]
					}
					jobs = append(jobs, job{order: len(jobs), fr: fr, variant: v, md: md, pbkdf2: pb, cost: cost})
				}
			}
		}
	}
	rep := &EncReport{Tried: describeSearch(frs, variants)}
	if !frs[0].header && !(len(frs) > 1 && frs[1].header) {
		rep.Notes = append(rep.Notes, "the file has no Salted__ header: it was made with -nosalt, with -K/-iv, or by OpenSSL 3.x with -S SALT (which no longer writes the header); pass --salt HEX if the producer can tell the salt")
	}
	// Cheapest first: a legacy-KDF hit cancels the expensive PBKDF2 work.
	// The default digest first across password variants, then the others.
	sort.SliceStable(jobs, func(i, j int) bool {
		if jobs[i].cost != jobs[j].cost {
			return jobs[i].cost < jobs[j].cost
		}
		return mdRank(jobs[i].md, jobs[i].pbkdf2) < mdRank(jobs[j].md, jobs[j].pbkdf2)
	})

	workers := req.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu    sync.Mutex
		found []EncFinding
		rej   []EncFinding
		wg    sync.WaitGroup
		count counts
	)
	ch := make(chan job)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				acc, bad := runJob(ctx, req, j, &count)
				mu.Lock()
				found = append(found, acc...)
				rej = append(rej, bad...)
				mu.Unlock()
				// A match with --expect is proof; without it, valid padding
				// and plausible plaintext together are as good as proof
				// (a wrong key passes both about never): stop either way.
				if len(acc) > 0 {
					cancel()
				}
			}
		}()
	}
feed:
	for _, j := range jobs {
		select {
		case ch <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(ch)
	wg.Wait()
	if err := parent.Err(); err != nil {
		return nil, fmt.Errorf("search interrupted: %w", err)
	}
	rep.Derivations, rep.Candidates = int(count.derivations.Load()), int(count.candidates.Load())
	rep.Tried = fmt.Sprintf("%d key derivations and %d (key, cipher) candidates: %s", rep.Derivations, rep.Candidates, rep.Tried)
	sort.SliceStable(found, func(i, j int) bool { return better(found[i], found[j]) })
	sort.SliceStable(rej, func(i, j int) bool { return rej[i].order < rej[j].order })
	if len(found) > 0 {
		f := found[0]
		explain(req, &f)
		rep.Found = &f
	}
	rep.Rejected = rej
	return rep, nil
}

// mdRank orders digests by how often producers use them: with -pbkdf2,
// sha256 then sha512; without, sha256 then md5 (OpenSSL 1.0.2, LibreSSL).
func mdRank(md string, pbkdf2 bool) int {
	order := digests
	if pbkdf2 {
		order = []string{"sha256", "sha512", "sha1", "md5"}
	}
	for i, d := range order {
		if d == md {
			return i
		}
	}
	return len(order)
}

// better orders accepted candidates: certain before near misses, then the
// simplest explanation (the earlier in the search order).
func better(a, b EncFinding) bool {
	if a.Certain != b.Certain {
		return a.Certain
	}
	if a.NearMiss != b.NearMiss {
		return !a.NearMiss
	}
	return a.order < b.order
}

// counts are what a search ran, for the "tried" hint.
type counts struct{ derivations, candidates atomic.Int64 }

// runJob derives the keys of one job and tests every cipher with them.
func runJob(ctx context.Context, req EncRequest, j job, n *counts) (acc, rej []EncFinding) {
	newH, err := newHash(j.md)
	if err != nil {
		return nil, nil
	}
	const need = 32 + 16
	var stopped bool
	try := func(di, iter int, km []byte) {
		n.derivations.Add(1)
		n.candidates.Add(int64(len(encCiphers)))
		for ci, c := range encCiphers {
			key, iv := km[:c.keyLen], km[c.keyLen:c.keyLen+c.ivLen]
			f, ok, pad := tryCipher(req, c, key, iv, j.fr.ct)
			if !pad {
				continue
			}
			f.order = j.order*10000 + di*100 + ci
			f.variant, f.fr, f.key, f.iv = j.variant, j.fr, key, iv
			f.Params = EncParams{
				Cipher: c.name, MD: j.md, PBKDF2: j.pbkdf2, Iter: iter,
				Base64: j.fr.b64, Base64OneLine: j.fr.oneLine,
				NoSalt: j.fr.salt == nil, ExplicitSalt: j.fr.explicitSalt,
				PasswordVariant: j.variant.name,
			}
			if ok {
				acc = append(acc, f)
				stopped = true
			} else {
				rej = append(rej, f)
			}
		}
	}
	if !j.pbkdf2 {
		km, err := legacyKeyMaterial(j.md, j.variant.password, j.fr.salt, need)
		if err != nil {
			return nil, nil
		}
		try(0, 0, km)
		return acc, rej
	}
	di := 0
	pbkdf2Checkpoints(newH, j.variant.password, j.fr.salt, iterCounts, need,
		func() bool { return ctx.Err() != nil },
		func(iter int, km []byte) bool {
			try(di, iter, km)
			di++
			return !stopped && ctx.Err() == nil
		})
	return acc, rej
}

// tryCipher tests one key: pad reports whether the candidate got past the
// cheap checks (padding, or for stream modes a first look), ok whether it
// counts.
func tryCipher(req EncRequest, c encCipher, key, iv, ct []byte) (f EncFinding, ok, pad bool) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return f, false, false
	}
	if c.padded() {
		if !lastBlockPadOK(b, c, iv, ct) {
			return f, false, false
		}
		pt, good := decryptAll(b, c, iv, ct, 0)
		if !good {
			return f, false, false
		}
		return judge(req, pt, true)
	}
	if len(ct) == 0 {
		return f, false, false
	}
	// A first look at the head of a stream-mode decryption: with --expect,
	// it must start like the expected text (or be plausible on its own, for
	// a near miss); without, it must be plausible. Below minStreamGuess
	// bytes random output looks like text too often to go by that alone.
	head, _ := decryptAll(b, c, iv, ct, 256)
	s, _ := plausibility(head)
	startsLike := len(req.Expect) > 0 && commonPrefix(head, req.Expect) >= min(4, len(head), len(req.Expect))
	if !startsLike && (s == 0 || len(ct) < minStreamGuess) {
		return f, false, false
	}
	pt, _ := decryptAll(b, c, iv, ct, 0)
	return judge(req, pt, false)
}

// minStreamGuess is the shortest stream-mode ciphertext judged by
// plausibility alone (a random byte is printable about 37% of the time:
// 0.37^32 is about 1e-14 per candidate).
const minStreamGuess = 32

// judge turns a cleanly decrypted plaintext into a finding: exact with
// --expect, a near miss when it differs but is close (loose: a padded
// mode, whose padding check already filtered the keys), plausible without
// --expect.
func judge(req EncRequest, pt []byte, loose bool) (EncFinding, bool, bool) {
	f := EncFinding{Plaintext: pt}
	if req.Expect != nil {
		if bytes.Equal(pt, req.Expect) {
			f.Certain = true
			return f, true, true
		}
		f.Difference, f.NearMiss = nearMiss(pt, req.Expect, loose)
		return f, f.NearMiss, true
	}
	s, why := plausibility(pt)
	f.Plausible = why
	return f, s > 0, true
}

// describeSearch says what the search covers, counted, for the "nothing
// found" message.
func describeSearch(frs []framing, variants []pwVariant) string {
	var names []string
	for _, v := range variants {
		names = append(names, v.name)
	}
	var readings []string
	for _, f := range frs {
		r := "binary"
		if f.b64 {
			r = "base64"
		}
		switch {
		case f.header:
			r += " with Salted__ header"
		case f.explicitSalt != nil:
			r += " with the given -S salt"
		default:
			r += " with -nosalt"
		}
		readings = append(readings, r)
	}
	var ciphers []string
	for _, c := range encCiphers {
		ciphers = append(ciphers, c.name)
	}
	iters := make([]string, len(iterCounts))
	for i, n := range iterCounts {
		iters[i] = fmt.Sprint(n)
	}
	return fmt.Sprintf("%d reading(s) of the file (%s) × %d password variant(s) (%s) × %d digests (-md %s) × %d KDF settings (legacy EVP_BytesToKey, -pbkdf2 -iter %s) × %d ciphers (%s)",
		len(readings), strings.Join(readings, ", "), len(names), strings.Join(names, ", "),
		len(digests), strings.Join(digests, ", "), 1+len(iterCounts), strings.Join(iters, ", "),
		len(ciphers), strings.Join(ciphers, ", "))
}
