package kmsfake

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// This file is the awsJson1_1 wire layer: it finds the operation, reads
// the body, authenticates, runs the handler and turns its result or error
// into the wire format. It is the one place errors become HTTP.

const (
	targetPrefix = "TrentService."
	jsonType     = "application/x-amz-json-1.1"
	maxBody      = 1 << 20
)

// errorSent, when set (by the package's tests), sees every error answer
// before it is written, to check it against Answers.
var errorSent atomic.Pointer[func(*apiError)]

// call is one request in flight.
type call struct {
	s     *Server
	sc    scope
	op    string
	keyID string // for the request log only
}

// decode unmarshals the JSON body; malformed JSON or wrong field types are
// SerializationException, as AWS answers.
func (c *call) decode(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return serializationError(err)
	}
	return nil
}

func serializationError(err error) *apiError {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return answerErr("Serialization.WrongType", te.Field, te.Type)
	}
	if strings.Contains(err.Error(), "base64") {
		return answerErr("Serialization.Base64")
	}
	return answerErr("Serialization.JSON", err)
}

// ServeHTTP answers one awsJson1_1 request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	s.pool.requestStarted()
	defer s.pool.requestEnded()
	c := &call{s: s, sc: scope{s.opts.Account, s.opts.Region}}
	resp, err := s.serve(c, r)
	status := s.write(w, c, resp, err)
	code := ""
	var ae *apiError
	if errors.As(err, &ae) {
		code = ae.Code
	} else if err != nil {
		code = codeInternal
	}
	if !s.log.Enabled(r.Context(), slog.LevelInfo) {
		return
	}
	s.log.Info("kms request", "op", c.op, "key", c.keyID, "region", c.sc.region, "account", c.sc.account,
		"status", status, "code", code, "latency", time.Since(start).Round(time.Microsecond))
}

func (s *Server) serve(c *call, r *http.Request) (resp any, err error) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("kms handler panic", "op", c.op, "panic", fmt.Sprint(p))
			resp, err = nil, answerErr("Internal")
		}
	}()
	if s.closed.Load() {
		return nil, answerErr("Internal.ShuttingDown")
	}
	target := r.Header.Get("X-Amz-Target")
	name, ok := strings.CutPrefix(target, targetPrefix)
	h := operations[name]
	c.op = name
	if !ok || h == nil || r.Method != http.MethodPost {
		c.op = target
		return nil, answerErr("UnknownOperation")
	}
	body, rerr := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if rerr != nil {
		return nil, answerErr("Serialization.Read", rerr)
	}
	if len(body) > maxBody {
		return nil, answerErr("Validation.BodyTooLarge", maxBody)
	}
	if aerr := s.authenticate(c, r, body); aerr != nil {
		return nil, aerr
	}
	return h(c, body)
}

// write sends the response or the error and returns the HTTP status.
func (s *Server) write(w http.ResponseWriter, c *call, resp any, err error) int {
	hdr := w.Header()
	hdr.Set("Content-Type", jsonType)
	hdr.Set("X-Amzn-Requestid", requestID())
	hdr.Set("Server", ServerHeader)
	status := http.StatusOK
	var body []byte
	if err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			s.log.Error("kms internal error", "op", c.op, "err", err.Error())
			ae = answerErr("Internal.Error", err.Error())
		}
		status = ae.Status
		if status == 0 {
			status = 400
		}
		hdr.Set("X-Amzn-Errortype", ae.Code)
		if h := errorSent.Load(); h != nil {
			(*h)(ae)
		}
		if ae.NoMessage {
			body, _ = json.Marshal(struct {
				Type string `json:"__type"`
			}{ae.Code})
		} else {
			body, _ = json.Marshal(struct {
				Type    string `json:"__type"`
				Message string `json:"message"`
			}{ae.Code, ae.Message})
		}
	} else {
		var merr error
		body, merr = json.Marshal(resp)
		if merr != nil {
			return s.write(w, c, nil, merr)
		}
	}
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
	return status
}

func requestID() string {
	var b [16]byte
	rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
