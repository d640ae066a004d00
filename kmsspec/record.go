package kmsspec

import (
	"context"
	"errors"
	"sync"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	"github.com/kmsconform/kmsconform/failclass"
)

// Call is one KMS API call a spec made, for the report.
type Call struct {
	Op       string
	Code     string // the error code, "" on success
	Error    string
	Duration time.Duration
}

type recorder struct {
	mu sync.Mutex
	cs []Call
}

func (r *recorder) add(c Call) {
	r.mu.Lock()
	r.cs = append(r.cs, c)
	r.mu.Unlock()
}

func (r *recorder) calls() []Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Call(nil), r.cs...)
}

type recorderKey struct{}

func withRecorder(ctx context.Context, r *recorder) context.Context {
	return context.WithValue(ctx, recorderKey{}, r)
}

// recordCalls adds a middleware that records each call into the recorder
// of the calling spec's context.
func recordCalls(o *kms.Options) {
	o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
		return st.Initialize.Add(middleware.InitializeMiddlewareFunc("kmsconformRecord",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				start := time.Now()
				out, md, err := next.HandleInitialize(ctx, in)
				if rec, ok := ctx.Value(recorderKey{}).(*recorder); ok {
					c := Call{Op: awsmiddleware.GetOperationName(ctx), Duration: time.Since(start)}
					if err != nil {
						c.Error = err.Error()
						var ae smithy.APIError
						if errors.As(err, &ae) {
							c.Code = ae.ErrorCode()
						}
					}
					rec.add(c)
				}
				return out, md, err
			}), middleware.Before)
	})
}

// errClassCode is the failure class of a KMS error code.
func errClassCode(code string) failclass.Class { return failclass.KMS(code) }
