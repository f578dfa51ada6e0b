//! Golden tests: every article in `seeds/` is analysed with every feature; invariants are checked, then
//! the response (proto JSON shape) is compared with its reviewed snapshot in `tests/snapshots/`.
//! Review changes with `cargo insta review`.

mod common;

use chrono::NaiveDate;
use gleaner::analysis::{Analyzer, Document, Options};
use gleaner::grpc::convert::response_from_analysis;

#[test]
fn seeds() {
    let analyzer = Analyzer::builder().build();
    let options = Options::all();
    // A fixed publication time so that relative dates resolve the same way every day.
    let published = NaiveDate::from_ymd_opt(2021, 12, 8)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("valid date");
    insta::glob!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/seeds"),
        "*.txt",
        |path| {
            let text = std::fs::read_to_string(path).expect("seed readable");
            let doc = Document::new(text.clone()).with_published(published);
            let analysis = analyzer.analyze(&doc, &options).expect("seed analyses");
            common::check_invariants(&text, &analysis);
            let again = analyzer.analyze(&doc, &options).expect("seed analyses");
            assert_eq!(analysis, again, "analysis is not deterministic");
            let response =
                response_from_analysis(String::new(), &text, analysis, Default::default());
            insta::assert_yaml_snapshot!(response);
        }
    );
}
