package oracle

import (
	"crypto/aes"
	"crypto/cipher"
	"io"
	"runtime"
	"sync"
)

// The cipher runs as a bounded pipeline: a reader fills chunks, workers
// transform them in place (several at once where the mode allows it: CBC
// decryption and ECB), and the caller's goroutine writes them in order.
// Memory is at most encMaxChunks chunks whatever the input size.
const (
	encChunkSize = 1 << 20 // a multiple of the block size
	encMaxChunks = 6
)

type encJob struct {
	buf   []byte // len encChunkSize+aes.BlockSize (room for padding)
	n     int
	prev  [aes.BlockSize]byte // ciphertext block before this chunk (CBC decrypt)
	final bool
	err   error
	done  chan struct{}
}

var encJobPool = sync.Pool{New: func() any {
	return &encJob{buf: make([]byte, encChunkSize+aes.BlockSize), done: make(chan struct{}, 1)}
}}

// runCipher streams src through cipher c (key, iv) into dst.
func runCipher(dst io.Writer, src io.Reader, c EncCipher, key, iv []byte, decrypt, noPad bool) error {
	block, err := aes.NewCipher(key)
	if err != nil {
		return err
	}
	workers := 1
	var process func(*encJob)
	switch c.mode {
	case modeCBC:
		if decrypt {
			// Block i of CBC decrypts from ciphertext blocks i-1 and i only, so
			// each chunk runs on its own decrypter whose IV is the last
			// ciphertext block of the chunk before it (j.prev).
			workers = parallelWorkers()
			process = func(j *encJob) {
				n := j.n - j.n%aes.BlockSize
				cipher.NewCBCDecrypter(block, j.prev[:]).CryptBlocks(j.buf[:n], j.buf[:n])
			}
		} else {
			// Encryption chains every block to the one before: one encrypter,
			// chunk after chunk.
			mode := cipher.NewCBCEncrypter(block, iv)
			process = func(j *encJob) {
				padFinal(j, noPad)
				n := j.n - j.n%aes.BlockSize
				mode.CryptBlocks(j.buf[:n], j.buf[:n])
			}
		}
	case modeECB:
		workers = parallelWorkers()
		process = func(j *encJob) {
			if !decrypt {
				padFinal(j, noPad)
			}
			n := j.n - j.n%aes.BlockSize
			for i := 0; i < n; i += aes.BlockSize {
				if decrypt {
					block.Decrypt(j.buf[i:i+aes.BlockSize], j.buf[i:i+aes.BlockSize])
				} else {
					block.Encrypt(j.buf[i:i+aes.BlockSize], j.buf[i:i+aes.BlockSize])
				}
			}
		}
	default:
		s := c.stream(block, iv, decrypt)
		process = func(j *encJob) { s.XORKeyStream(j.buf[:j.n], j.buf[:j.n]) }
	}
	var first [aes.BlockSize]byte
	copy(first[:], iv)
	emit := emitPlain
	if c.Padded && decrypt {
		u := &unpadder{noPad: noPad}
		emit = u.emit
	}
	return pipeline(dst, src, first, workers, process, emit)
}

func parallelWorkers() int { return max(1, min(runtime.GOMAXPROCS(0), 8)) }

// padFinal adds PKCS#7 padding to the final chunk, or with noPad records
// ErrBadEncrypt for a trailing partial block (which is then dropped, as
// openssl drops it).
func padFinal(j *encJob, noPad bool) {
	if !j.final || j.err != nil {
		return
	}
	if noPad {
		if j.n%aes.BlockSize != 0 {
			j.n -= j.n % aes.BlockSize
			j.err = ErrBadEncrypt
		}
		return
	}
	pad := aes.BlockSize - j.n%aes.BlockSize
	for i := 0; i < pad; i++ {
		j.buf[j.n+i] = byte(pad)
	}
	j.n += pad
}

func emitPlain(w io.Writer, j *encJob) error {
	if j.n == 0 {
		return nil
	}
	_, err := w.Write(j.buf[:j.n])
	return err
}

// unpadder writes decrypted chunks of a padded mode, holding the last
// block back until the end to check and strip its padding.
type unpadder struct {
	noPad bool
	held  [aes.BlockSize]byte
	has   bool
}

func (u *unpadder) emit(w io.Writer, j *encJob) error {
	n := j.n
	whole := n - n%aes.BlockSize
	var out []byte
	if u.has {
		out = u.held[:]
	}
	if j.final && n%aes.BlockSize != 0 {
		// Not a whole number of blocks: openssl writes the whole blocks
		// and fails the final block.
		if err := writeAll(w, out, j.buf[:whole]); err != nil {
			return err
		}
		u.has = false
		if j.err != nil {
			return j.err
		}
		return ErrBadDecrypt
	}
	if whole > 0 {
		if err := writeAll(w, out, j.buf[:whole-aes.BlockSize]); err != nil {
			return err
		}
		copy(u.held[:], j.buf[whole-aes.BlockSize:whole])
		u.has = true
	}
	if !j.final || j.err != nil {
		return nil
	}
	if u.noPad {
		if u.has {
			_, err := w.Write(u.held[:])
			return err
		}
		return nil
	}
	if !u.has {
		return ErrBadDecrypt
	}
	last, err := unpad(u.held[:])
	if err != nil {
		return err
	}
	return writeAll(w, last, nil)
}

func writeAll(w io.Writer, a, b []byte) error {
	if len(a) > 0 {
		if _, err := w.Write(a); err != nil {
			return err
		}
	}
	if len(b) > 0 {
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// pipeline reads src in chunks, runs process on each (with workers
// goroutines) and hands them in order to emit. It returns the first read,
// process or write error.
func pipeline(dst io.Writer, src io.Reader, first [aes.BlockSize]byte, workers int,
	process func(*encJob), emit func(io.Writer, *encJob) error) error {
	free := make(chan *encJob, encMaxChunks)
	work := make(chan *encJob, encMaxChunks)
	order := make(chan *encJob, encMaxChunks)
	quit := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				process(j)
				j.done <- struct{}{}
			}
		}()
	}
	go func() {
		defer close(work)
		defer close(order)
		prev := first
		made := 0
		for {
			var j *encJob
			if made < encMaxChunks {
				select {
				case j = <-free:
				default:
					j = encJobPool.Get().(*encJob)
					made++
				}
			} else {
				select {
				case j = <-free:
				case <-quit:
					return
				}
			}
			select {
			case <-quit:
				free <- j
				return
			default:
			}
			n, err := io.ReadFull(src, j.buf[:encChunkSize])
			j.n, j.prev, j.final, j.err = n, prev, false, nil
			if n >= aes.BlockSize {
				copy(prev[:], j.buf[n-aes.BlockSize:n])
			}
			switch err {
			case nil:
			case io.EOF, io.ErrUnexpectedEOF:
				j.final = true
			default:
				j.final, j.err = true, err
			}
			work <- j
			order <- j
			if j.final {
				return
			}
		}
	}()
	var err error
	for j := range order {
		<-j.done
		if err == nil {
			err = emit(dst, j)
			if err == nil {
				err = j.err
			}
			if err != nil {
				close(quit)
			}
		}
		final := j.final
		free <- j
		if final {
			break
		}
	}
	if err == nil {
		close(quit)
	}
	wg.Wait()
	// Return the buffers; the reader has stopped or will stop at quit.
	for {
		select {
		case j := <-free:
			encJobPool.Put(j)
		default:
			return err
		}
	}
}
