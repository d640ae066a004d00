package vectors

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// Hex is a byte string written in JSON as lower-case hex. A field that is
// absent from the JSON stays nil; the empty string "" decodes to a non-nil
// empty slice, so the loader can tell "missing" from "empty".
type Hex []byte

// MarshalJSON writes h as a lower-case hex string.
func (h Hex) MarshalJSON() ([]byte, error) {
	return json.Marshal(hex.EncodeToString(h))
}

// UnmarshalJSON accepts only a JSON string of lower-case hex digits of even
// length; anything else (null, numbers, upper case, odd length) is an error.
func (h *Hex) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil || string(data) == "null" {
		return fmt.Errorf("want a hex string, got %s", truncate(string(data)))
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return fmt.Errorf("hex string has %q at offset %d (only 0-9a-f allowed)", c, i)
		}
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return fmt.Errorf("bad hex string: %v", err)
	}
	*h = Hex(append([]byte{}, b...))
	return nil
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
