package oracle

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
)

// base64LineLen is the width of openssl's base64 output lines.
const base64LineLen = 64

// ErrBadBase64 reports base64 input that cannot be decoded. openssl itself
// silently stops at such input (and may write nothing); the oracle says why.
var ErrBadBase64 = errors.New("bad base64 input")

// lineWrapper inserts "\n" after every 64 characters and, on Close, after
// the last partial line, as openssl's base64 BIO does.
type lineWrapper struct {
	w   io.Writer
	col int
	buf []byte
}

func (l *lineWrapper) Write(p []byte) (int, error) {
	n := len(p)
	l.buf = l.buf[:0]
	for len(p) > 0 {
		take := min(base64LineLen-l.col, len(p))
		l.buf = append(l.buf, p[:take]...)
		p = p[take:]
		l.col += take
		if l.col == base64LineLen {
			l.buf = append(l.buf, '\n')
			l.col = 0
		}
	}
	if _, err := l.w.Write(l.buf); err != nil {
		return 0, err
	}
	return n, nil
}

func (l *lineWrapper) Close() error {
	if l.col > 0 {
		l.col = 0
		_, err := l.w.Write([]byte{'\n'})
		return err
	}
	return nil
}

// base64Writer encodes to w: wrapped at 64 columns with a final newline
// (enc -a), or as one line without any newline (enc -a -A). Close flushes
// the last group and the final newline; it does not close w.
type base64Writer struct {
	enc  io.WriteCloser
	wrap *lineWrapper
}

// NewBase64Writer returns a writer that base64-encodes to w as `openssl enc
// -a` does (oneLine: as with -A). The caller must Close it to flush.
func NewBase64Writer(w io.Writer, oneLine bool) io.WriteCloser {
	if oneLine {
		return &base64Writer{enc: base64.NewEncoder(base64.StdEncoding, w)}
	}
	lw := &lineWrapper{w: w}
	return &base64Writer{enc: base64.NewEncoder(base64.StdEncoding, lw), wrap: lw}
}

func (b *base64Writer) Write(p []byte) (int, error) { return b.enc.Write(p) }

func (b *base64Writer) Close() error {
	if err := b.enc.Close(); err != nil {
		return err
	}
	if b.wrap != nil {
		return b.wrap.Close()
	}
	return nil
}

// b64Filter passes base64 text on, dropping white space. With oneLine,
// white space is allowed only at the very end (enc -A reads one line).
// Without oneLine it holds the text back until it has seen a newline, so
// that a lone line without one is refused before anything is decoded.
type b64Filter struct {
	r       io.Reader
	oneLine bool
	sawWS   bool
	sawNL   bool
	firstNL int64 // offset of the first "\n"
	sawData bool
	started bool   // the first line has been checked
	pending []byte // filtered text read while checking the first line
	eof     error  // the reader's final error, once pending is drained
	off     int64
}

// b64FirstLineMax is where openssl's base64 layer (3.0, -a without -A)
// needs the first newline: at byte 1023 or earlier. A later first newline
// makes it drop or garble the input silently (pinned against the host).
const b64FirstLineMax = 1024

// errFirstLineTooLong is that quirk made explicit.
var errFirstLineTooLong = fmt.Errorf("%w: the first base64 line is longer than %d bytes, which openssl -a silently garbles or drops (use -a -A for one long line, or wrap the base64 at 64 columns)", ErrBadBase64, b64FirstLineMax-1)

// errOneLineNoNewline is openssl's silent quirk made explicit: without -A,
// base64 input that is one line with no newline at all decodes to nothing
// in openssl 3.0 (so a salted file gives "error reading input file").
var errOneLineNoNewline = fmt.Errorf("%w: the base64 input is one line without a newline, which openssl decodes to nothing without -A (add -A, or end the line with a newline)", ErrBadBase64)

func isB64Space(c byte) bool {
	return c == '\n' || c == '\r' || c == ' ' || c == '\t'
}

// filter compacts p[:m] in place, dropping white space.
func (f *b64Filter) filter(p []byte, m int) (int, error) {
	n := 0
	for _, c := range p[:m] {
		f.off++
		if isB64Space(c) {
			f.sawWS = true
			if c == '\n' && !f.sawNL {
				f.sawNL, f.firstNL = true, f.off-1
			}
			continue
		}
		if f.oneLine && f.sawWS {
			return n, fmt.Errorf("%w: line break or space at byte %d, but -A reads base64 as one line (drop -A for wrapped input)", ErrBadBase64, f.off-1)
		}
		f.sawData = true
		p[n] = c
		n++
	}
	return n, nil
}

// checkFirstLine reads until the first newline or b64FirstLineMax bytes
// into pending, and refuses input whose first newline is missing or late.
func (f *b64Filter) checkFirstLine() error {
	f.started = true
	buf := make([]byte, 4096)
	for !f.sawNL && f.off < b64FirstLineMax {
		m, err := f.r.Read(buf)
		n, ferr := f.filter(buf, m)
		f.pending = append(f.pending, buf[:n]...)
		if ferr != nil {
			return ferr
		}
		if err != nil {
			if err == io.EOF && !f.sawNL && f.sawData {
				return errOneLineNoNewline
			}
			f.eof = err
			break
		}
	}
	if f.sawData && ((f.sawNL && f.firstNL >= b64FirstLineMax) || (!f.sawNL && f.eof == nil)) {
		return errFirstLineTooLong
	}
	return nil
}

func (f *b64Filter) Read(p []byte) (int, error) {
	if !f.started && !f.oneLine {
		if err := f.checkFirstLine(); err != nil {
			return 0, err
		}
	}
	if len(f.pending) > 0 {
		n := copy(p, f.pending)
		f.pending = f.pending[n:]
		return n, nil
	}
	if f.eof != nil {
		return 0, f.eof
	}
	for {
		m, err := f.r.Read(p)
		n, ferr := f.filter(p, m)
		if ferr != nil {
			return n, ferr
		}
		if n > 0 || err != nil {
			return n, err
		}
	}
}

// b64Reader turns the decoder's errors into ErrBadBase64 errors.
type b64Reader struct{ dec io.Reader }

func (b b64Reader) Read(p []byte) (int, error) {
	n, err := b.dec.Read(p)
	if err == nil || err == io.EOF || errors.Is(err, ErrBadBase64) {
		return n, err
	}
	var ce base64.CorruptInputError
	if errors.As(err, &ce) {
		return n, fmt.Errorf("%w: invalid character or padding at base64 position %d", ErrBadBase64, int64(ce))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return n, fmt.Errorf("%w: input ends in the middle of a base64 group (truncated or missing '=' padding)", ErrBadBase64)
	}
	return n, err
}

// NewBase64Reader returns a reader that decodes base64 as `openssl enc -d
// -a` reads it: lines of any length, CR LF or LF, surrounding spaces
// ignored (oneLine: as with -A, one line without breaks). Bad input gives
// an error wrapping ErrBadBase64.
func NewBase64Reader(r io.Reader, oneLine bool) io.Reader {
	f := &b64Filter{r: r, oneLine: oneLine}
	return b64Reader{dec: base64.NewDecoder(base64.StdEncoding, f)}
}
