package flows

import "encoding/base64"

// b64dec decodes standard base64 with padding.
func b64dec(s string) ([]byte, error) { return base64.StdEncoding.DecodeString(s) }
