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

/// Stationary probability of each sentence, scaled so that the most central has 1; 0 for sentences
/// that are not `nodes` of the graph.
pub(super) fn centrality(tv: &TermVectors, nodes: &[bool]) -> Vec<f32> {
    let n_sent = tv.len();
    let n = nodes.iter().filter(|&&b| b).count();
    let mut p = vec![0.0f32; n_sent];
    if n == 0 {
        return p;
    }
    // Length-normalised weights per sentence: x_iw = count / sqrt(len_i).
    let scale: Vec<f32> = (0..n_sent)
        .map(|i| {
            let m = tv.mass(i);
            if nodes[i] && m > 0.0 {
                1.0 / m.sqrt()
            } else {
                0.0
            }
        })
        .collect();
    // The weight of every term entry, flat in the order of the entries (see `TermVectors::range`).
    let mut weight = Vec::with_capacity(tv.range(n_sent - 1).end);
    let mut column = vec![0.0f32; tv.n_terms];
    for (i, &s) in scale.iter().enumerate() {
        for &(w, c) in tv.of(i) {
            let x = c * s;
            weight.push(x);
            column[w as usize] += x;
        }
    }
    let mut self_loop = vec![0.0f32; n_sent];
    let mut degree = vec![0.0f32; n_sent];
    for i in 0..n_sent {
        for (&(w, _), &x) in tv.of(i).iter().zip(&weight[tv.range(i)]) {
            degree[i] += x * column[w as usize];
            self_loop[i] += x * x;
        }
        degree[i] = (degree[i] - self_loop[i]).max(0.0);
    }
    let uniform = 1.0 / n as f32;
    for (i, v) in p.iter_mut().enumerate() {
        if nodes[i] {
            *v = uniform;
        }
    }
    let mut flow = vec![0.0f32; tv.n_terms];
    for _ in 0..MAX_ITERATIONS {
        flow.iter_mut().for_each(|f| *f = 0.0);
        // Mass of sentences without neighbours goes everywhere, as in PageRank.
        let mut dangling = 0.0f32;
        for i in 0..n_sent {
            if !nodes[i] {
                continue;
            }
            if degree[i] <= f32::EPSILON {
                dangling += p[i];
                continue;
            }
            let q = p[i] / degree[i] * scale[i];
            for &(w, c) in tv.of(i) {
                flow[w as usize] += q * c;
            }
        }
        let base = (1.0 - DAMPING) * uniform + DAMPING * dangling * uniform;
        let mut change = 0.0f32;
        for i in 0..n_sent {
            if !nodes[i] {
                continue;
            }
            let mut incoming = 0.0f32;
            for (&(w, _), &x) in tv.of(i).iter().zip(&weight[tv.range(i)]) {
                incoming += x * flow[w as usize];
            }
            if degree[i] > f32::EPSILON {
                incoming -= self_loop[i] * p[i] / degree[i];
            }
            let next = base + DAMPING * incoming.max(0.0);
            change += (next - p[i]).abs();
            p[i] = next;
        }
        if change < TOLERANCE {
            break;
        }
    }
    let max = p.iter().copied().fold(0.0f32, f32::max);
    if max > 0.0 {
        p.iter_mut().for_each(|v| *v /= max);
    }
    p
}
