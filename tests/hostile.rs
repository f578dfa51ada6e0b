//! Hostile and odd input: every case gets an answer that satisfies the invariants, with no panic.
//! Sizes are large enough to expose a quadratic step (which would not finish), not timed.

mod common;

use chrono::NaiveDate;
use gleaner::analysis::{Analysis, Analyzer, Document, Options};

fn all_features() -> Options {
    Options::all()
}

fn analyze(text: &str) -> Analysis {
    analyze_doc(Document::new(text))
}

fn analyze_doc(doc: Document) -> Analysis {
    let analyzer = Analyzer::builder().max_text_bytes(8 * 1024 * 1024).build();
    let a = analyzer
        .analyze(&doc, &all_features())
        .expect("analysis succeeds");
    common::check_invariants(&doc.text, &a);
    a
}

#[test]
fn one_mebibyte_without_punctuation() {
    let text = "mot ".repeat(256 * 1024);
    let a = analyze(&text);
    assert_eq!(a.sentences.len(), 1);
}

#[test]
fn one_sentence_of_100_000_words() {
    let words = [
        "Paris", "le", "ministre", "dit", "que", "Biden", "et", "la", "France", "en", "2021",
    ];
    let text: String = (0..100_000)
        .map(|i| words[i % words.len()])
        .collect::<Vec<_>>()
        .join(" ")
        + ".";
    analyze(&text);
}

#[test]
fn hundred_thousand_unbalanced_quote_marks() {
    for mark in ["«", "\"", "“", "„", "'", "‘", "「"] {
        let text = format!("Il a dit {} fin.", format!("{mark}mot ").repeat(100_000));
        analyze(&text);
    }
}

#[test]
fn deeply_nested_quotes() {
    let depth = 2_000;
    let text = format!(
        "Elle a dit : {}rien{} et c'est tout.",
        "« il a dit “ ".repeat(depth),
        " ” »".repeat(depth)
    );
    analyze(&text);
}

#[test]
fn only_digits_only_emoji_and_zwj() {
    analyze(&"0123456789".repeat(10_000));
    analyze(&"👩‍👩‍👧‍👦🏳️‍🌈😀 ".repeat(10_000));
    analyze("\u{200D}\u{200D}\u{FEFF}x");
}

#[test]
fn right_to_left_and_mixed_scripts() {
    analyze("قال الرئيس إن المحادثات ستستمر يوم الاثنين. وأضاف أن الوفد سيعود إلى القاهرة.");
    analyze("אמר השר כי השיחות יימשכו ביום שני. הוא הוסיף כי המשלחת תחזור לירושלים.");
    analyze(
        "Le président 習近平 a rencontré Владимир Путин à Paris le 3 mai 2021 et said «hello» 😀.",
    );
}

#[test]
fn control_characters_nul_and_windows_line_endings() {
    analyze("Titre\r\nLe ministre a parlé.\r\n\r\nIl est parti.\0\u{1}\u{7}\u{1b}[31m fin.\r\n");
    analyze("\0\0\0 a \0 b");
}

#[test]
fn languages_without_lexicon() {
    let a =
        analyze("北京市政府周一宣布，新的交通规划将于明年实施。市长表示：“这是一个重要的决定。”");
    assert!(!a.sentences.is_empty());
    let a = analyze(include_str!("../seeds/article-ru-no-lexicon.txt"));
    assert_eq!(a.language.primary, "ru");
    assert!(!a.summary.is_empty());
    analyze("Ο πρωθυπουργός δήλωσε τη Δευτέρα ότι οι συνομιλίες θα συνεχιστούν στην Αθήνα.");
}

#[test]
fn all_caps_text() {
    analyze("THE PRESIDENT SAID ON MONDAY THAT TALKS WITH FRANCE WOULD RESUME. \"WE ARE READY,\" HE SAID.");
}

#[test]
fn impossible_dates_and_extreme_anchors() {
    let text = "En l'an 99999, le 31 février et le 0 mars 2021, rien ne s'est passé. Year 99999 and 45/13/2021.";
    analyze(text);
    for (y, m, d) in [(1, 1, 1), (1066, 10, 14), (9999, 12, 31), (262_000, 1, 1)] {
        let Some(date) = NaiveDate::from_ymd_opt(y, m, d) else {
            continue;
        };
        let published = date.and_hms_opt(0, 0, 0).expect("midnight exists");
        let doc = Document::new(
            "Hier, il y a cinq ans, demain et l'année prochaine. Yesterday and next year.",
        )
        .with_published(published);
        analyze_doc(doc);
    }
}

#[test]
fn single_characters_and_punctuation_only() {
    for t in [
        "a", ".", "«", "»", "\"", "...", "?!", "-", "'", "M.", "U.S.", "«»", "“”",
    ] {
        analyze(t);
    }
}
