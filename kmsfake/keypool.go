package kmsfake

import (
	"crypto/rand"
	"crypto/rsa"
	"sync"
	"sync/atomic"
	"time"
)

// poolSizes are the RSA modulus sizes the pool keeps ready, in the order
// a round of filling visits them: the slowest to make first, as a client
// that starts soon after the server waits longest for those.
var poolSizes = []int{4096, 3072, 2048}

// MaxKeyPool is the largest Options.KeyPool accepted.
const MaxKeyPool = 16

// The background goroutine starts a key only when the server is idle: no
// request in flight and none for quietAfter; otherwise it looks again
// every quietPoll.
const (
	quietAfter = 250 * time.Millisecond
	quietPoll  = 50 * time.Millisecond
)

// keyPool keeps a few fresh RSA private keys of each size ready, made
// ahead of demand by one background goroutine, because RSA key generation
// (seconds for 4096 bits on a loaded machine) dominates CreateKey,
// GenerateDataKeyPair and GetParametersForImport. Every key is a fresh
// rsa.GenerateKey(rand.Reader, bits) key handed out exactly once: take
// removes it from the pool. A take that finds the pool empty claims the key
// the goroutine is making if it has that size, else generates the key
// itself. The goroutine starts a key only while the server is idle (no
// request for quietAfter, counted from the start too), so a client busy
// with a cold pool or with symmetric requests is not slowed by refills
// (only by a key already started, which is finished), and it uses at
// most one core.
type keyPool struct {
	target int   // keys per size
	sizes  []int // modulus sizes kept ready

	mu     sync.Mutex
	ready  map[int][]*rsa.PrivateKey
	asked  map[int]int    // takes per size: sizes asked for are filled first
	inline int            // takes generating their own key right now
	gen    int            // size the background goroutine is generating (0: none)
	claim  chan keyResult // a take waiting for the key being generated
	made   int            // keys the background goroutine made
	filled bool

	active  atomic.Int64 // requests in flight
	lastEnd atomic.Int64 // when the last request ended, Unix ns

	wake     chan struct{} // a take happened or an inline generation ended
	stop     chan struct{}
	done     chan struct{}
	full     chan struct{} // closed once every size first reaches target
	stopOnce sync.Once
}

type keyResult struct {
	key *rsa.PrivateKey
	err error
}

// newKeyPool starts a pool of n keys of each of sizes; n <= 0 returns nil
// (no pool: every take generates).
func newKeyPool(n int, sizes []int) *keyPool {
	if n <= 0 || len(sizes) == 0 {
		return nil
	}
	p := &keyPool{
		target: n, sizes: sizes, ready: map[int][]*rsa.PrivateKey{}, asked: map[int]int{},
		wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}), full: make(chan struct{}),
	}
	p.lastEnd.Store(time.Now().UnixNano()) // a client that starts at once comes first
	go p.fill()
	return p
}

// take returns a fresh RSA key of bits that nobody else gets: one from the
// pool, else the one the background goroutine is making now if it is of
// this size and nobody claimed it, else one generated now.
func (p *keyPool) take(bits int) (*rsa.PrivateKey, error) {
	if p == nil {
		return rsa.GenerateKey(rand.Reader, bits)
	}
	p.mu.Lock()
	p.asked[bits]++
	if q := p.ready[bits]; len(q) > 0 {
		k := q[0]
		q[0] = nil
		p.ready[bits] = q[1:]
		p.mu.Unlock()
		p.poke()
		return k, nil
	}
	if p.gen == bits && p.claim == nil {
		ch := make(chan keyResult, 1)
		p.claim = ch
		p.mu.Unlock()
		r := <-ch
		return r.key, r.err
	}
	p.inline++
	p.mu.Unlock()
	k, err := rsa.GenerateKey(rand.Reader, bits)
	p.mu.Lock()
	p.inline--
	p.mu.Unlock()
	p.poke()
	return k, err
}

