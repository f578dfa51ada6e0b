//! Any bytes, read as UTF-8 text with options taken from the first bytes: the analysis must not panic,
//! and every span must lie on char boundaries inside the text in every offset encoding.

#![no_main]

use std::sync::LazyLock;

use gleaner::analysis::offsets::{convert_offsets, to_byte_offset, OffsetEncoding};
use gleaner::analysis::{Analyzer, Document, Feature, Options, Order};
use libfuzzer_sys::fuzz_target;

static ANALYZER: LazyLock<Analyzer> = LazyLock::new(|| Analyzer::builder().build());

fuzz_target!(|data: &[u8]| {
    let (head, body) = data.split_at(data.len().min(3));
    let flags = head.first().copied().unwrap_or(0);
    let count = head.get(1).copied().unwrap_or(3) as usize % 8;
    let lang = match head.get(2).copied().unwrap_or(0) % 4 {
        0 => None,
        1 => Some("fr"),
        2 => Some("en"),
        _ => Some("zh"),
    };
    let text = String::from_utf8_lossy(body).into_owned();
    let mut doc = Document::new(text.clone());
    if let Some(l) = lang {
        doc = doc.with_language_tag(l).expect("valid tag");
    }
    let all = [Feature::Summary, Feature::Quotes, Feature::Parties, Feature::Dates, Feature::Sentences];
    let features: Vec<Feature> = all.iter().enumerate().filter(|(i, _)| flags & (1 << i) != 0).map(|(_, f)| *f).collect();
    let options = Options {
        features: if features.is_empty() { all.to_vec() } else { features },
        max_summary_sentences: count.max(1),
        order: if flags & 0x40 != 0 { Order::Rank } else { Order::Document },
        ..Options::default()
    };
    let Ok(analysis) = ANALYZER.analyze(&doc, &options) else {
        return;
    };
    for span in analysis.spans() {
        assert!(span.start <= span.end && span.end <= text.len());
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
    }
    for enc in [OffsetEncoding::Utf16, OffsetEncoding::CodePoint] {
        let spans = analysis.spans();
        let mut offsets: Vec<usize> = spans.iter().flat_map(|s| [s.start, s.end]).collect();
        {
            let mut refs: Vec<&mut usize> = offsets.iter_mut().collect();
            convert_offsets(&text, enc, &mut refs);
        }
        for (s, o) in spans.iter().flat_map(|s| [s.start, s.end]).zip(offsets) {
            assert_eq!(to_byte_offset(&text, enc, o), Some(s));
        }
    }
});
