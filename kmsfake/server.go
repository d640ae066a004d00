package kmsfake

import (
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"sync/atomic"
)

// Options configures a Server. The zero value is an in-memory server for
// region us-east-1 and account 000000000000 that does not verify SigV4
// signatures.
type Options struct {
	// Region is the default region, used when a request carries no SigV4
	// credential scope.
	Region string
	// Account is the default account, used unless the access key id is 12
	// digits (then that is the account).
	Account string
	// DataDir, when set, makes every change durable in this directory
	// before it is answered, and reloads it at start.
	DataDir string
	// SeedFile, when set, is a YAML or JSON file of keys and aliases
	// created at start (see LoadSeed).
	SeedFile string
	// SigV4 is "off" (the default: signatures are read for region and
	// account but not checked) or "verify": every request must be signed
	// by a key of CredentialsFile, exactly as aws-sdk-go-v2's signer signs
	// it, within 15 minutes of the server's clock, scoped to service kms,
	// a region and X-Amz-Date's day, with host, x-amz-date and
	// x-amz-target among the signed headers (see sigv4.go).
	SigV4 string
	// CredentialsFile is an AWS shared-credentials INI file; required with
	// SigV4 "verify".
	CredentialsFile string
	// Logger receives one line per request; nil discards.
	Logger *slog.Logger
	// KeyPool is how many fresh RSA keys of each size (2048, 3072, 4096)
	// one background goroutine keeps ready for CreateKey,
	// GenerateDataKeyPair* and GetParametersForImport; each key is handed
	// out once. 0 (the default) generates every key when it is asked for;
	// at most MaxKeyPool.
	KeyPool int

	poolSizes []int // tests: the sizes the pool keeps (default poolSizes)
}

// Server is the KMS fake. It implements http.Handler.
type Server struct {
	opts    Options
	store   *store
	creds   map[string]string // access key id -> secret, for SigV4 verify
	log     *slog.Logger
	imports importTokens
	pool    *keyPool // nil: no pool
	closed  atomic.Bool
	warns   []string
}

// Warnings returns what New found and fixed that a person should know
// (e.g. a data directory other users could read, now 0700).
func (s *Server) Warnings() []string { return append([]string(nil), s.warns...) }

var accountRE = regexp.MustCompile(`^[0-9]{12}$`)
var regionRE = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

// New builds a Server: it opens and loads the data directory, applies the
// seed file and reads the credentials file, as Options say.
func New(o Options) (*Server, error) {
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	if o.Account == "" {
		o.Account = "000000000000"
	}
	if o.SigV4 == "" {
		o.SigV4 = "off"
	}
	if o.KeyPool < 0 || o.KeyPool > MaxKeyPool {
		return nil, fmt.Errorf("key pool of %d keys per size: give 0 (no pool) to %d", o.KeyPool, MaxKeyPool)
	}
	if !regionRE.MatchString(o.Region) {
		return nil, fmt.Errorf("region %q is not a region name like us-east-1", o.Region)
	}
	if !accountRE.MatchString(o.Account) {
		return nil, fmt.Errorf("account %q must be 12 digits", o.Account)
	}
	s := &Server{opts: o, log: o.Logger, imports: importTokens{m: map[string]*importToken{}}}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	switch o.SigV4 {
	case "off":
	case "verify":
		if o.CredentialsFile == "" {
			return nil, errors.New("SigV4 verify needs a credentials file (an AWS shared-credentials INI file with aws_access_key_id and aws_secret_access_key)")
		}
		creds, err := loadCredentials(o.CredentialsFile)
		if err != nil {
			return nil, err
		}
		s.creds = creds
	default:
		return nil, fmt.Errorf("SigV4 mode %q: use off or verify", o.SigV4)
	}
	var d *disk
	if o.DataDir != "" {
		var err error
		if d, err = openDisk(o.DataDir); err != nil {
			return nil, err
		}
	}
	s.store = newStore(d)
	if d != nil {
		err := d.loadAll(s.store)
		s.warns = append(s.warns, d.warnings...)
		if err != nil {
			return nil, fmt.Errorf("loading %w %s: %w", ErrDataDir, o.DataDir, err)
		}
	}
	if o.SeedFile != "" {
		if err := s.applySeed(o.SeedFile); err != nil {
			return nil, err
		}
	}
	sizes := o.poolSizes
	if sizes == nil {
		sizes = poolSizes
	}
	s.pool = newKeyPool(o.KeyPool, sizes)
	return s, nil
}

// Close releases the server's resources and stops the key pool (a key
// being generated is finished in the background and dropped). Requests
// after Close are answered with KMSInternalException.
func (s *Server) Close() error {
	s.closed.Store(true)
	s.pool.close()
	return nil
}
