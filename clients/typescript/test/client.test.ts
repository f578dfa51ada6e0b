import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import * as grpc from "@grpc/grpc-js";

import { AnalyzeResponse, Feature, GleanerClient, GleanerError, sliceSpan } from "../src";
import { REPO, RunningServer, freePort, startServer } from "./server";

// Accents, «guillemets», emoji outside the BMP and CJK: UTF-16 units, code points and UTF-8 bytes all
// differ here, so a span in the wrong encoding cannot slice the right text.
const INTL =
  "Accord historique à Genève 🎉\n" +
  "Le ministre Jean Dupont a déclaré lundi : « Nous irons à Tōkyō 🚀 avant l’été, c’est promis. » " +
  "La délégation française a visité une école de 日本語 à Kyoto le 3 mars 2024. " +
  "Élodie Martin, porte-parole du Quai d’Orsay, a ajouté : « Les négociations 🤝 ont été très " +
  "fructueuses et nous espérons signer bientôt. » Les deux pays se retrouveront à Paris en décembre.\n";

const ALL = [
  Feature.FEATURE_SUMMARY,
  Feature.FEATURE_QUOTES,
  Feature.FEATURE_PARTIES,
  Feature.FEATURE_DATES,
  Feature.FEATURE_SENTENCES,
];

function assertSpansSlice(text: string, r: AnalyzeResponse): void {
  const items = [...r.sentences, ...r.summary, ...r.quotes, ...r.dates, ...r.parties.flatMap((p) => p.mentions)];
  for (const item of items) {
    assert.equal(sliceSpan(text, item.span), item.text, `span ${JSON.stringify(item.span)}`);
  }
}

describe("GleanerClient", () => {
  let server: RunningServer;
  let client: GleanerClient;

  before(async () => {
    server = await startServer();
    client = new GleanerClient(server.target);
  });

  after(async () => {
    client?.close();
    await server?.stop();
  });

  it("returns spans that slice JavaScript strings", async () => {
    const r = await client.analyze(INTL, { options: { features: ALL } });
    assert.equal(r.languageCode, "fr");
    assert.ok(r.sentences.length > 0 && r.summary.length > 0 && r.quotes.length > 0);
    assertSpansSlice(INTL, r);
    assert.ok(r.quotes.some((q) => q.text === "Nous irons à Tōkyō 🚀 avant l’été, c’est promis."));
    assert.ok(r.sentences.some((s) => s.text.includes("日本語")));
  });

  it("analyses the seed article", async () => {
    const text = readFileSync(join(REPO, "seeds", "article-fr-diplomatie.txt"), "utf8");
    const r = await client.analyze(
      { request: { requestId: "seed", document: { text, publishedAt: new Date("2021-12-08T00:00:00Z") } } },
      { timeoutMs: 5000 },
    );
    assert.equal(r.requestId, "seed");
    assert.equal(r.languageCode, "fr");
    assert.equal(r.summary.length, 3);
    assertSpansSlice(text, r);
  });

  it("reads BadRequest field violations on blank text", async () => {
    await assert.rejects(client.analyze("  \n "), (e: unknown) => {
      assert.ok(e instanceof GleanerError);
      assert.equal(e.code, grpc.status.INVALID_ARGUMENT);
      assert.deepEqual(
        e.violations.map((v) => v.field),
        ["document.text"],
      );
      assert.ok(e.violations[0].description.length > 0);
      return true;
    });
  });

  it("enforces deadlines", async () => {
    await assert.rejects(client.analyze(INTL.repeat(50), { timeoutMs: 0 }), (e: unknown) => {
      assert.ok(e instanceof GleanerError);
      assert.equal(e.code, grpc.status.DEADLINE_EXCEEDED);
      return true;
    });
  });

  it("keeps batch order and per-item errors", async () => {
    const rs = await client.analyzeBatch([INTL, "", "The minister said on Monday that talks would resume."]);
    assert.equal(rs.length, 3);
    assert.equal(rs[0].error, undefined);
    assertSpansSlice(INTL, rs[0]);
    assert.ok(rs[1].error);
    const itemError = GleanerError.fromStatus(rs[1].error);
    assert.equal(itemError.code, grpc.status.INVALID_ARGUMENT);
    assert.deepEqual(
      itemError.violations.map((v) => v.field),
      ["document.text"],
    );
    assert.equal(rs[2].languageCode, "en");
  });

  it("streams responses in request order", async () => {
    const inputs = [0, 1, 2, 3, 4].map((i) => ({ request: { requestId: `r${i}`, document: { text: INTL } } }));
    const ids: string[] = [];
    for await (const r of client.analyzeStream(inputs)) {
      ids.push(r.requestId);
      assertSpansSlice(INTL, r);
    }
    assert.deepEqual(ids, ["r0", "r1", "r2", "r3", "r4"]);
  });

  it("reports UNAVAILABLE when no server listens", async () => {
    const dead = new GleanerClient(`127.0.0.1:${await freePort()}`, { timeoutMs: 5000 });
    try {
      await assert.rejects(dead.analyze("Bonjour."), (e: unknown) => {
        assert.ok(e instanceof GleanerError);
        assert.equal(e.code, grpc.status.UNAVAILABLE);
        return true;
      });
    } finally {
      dead.close();
    }
  });
});
