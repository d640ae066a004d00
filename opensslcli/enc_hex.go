package opensslcli

// setHex parses a -K, -iv or -S hex string into size bytes exactly as
// openssl's set_hex: too long is cut (with a warning), too short is padded
// with zero bytes (with a warning), an odd last digit fills a high nibble.
// It prints openssl's messages and reports false on a non-hex digit.
func setHex(env *Env, in string, size int) ([]byte, bool) {
	n := len(in)
	if n > 2*size {
		env.Errorf("hex string is too long, ignoring excess\n")
		n = 2 * size
	} else if n < 2*size {
		env.Errorf("hex string is too short, padding with zero bytes to length\n")
	}
	out := make([]byte, size)
	for i := 0; i < n; i++ {
		v, ok := hexDigit(in[i])
		if !ok {
			env.Errorf("non-hex digit\n")
			return nil, false
		}
		if i&1 == 1 {
			out[i/2] |= v
		} else {
			out[i/2] = v << 4
		}
	}
	return out, true
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
