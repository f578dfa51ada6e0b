package gleaner_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	gleaner "github.com/gleaner/gleaner/clients/go"
	"github.com/gleaner/gleaner/clients/go/gleanerv1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

// Accents, «guillemets», emoji outside the BMP and CJK: UTF-8 bytes, UTF-16 units and code points all
// differ here, so a span in the wrong encoding cannot slice the right text.
const intl = "Accord historique à Genève 🎉\n" +
	"Le ministre Jean Dupont a déclaré lundi : « Nous irons à Tōkyō 🚀 avant l’été, c’est promis. » " +
	"La délégation française a visité une école de 日本語 à Kyoto le 3 mars 2024. " +
	"Élodie Martin, porte-parole du Quai d’Orsay, a ajouté : « Les négociations 🤝 ont été très " +
	"fructueuses et nous espérons signer bientôt. » Les deux pays se retrouveront à Paris en décembre.\n"

var target string

// TestMain builds the release server (or takes $GLEANER_BIN), serves it on a free loopback port and waits
// for health SERVING.
func TestMain(m *testing.M) {
	code, err := withServer(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gleaner server:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func withServer(m *testing.M) (int, error) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		return 0, err
	}
	bin := os.Getenv("GLEANER_BIN")
	if bin == "" {
		build := exec.Command("cargo", "build", "--release", "--quiet")
		build.Dir, build.Stdout, build.Stderr = repo, os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return 0, fmt.Errorf("cargo build: %w", err)
		}
		bin = filepath.Join(repo, "target", "release", "gleaner")
	}
	target, err = freeAddr()
	if err != nil {
		return 0, err
	}
	server := exec.Command(bin, "serve", "--addr", target)
	if err := server.Start(); err != nil {
		return 0, err
	}
	defer func() {
		_ = server.Process.Signal(os.Interrupt)
		_ = server.Wait()
	}()
	if err := waitServing(target, 30*time.Second); err != nil {
		return 0, err
	}
	return m.Run(), nil
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func waitServing(addr string, limit time.Duration) error {
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	health := healthpb.NewHealthClient(conn)
	end := time.Now().Add(limit)
	for time.Now().Before(end) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		res, err := health.Check(ctx, &healthpb.HealthCheckRequest{})
		cancel()
		if err == nil && res.GetStatus() == healthpb.HealthCheckResponse_SERVING {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("%s not SERVING after %s", addr, limit)
}

func dial(t *testing.T) *gleaner.Client {
	t.Helper()
	c, err := gleaner.Dial(target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func allFeatures() *gleanerv1.AnalyzeOptions {
	return &gleanerv1.AnalyzeOptions{Features: []gleanerv1.Feature{
		gleanerv1.Feature_FEATURE_SUMMARY, gleanerv1.Feature_FEATURE_QUOTES, gleanerv1.Feature_FEATURE_PARTIES,
		gleanerv1.Feature_FEATURE_DATES, gleanerv1.Feature_FEATURE_SENTENCES,
	}}
}

func slice(t *testing.T, text string, span *gleanerv1.TextSpan) string {
	t.Helper()
	if span.GetBegin() > span.GetEnd() || int(span.GetEnd()) > len(text) {
		t.Fatalf("span %v outside the text (%d bytes)", span, len(text))
	}
	return text[span.GetBegin():span.GetEnd()]
}

func TestSpansSliceGoStrings(t *testing.T) {
	res, err := dial(t).Analyze(context.Background(), &gleanerv1.AnalyzeRequest{
		Document: &gleanerv1.Document{Text: intl},
		// Asking for UTF-16 is overridden: the Go client always gets byte offsets.
		Options: &gleanerv1.AnalyzeOptions{Features: allFeatures().Features, OffsetEncoding: gleanerv1.OffsetEncoding_OFFSET_ENCODING_UTF16},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.GetLanguageCode() != "fr" || len(res.Sentences) == 0 || len(res.Summary) == 0 || len(res.Quotes) == 0 {
		t.Fatalf("unexpected analysis: %v", res)
	}
	check := func(kind, want string, span *gleanerv1.TextSpan) {
		if got := slice(t, intl, span); got != want {
			t.Errorf("%s span %v slices %q, want %q", kind, span, got, want)
		}
	}
	for _, s := range res.Sentences {
		check("sentence", s.Text, s.Span)
	}
	for _, s := range res.Summary {
		check("summary", s.Text, s.Span)
	}
	for _, q := range res.Quotes {
		check("quote", q.Text, q.Span)
	}
	for _, d := range res.Dates {
		check("date", d.Text, d.Span)
	}
	for _, p := range res.Parties {
		for _, m := range p.Mentions {
			check("mention", m.Text, m.Span)
		}
	}
	quotes := make([]string, len(res.Quotes))
	for i, q := range res.Quotes {
		quotes[i] = q.Text
	}
	if !slices.Contains(quotes, "Nous irons à Tōkyō 🚀 avant l’été, c’est promis.") {
		t.Errorf("quote with emoji missing: %q", quotes)
	}
}

func TestSeedArticle(t *testing.T) {
	text, err := os.ReadFile("../../seeds/article-fr-diplomatie.txt")
	if err != nil {
		t.Fatal(err)
	}
	res, err := dial(t).AnalyzeText(context.Background(), string(text))
	if err != nil {
		t.Fatal(err)
	}
	if res.LanguageCode != "fr" || len(res.Summary) != 3 {
		t.Fatalf("language %q, %d summary sentences", res.LanguageCode, len(res.Summary))
	}
	for _, s := range res.Summary {
		if got := slice(t, string(text), s.Span); got != s.Text {
			t.Errorf("summary span slices %q, want %q", got, s.Text)
		}
	}
}

func TestBlankTextHasFieldViolation(t *testing.T) {
	_, err := dial(t).AnalyzeText(context.Background(), " \n\t ")
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("got %v, want InvalidArgument", err)
	}
	v := gleaner.FieldViolations(err)
	if len(v) != 1 || v[0].GetField() != "document.text" || v[0].GetDescription() == "" {
		t.Fatalf("field violations %v", v)
	}
}

func TestDeadline(t *testing.T) {
	c := dial(t)
	c.Timeout = time.Microsecond
	_, err := c.AnalyzeText(context.Background(), intl)
	if status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("got %v, want DeadlineExceeded", err)
	}
}

func TestBatchItemErrors(t *testing.T) {
	res, err := dial(t).AnalyzeBatch(context.Background(), []*gleanerv1.AnalyzeRequest{
		{Document: &gleanerv1.Document{Text: intl}},
		{Document: &gleanerv1.Document{Text: ""}},
		{Document: &gleanerv1.Document{Text: "The minister said on Monday that talks would resume."}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 || gleaner.ItemError(res[0]) != nil || res[2].LanguageCode != "en" {
		t.Fatalf("unexpected batch: %v", res)
	}
	itemErr := gleaner.ItemError(res[1])
	if status.Code(itemErr) != codes.InvalidArgument {
		t.Fatalf("item error %v", itemErr)
	}
	if v := gleaner.FieldViolations(itemErr); len(v) != 1 || v[0].GetField() != "document.text" {
		t.Fatalf("item violations %v", v)
	}
}

func TestStreamOrder(t *testing.T) {
	var reqs []*gleanerv1.AnalyzeRequest
	for i := range 5 {
		reqs = append(reqs, &gleanerv1.AnalyzeRequest{RequestId: fmt.Sprint("r", i), Document: &gleanerv1.Document{Text: intl}})
	}
	var ids []string
	err := dial(t).AnalyzeStream(context.Background(), reqs, func(r *gleanerv1.AnalyzeResponse) error {
		ids = append(ids, r.RequestId)
		for _, s := range r.Summary {
			if intl[s.Span.Begin:s.Span.End] != s.Text {
				return fmt.Errorf("summary span %v does not slice %q", s.Span, s.Text)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids, []string{"r0", "r1", "r2", "r3", "r4"}) {
		t.Fatalf("ids %v", ids)
	}
}

func TestUnreachableServerIsUnavailable(t *testing.T) {
	addr, err := freeAddr()
	if err != nil {
		t.Fatal(err)
	}
	c, err := gleaner.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.AnalyzeText(ctx, "Bonjour."); status.Code(err) != codes.Unavailable {
		t.Fatalf("got %v, want Unavailable", err)
	}
}
