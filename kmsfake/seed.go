package kmsfake

import (
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"os"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Seed is the --seed file: keys created at start with fixed ids, so that a
// test or a team can share deterministic keys. YAML or JSON:
//
//	keys:
//	  - id: 11111111-2222-3333-4444-555555555555
//	    spec: RSA_2048              # default SYMMETRIC_DEFAULT
//	    usage: ENCRYPT_DECRYPT      # required except for SYMMETRIC_DEFAULT
//	    description: shared test key
//	    aliases: [alias/team-rsa]
//	    region: us-east-1           # default: the server's region
//	    account: "000000000000"     # default: the server's account
//	    state: Enabled              # or Disabled
//	    privateKeyPem: |            # asymmetric keys: PKCS#8/PKCS#1/SEC1 PEM
//	      -----BEGIN PRIVATE KEY-----
//	      ...
//	    symmetricKey: BASE64        # SYMMETRIC_DEFAULT: 32 bytes
//	    tags: {team: crypto}
//
// Keys without material get fresh random material. With a data directory,
// a seed key that already exists there is left as it is.
type Seed struct {
	Keys []SeedKey `yaml:"keys" json:"keys"`
}

// SeedKey is one key of a Seed.
type SeedKey struct {
	ID            string            `yaml:"id"`
	Spec          string            `yaml:"spec"`
	Usage         string            `yaml:"usage"`
	Description   string            `yaml:"description"`
	Aliases       []string          `yaml:"aliases"`
	Region        string            `yaml:"region"`
	Account       string            `yaml:"account"`
	State         string            `yaml:"state"`
	PrivateKeyPEM string            `yaml:"privateKeyPem"`
	SymmetricKey  string            `yaml:"symmetricKey"`
	Tags          map[string]string `yaml:"tags"`
}

func (s *Server) applySeed(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("seed file: %w", err)
	}
	var seed Seed
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&seed); err != nil {
		return fmt.Errorf("seed file %s: %w", path, err)
	}
	for i, sk := range seed.Keys {
		if err := s.seedKey(sk); err != nil {
			return fmt.Errorf("seed file %s: key %d (%s): %w", path, i+1, sk.ID, err)
		}
	}
	return nil
}

func (s *Server) seedKey(sk SeedKey) error {
	sc := scope{s.opts.Account, s.opts.Region}
	if sk.Region != "" {
		if !regionRE.MatchString(sk.Region) {
			return fmt.Errorf("region %q is not a region name", sk.Region)
		}
		sc.region = sk.Region
	}
	if sk.Account != "" {
		if !accountRE.MatchString(sk.Account) {
			return fmt.Errorf("account %q must be 12 digits (quote it in YAML)", sk.Account)
		}
		sc.account = sk.Account
	}
	if !uuidRE.MatchString(sk.ID) {
		return fmt.Errorf("id must be a key id like 1234abcd-12ab-34cd-56ef-1234567890ab")
	}
	if sk.Spec == "" {
		sk.Spec = specSymmetric
	}
	if aerr := checkSpecUsage(sk.Spec, sk.Usage); aerr != nil {
		return fmt.Errorf("%s (seed field usage)", aerr.Message)
	}
	if sk.Usage == "" {
		sk.Usage = usageEncrypt
	}
	state := stateEnabled
	switch sk.State {
	case "", stateEnabled:
	case stateDisabled:
		state = stateDisabled
	default:
		return fmt.Errorf("state %q: use Enabled or Disabled", sk.State)
	}
	var material []byte
	switch {
	case sk.SymmetricKey != "":
		if sk.Spec != specSymmetric {
			return fmt.Errorf("symmetricKey is only for SYMMETRIC_DEFAULT keys")
		}
		material, err := base64.StdEncoding.DecodeString(strings.TrimSpace(sk.SymmetricKey))
		if err != nil || len(material) != 32 {
			return fmt.Errorf("symmetricKey must be 32 bytes in base64")
		}
		return s.seedInsert(sc, sk, state, material)
	case sk.PrivateKeyPEM != "":
		blk, _ := pem.Decode([]byte(sk.PrivateKeyPEM))
		if blk == nil {
			return fmt.Errorf("privateKeyPem holds no PEM block")
		}
		der, err := toPKCS8(blk)
		if err != nil {
			return err
		}
		if _, err := parsePrivateKey(sk.Spec, der); err != nil {
			return err
		}
		material = der
	default:
		var err error
		if material, err = generateKey(sk.Spec); err != nil {
			return err
		}
	}
	return s.seedInsert(sc, sk, state, material)
}

func (s *Server) seedInsert(sc scope, sk SeedKey, state string, material []byte) error {
	if s.store.key(sc, sk.ID) == nil {
		tags := map[string]string(nil)
		if len(sk.Tags) > 0 {
			tags = sk.Tags
		}
		rec := keyRecord{KeyID: sk.ID, Account: sc.account, Region: sc.region, Spec: sk.Spec, Usage: sk.Usage,
			Description: sk.Description, Origin: originKMS, State: state, Created: time.Now().UTC(), Material: material, Tags: tags}
		if sk.Spec == specSymmetric {
			rec.MaterialID = materialID(material)
		}
		k, err := newKey(rec)
		if err != nil {
			return err
		}
		if err := s.store.insert(k); err != nil {
			return err
		}
	}
	for _, name := range sk.Aliases {
		if aerr := checkAliasName(name); aerr != nil {
			return fmt.Errorf("alias %q: %s", name, aerr.Message)
		}
		now := time.Now().UTC()
		err := s.store.changeAlias(sc, func(p *partition) (*aliasRecord, string, *apiError) {
			if a := p.aliases[name]; a != nil && a.Target == sk.ID {
				return nil, "", nil
			}
			return &aliasRecord{Name: name, Target: sk.ID, Account: sc.account, Region: sc.region, Created: now, Updated: now}, "", nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