func (p *keyPool) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// next picks the size to generate next, or 0 when the pool is full or a
// take is generating its own key. Sizes asked for come first, then the
// size with the fewest ready keys (in poolSizes order on a tie).
func (p *keyPool) next() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.inline > 0 {
		return 0
	}
	best := 0
	for _, bits := range p.sizes {
		n := len(p.ready[bits])
		if n >= p.target {
			continue
		}
		if best == 0 {
			best = bits
			continue
		}
		a, b := p.asked[bits] > 0, p.asked[best] > 0
		nb := len(p.ready[best])
		if (a && !b) || (a == b && n < nb) {
			best = bits
		}
	}
	if best == 0 {
		p.markFilled()
	}
	p.gen = best
	return best
}

// markFilled closes full the first time every size has target keys; p.mu
// is held.
func (p *keyPool) markFilled() {
	if p.filled {
		return
	}
	for _, bits := range p.sizes {
		if len(p.ready[bits]) < p.target {
			return
		}
	}
	p.filled = true
	close(p.full)
}

// deliver hands a key the background goroutine finished to the take that
// claimed it, else to the pool (dropped once the pool is closed).
func (p *keyPool) deliver(k *rsa.PrivateKey, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	bits := p.gen
	p.gen = 0
	if p.claim != nil {
		p.claim <- keyResult{k, err}
		p.claim = nil
		return
	}
	select {
	case <-p.stop:
		return
	default:
	}
	if err == nil {
		p.ready[bits] = append(p.ready[bits], k)
		p.made++
		p.markFilled()
	}
}

// fill is the background goroutine: it generates one key at a time until
// every size has target keys, then waits for a take.
func (p *keyPool) fill() {
	defer close(p.done)
	for {
		select {
		case <-p.stop:
			return
		default:
		}
		if !p.idle() {
			select {
			case <-p.stop:
				return
			case <-time.After(quietPoll):
			}
			continue
		}
		bits := p.next()
		if bits == 0 {
			select {
			case <-p.stop:
				return
			case <-p.wake:
			}
			continue
		}
		k, err := rsa.GenerateKey(rand.Reader, bits)
		p.deliver(k, err)
		if err != nil {
			// Cannot happen with crypto/rand; back off rather than spin.
			select {
			case <-p.stop:
				return
			case <-time.After(time.Second):
			}
		}
	}
}

// requestStarted and requestEnded bracket every request, so the pool
// knows when the server is idle.
func (p *keyPool) requestStarted() {
	if p != nil {
		p.active.Add(1)
	}
}

func (p *keyPool) requestEnded() {
	if p != nil {
		p.lastEnd.Store(time.Now().UnixNano())
		p.active.Add(-1)
	}
}

// idle reports whether no request is in flight and none ended within
// quietAfter.
func (p *keyPool) idle() bool {
	return p.active.Load() == 0 && time.Since(time.Unix(0, p.lastEnd.Load())) >= quietAfter
}

// close stops the background goroutine. A key being generated cannot be
// interrupted (rsa.GenerateKey takes no context): the goroutine finishes
// it in the background, drops it and exits; done is closed then.
func (p *keyPool) close() {
	if p == nil {
		return
	}
	p.stopOnce.Do(func() {
		close(p.stop)
		p.mu.Lock()
		p.ready = map[int][]*rsa.PrivateKey{}
		p.mu.Unlock()
	})
}

// counts returns the ready keys per size (for tests).
func (p *keyPool) counts() map[int]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	m := map[int]int{}
	for _, bits := range p.sizes {
		m[bits] = len(p.ready[bits])
	}
	return m
}

// KeyPoolFilled returns a channel closed once the RSA key pool first holds
// Options.KeyPool keys of every size; nil when there is no pool.
func (s *Server) KeyPoolFilled() <-chan struct{} {
	if s.pool == nil {
		return nil
	}
	return s.pool.full
}
