//! Sentence centrality: PageRank over the sentence similarity graph, in time linear in the text.
//!
//! The graph is the continuous LexRank/TextRank one: every pair of sentences is joined by the dot
//! product of their term vectors, each vector divided by the square root of its sentence's length in
//! content words (so that long sentences gain from their extra words, but sub-linearly). Raw term counts,
//! not TF-IDF: a sentence is central when it shares the article's *frequent* words with many others.
//!
//! The graph is never built. Its weights factor through the term-sentence bipartite graph,
//! `S = X Xᵀ` minus the diagonal, so one PageRank step `p' = (1-d)/n + d Mᵀ p` with
//! `M = D⁻¹ S` is computed as `X (Xᵀ (p / deg))` minus each sentence's self-loop: two passes over the
//! term entries. Every step and every degree is therefore linear in the number of tokens, whatever the
//! number of sentences, and the result is exactly that of the full graph.

use super::terms::TermVectors;

/// Damping factor of the random walk (the usual PageRank value).
const DAMPING: f32 = 0.85;
/// Power iterations stop when the L1 change falls under this, or after [`MAX_ITERATIONS`].
const TOLERANCE: f32 = 1e-5;
const MAX_ITERATIONS: usize = 60;

/// A sentence of the graph and what every power iteration reads of it.
struct Node {
    sentence: usize,
    /// Where its entries are among all the sentences' (see `TermVectors::range`).
    entries: std::ops::Range<usize>,
    /// `1 / sqrt(len)`.
    scale: f32,
    /// Its weighted degree, without its self-loop.
    degree: f32,
    self_loop: f32,
    /// Its probability.
    p: f32,
}

/// Stationary probability of each sentence, scaled so that the most central has 1; 0 for sentences
/// that are not `nodes` of the graph.
pub(super) fn centrality(tv: &TermVectors, nodes: &[bool]) -> Vec<f32> {
    let n_sent = tv.len();
    let n = nodes.iter().filter(|&&b| b).count();
    let mut p = vec![0.0f32; n_sent];
    if n == 0 {
        return p;
    }
    let entries = tv.entries();
    // Each term entry's term and its length-normalised weight x_iw = count / sqrt(len_i), flat in the
    // order of the entries; 0 for the sentences that are not nodes.
    let mut links: Vec<(u32, f32)> = Vec::with_capacity(entries.len());
    let mut column = vec![0.0f32; tv.n_terms];
    let mut graph: Vec<Node> = Vec::with_capacity(n);
    for (i, &node) in nodes.iter().enumerate().take(n_sent) {
        let m = tv.mass(i);
        let scale = if node && m > 0.0 { 1.0 / m.sqrt() } else { 0.0 };
        for &(w, c) in tv.of(i) {
            let x = c * scale;
            links.push((w, x));
            column[w as usize] += x;
        }
        if node {
            graph.push(Node {
                sentence: i,
                entries: tv.range(i),
                scale,
                degree: 0.0,
                self_loop: 0.0,
                p: 0.0,
            });
        }
    }
    let uniform = 1.0 / n as f32;
    for node in &mut graph {
        let (mut degree, mut self_loop) = (0.0f32, 0.0f32);
        for &(w, x) in &links[node.entries.clone()] {
            degree += x * column[w as usize];
            self_loop += x * x;
        }
        node.degree = (degree - self_loop).max(0.0);
        node.self_loop = self_loop;
        node.p = uniform;
    }
    let mut flow = vec![0.0f32; tv.n_terms];
    for _ in 0..MAX_ITERATIONS {
        flow.iter_mut().for_each(|f| *f = 0.0);
        // Mass of sentences without neighbours goes everywhere, as in PageRank.
        let mut dangling = 0.0f32;
        for node in &graph {
            if node.degree <= f32::EPSILON {
                dangling += node.p;
                continue;
            }
            let q = node.p / node.degree * node.scale;
            for &(w, c) in &entries[node.entries.clone()] {
                flow[w as usize] += q * c;
            }
        }
        let base = (1.0 - DAMPING) * uniform + DAMPING * dangling * uniform;
        let mut change = 0.0f32;
        for node in &mut graph {
            let mut incoming = 0.0f32;
            for &(w, x) in &links[node.entries.clone()] {
                incoming += x * flow[w as usize];
            }
            if node.degree > f32::EPSILON {
                incoming -= node.self_loop * node.p / node.degree;
            }
            let next = base + DAMPING * incoming.max(0.0);
            change += (next - node.p).abs();
            node.p = next;
        }
        if change < TOLERANCE {
            break;
        }
    }
    for node in &graph {
        p[node.sentence] = node.p;
    }
    let max = p.iter().copied().fold(0.0f32, f32::max);
    if max > 0.0 {
        p.iter_mut().for_each(|v| *v /= max);
    }
    p
}
