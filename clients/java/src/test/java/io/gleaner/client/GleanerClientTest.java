package io.gleaner.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gleaner.v1.AnalyzeOptions;
import io.gleaner.v1.AnalyzeRequest;
import io.gleaner.v1.AnalyzeResponse;
import io.gleaner.v1.Document;
import io.gleaner.v1.Feature;
import io.gleaner.v1.Mention;
import io.gleaner.v1.OffsetEncoding;
import io.gleaner.v1.Party;
import io.gleaner.v1.Quote;
import io.gleaner.v1.TextSpan;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GleanerClientTest {
  // Accents, «guillemets», emoji outside the BMP and CJK: UTF-16 units, code points and UTF-8 bytes
  // all differ here, so a span in the wrong encoding cannot slice the right text.
  static final String INTL =
      "Accord historique à Genève 🎉\n"
          + "Le ministre Jean Dupont a déclaré lundi : « Nous irons à Tōkyō 🚀 avant l’été, c’est promis. » "
          + "La délégation française a visité une école de 日本語 à Kyoto le 3 mars 2024. "
          + "Élodie Martin, porte-parole du Quai d’Orsay, a ajouté : « Les négociations 🤝 ont été très "
          + "fructueuses et nous espérons signer bientôt. » Les deux pays se retrouveront à Paris en décembre.\n";

  static GleanerServer server;
  static GleanerClient client;

  @BeforeAll
  static void start() throws Exception {
    server = new GleanerServer();
    client = GleanerClient.connect(server.target);
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) client.close();
    if (server != null) server.close();
  }

  static void assertSlices(String text, String expected, TextSpan span) {
    assertEquals(expected, GleanerClient.slice(text, span), () -> "span " + span);
  }

  static void assertSpansSlice(String text, AnalyzeResponse r) {
    r.getSentencesList().forEach(s -> assertSlices(text, s.getText(), s.getSpan()));
    r.getSummaryList().forEach(s -> assertSlices(text, s.getText(), s.getSpan()));
    r.getQuotesList().forEach(q -> assertSlices(text, q.getText(), q.getSpan()));
    r.getDatesList().forEach(d -> assertSlices(text, d.getText(), d.getSpan()));
    for (Party p : r.getPartiesList()) {
      for (Mention m : p.getMentionsList()) {
        assertSlices(text, m.getText(), m.getSpan());
      }
    }
  }

  static AnalyzeRequest request(String id, String text) {
    return AnalyzeRequest.newBuilder().setRequestId(id).setDocument(Document.newBuilder().setText(text)).build();
  }

  @Test
  void spansSliceJavaStrings() {
    AnalyzeRequest req =
        AnalyzeRequest.newBuilder()
            .setDocument(Document.newBuilder().setText(INTL))
            .setOptions(
                AnalyzeOptions.newBuilder()
                    .addAllFeatures(
                        List.of(
                            Feature.FEATURE_SUMMARY,
                            Feature.FEATURE_QUOTES,
                            Feature.FEATURE_PARTIES,
                            Feature.FEATURE_DATES,
                            Feature.FEATURE_SENTENCES))
                    // Overridden: the Java client always asks for UTF-16.
                    .setOffsetEncoding(OffsetEncoding.OFFSET_ENCODING_CODE_POINT))
            .build();
    AnalyzeResponse r = client.analyze(req);
    assertEquals("fr", r.getLanguageCode());
    assertFalse(r.getSentencesList().isEmpty());
    assertFalse(r.getSummaryList().isEmpty());
    assertSpansSlice(INTL, r);
    assertTrue(
        r.getQuotesList().stream().map(Quote::getText).anyMatch("Nous irons à Tōkyō 🚀 avant l’été, c’est promis."::equals),
        () -> "quotes: " + r.getQuotesList());
    assertTrue(r.getSentencesList().stream().anyMatch(s -> s.getText().contains("日本語")));
  }

  @Test
  void analysesTheSeedArticle() throws Exception {
    String text = GleanerServer.seed();
    AnalyzeResponse r = client.analyze(text);
    assertEquals("fr", r.getLanguageCode());
    assertEquals(3, r.getSummaryCount());
    assertSpansSlice(text, r);
  }

  @Test
  void blankTextCarriesFieldViolations() {
    GleanerException e = assertThrows(GleanerException.class, () -> client.analyze("  \n "));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
    assertEquals(List.of("document.text"), e.violations().stream().map(GleanerException.FieldViolation::field).toList());
    assertFalse(e.violations().get(0).description().isEmpty());
  }

  @Test
  void deadlinesExpire() {
    GleanerClient hurried = client.withTimeout(Duration.ofNanos(1));
    GleanerException e = assertThrows(GleanerException.class, () -> hurried.analyze(INTL));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code());
  }

  @Test
  void batchKeepsOrderAndItemErrors() {
    List<AnalyzeResponse> rs =
        client.analyzeBatch(
            List.of(request("a", INTL), request("b", ""), request("c", "The minister said on Monday that talks would resume.")));
    assertEquals(3, rs.size());
    assertFalse(rs.get(0).hasError());
    assertSpansSlice(INTL, rs.get(0));
    assertTrue(rs.get(1).hasError());
    GleanerException item = GleanerException.fromStatus(rs.get(1).getError());
    assertEquals(Status.Code.INVALID_ARGUMENT, item.code());
    assertEquals("document.text", item.violations().get(0).field());
    assertEquals("en", rs.get(2).getLanguageCode());
  }

  @Test
  void streamKeepsRequestOrder() {
    List<AnalyzeRequest> reqs = IntStream.range(0, 5).mapToObj(i -> request("r" + i, INTL)).toList();
    List<AnalyzeResponse> rs = client.analyzeStream(reqs);
    assertEquals(List.of("r0", "r1", "r2", "r3", "r4"), rs.stream().map(AnalyzeResponse::getRequestId).toList());
    rs.forEach(r -> assertSpansSlice(INTL, r));
  }

  @Test
  void unreachableServerIsUnavailable() throws Exception {
    try (GleanerClient dead = GleanerClient.connect("127.0.0.1:" + GleanerServer.freePort(), Duration.ofSeconds(5))) {
      GleanerException e = assertThrows(GleanerException.class, () -> dead.analyze("Bonjour."));
      assertEquals(Status.Code.UNAVAILABLE, e.code());
    }
  }
}
