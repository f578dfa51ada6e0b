// Package gleaner is a thin client for Gleaner, the news-analysis gRPC service.
//
// Every span in a response is counted in UTF-8 bytes, so it slices the caller's Go string directly:
//
//	res, err := client.AnalyzeText(ctx, text)
//	s := res.Summary[0]
//	text[s.Span.Begin:s.Span.End] == s.Text
//
// The message and stub types are the generated ones in package gleanerv1.
package gleaner

import (
	"context"
	"time"

	"github.com/gleaner/gleaner/clients/go/gleanerv1"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// ServiceConfig is the gRPC service config of the channels opened by Dial: calls failing with
// UNAVAILABLE are retried up to 4 attempts in all, with exponential backoff. Every Gleaner call is
// stateless, so retrying is always safe.
const ServiceConfig = `{
  "methodConfig": [{
    "name": [{"service": "gleaner.v1.ArticleAnalyzer"}],
    "retryPolicy": {
      "maxAttempts": 4,
      "initialBackoff": "0.1s",
      "maxBackoff": "2s",
      "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE"]
    }
  }]
}`

// DefaultTimeout is the deadline given to calls whose context has none.
const DefaultTimeout = 10 * time.Second

// Client calls one Gleaner server. It is safe for concurrent use.
type Client struct {
	conn *grpc.ClientConn
	stub gleanerv1.ArticleAnalyzerClient
	// Timeout is the deadline of calls whose context carries none (0: DefaultTimeout).
	Timeout time.Duration
}

// Dial opens a client to target ("host:port"). Without options the connection is plaintext (use
// grpc.WithTransportCredentials to change that) and uses ServiceConfig for retries.
func Dial(target string, opts ...grpc.DialOption) (*Client, error) {
	all := append([]grpc.DialOption{
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultServiceConfig(ServiceConfig),
	}, opts...)
	conn, err := grpc.NewClient(target, all...)
	if err != nil {
		return nil, err
	}
	return &Client{conn: conn, stub: gleanerv1.NewArticleAnalyzerClient(conn)}, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }

// AnalyzeText analyses one article with the default features.
func (c *Client) AnalyzeText(ctx context.Context, text string) (*gleanerv1.AnalyzeResponse, error) {
	return c.Analyze(ctx, &gleanerv1.AnalyzeRequest{Document: &gleanerv1.Document{Text: text}})
}

// Analyze analyses one article. Offsets in the response are UTF-8 bytes, whatever req asks for.
func (c *Client) Analyze(ctx context.Context, req *gleanerv1.AnalyzeRequest) (*gleanerv1.AnalyzeResponse, error) {
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	return c.stub.Analyze(ctx, withUTF8(req))
}

// AnalyzeBatch analyses many articles in one call. A bad item does not fail the call: its response has
// Error set (see ItemError).
func (c *Client) AnalyzeBatch(ctx context.Context, reqs []*gleanerv1.AnalyzeRequest) ([]*gleanerv1.AnalyzeResponse, error) {
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	batch := &gleanerv1.AnalyzeBatchRequest{Requests: make([]*gleanerv1.AnalyzeRequest, len(reqs))}
	for i, r := range reqs {
		batch.Requests[i] = withUTF8(r)
	}
	res, err := c.stub.AnalyzeBatch(ctx, batch)
	if err != nil {
		return nil, err
	}
	return res.GetResponses(), nil
}

// AnalyzeStream sends reqs on one AnalyzeStream call and hands each response, in request order, to
// handle. It stops at the first error from the call or from handle.
func (c *Client) AnalyzeStream(ctx context.Context, reqs []*gleanerv1.AnalyzeRequest, handle func(*gleanerv1.AnalyzeResponse) error) error {
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	stream, err := c.stub.AnalyzeStream(ctx)
	if err != nil {
		return err
	}
	sent := make(chan error, 1)
	go func() {
		for _, r := range reqs {
			if err := stream.Send(withUTF8(r)); err != nil {
				sent <- err
				return
			}
		}
		sent <- stream.CloseSend()
	}()
	for received := 0; received < len(reqs); received++ {
		res, err := stream.Recv()
		if err != nil {
			return err
		}
		if err := handle(res); err != nil {
			return err
		}
	}
	return <-sent
}

// FieldViolations returns the google.rpc.BadRequest field violations carried by err, a gRPC error of
// code InvalidArgument; nil when there are none.
func FieldViolations(err error) []*errdetails.BadRequest_FieldViolation {
	st, ok := status.FromError(err)
	if !ok {
		return nil
	}
	var out []*errdetails.BadRequest_FieldViolation
	for _, d := range st.Details() {
		if bad, ok := d.(*errdetails.BadRequest); ok {
			out = append(out, bad.GetFieldViolations()...)
		}
	}
	return out
}

// ItemError turns the Error of a batch or stream response into a gRPC error (nil when it succeeded), so
// that status.Code and FieldViolations read it like the error of a unary call.
func ItemError(res *gleanerv1.AnalyzeResponse) error {
	if res.GetError() == nil {
		return nil
	}
	return status.ErrorProto(res.GetError())
}

func (c *Client) deadline(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return context.WithTimeout(ctx, timeout)
}

func withUTF8(req *gleanerv1.AnalyzeRequest) *gleanerv1.AnalyzeRequest {
	out := proto.Clone(req).(*gleanerv1.AnalyzeRequest)
	if out.Options == nil {
		out.Options = &gleanerv1.AnalyzeOptions{}
	}
	out.Options.OffsetEncoding = gleanerv1.OffsetEncoding_OFFSET_ENCODING_UTF8
	return out
}
