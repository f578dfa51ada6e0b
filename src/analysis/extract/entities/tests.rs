//! Tests of the entity recognizer: one per hard case, the seed article, the model files.

use std::path::Path;
use std::sync::LazyLock;

use super::super::super::analyzer::Prepared;
use super::super::super::lang::Language;
use super::super::super::output::{Party, PartyKind};
use super::train::{evaluate, read_docs};
use super::EntityRecognizer;

static REC: LazyLock<EntityRecognizer> = LazyLock::new(EntityRecognizer::load);

fn parties(lang: &str, text: &str) -> Vec<Party> {
    let doc = Prepared::new(text, None, Language::from_tag(lang).ok());
    let out = REC.parties(&doc, &[]);
    check_invariants(text, &out);
    out
}

fn check_invariants(text: &str, parties: &[Party]) {
    for p in parties {
        assert!((0.0..=1.0).contains(&p.salience), "{p:?}");
        assert!(!p.mentions.is_empty());
        for w in p.mentions.windows(2) {
            assert!(w[0].start < w[1].start, "mentions sorted: {p:?}");
        }
        for m in &p.mentions {
            assert!(m.end <= text.len() && m.start < m.end);
            assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
        }
    }
    for w in parties.windows(2) {
        assert!(w[0].salience >= w[1].salience, "sorted by salience");
    }
}

/// The party whose name is `name`, failing with the list when absent.
fn party<'a>(ps: &'a [Party], name: &str) -> &'a Party {
    ps.iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no party {name:?} in {:?}", names(ps)))
}

fn names(ps: &[Party]) -> Vec<(&str, PartyKind)> {
    ps.iter().map(|p| (p.name.as_str(), p.kind)).collect()
}

fn mention_texts<'a>(text: &'a str, p: &Party) -> Vec<&'a str> {
    p.mentions.iter().map(|m| m.slice(text)).collect()
}

#[test]
fn embedded_models_load_for_english_french_and_german() {
    let mut langs = REC.languages();
    langs.sort_unstable();
    assert_eq!(langs, ["de", "en", "fr"]);
}

#[test]
fn model_scores_above_a_floor_on_the_hand_annotated_sample() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/entities_sample.jsonl");
    let docs = read_docs(&path).expect("fixture is readable");
    assert!(docs.len() >= 10);
    let scores = evaluate(&REC, &docs);
    assert!(
        scores.exact.f1() >= 75.0,
        "F1 on the fixture fell to {:.1}: {scores}",
        scores.exact.f1()
    );
}

#[test]
fn elided_articles_stay_outside_the_span() {
    let text =
        "Barack Obama a parlé lundi. Le discours d'Obama a été salué par l'ONU et par l'Allemagne.";
    let ps = parties("fr", text);
    assert_eq!(
        mention_texts(text, party(&ps, "Barack Obama")),
        ["Barack Obama", "Obama"]
    );
    assert_eq!(party(&ps, "Barack Obama").kind, PartyKind::Person);
    assert_eq!(party(&ps, "ONU").kind, PartyKind::Organization);
    assert_eq!(party(&ps, "Allemagne").kind, PartyKind::Location);
}

#[test]
fn possessives_stay_outside_the_span() {
    let text = "Joe Biden met reporters on Monday. Biden's plan was welcomed in Germany.";
    let ps = parties("en", text);
    let b = party(&ps, "Joe Biden");
    assert_eq!(mention_texts(text, b), ["Joe Biden", "Biden"]);
}

#[test]
fn titles_stay_outside_the_span_and_functions_become_roles() {
    let text = "M. Poutine a reçu mardi le président Emmanuel Macron au Kremlin. \
                Selon M. Poutine, la rencontre fut utile.";
    let ps = parties("fr", text);
    let p = party(&ps, "Poutine");
    assert_eq!(mention_texts(text, p), ["Poutine", "Poutine"]);
    let m = party(&ps, "Emmanuel Macron");
    assert_eq!(m.role.as_deref(), Some("président"));
    assert_eq!(p.role, None, "a courtesy title is not a role");

    let text = "President Joe Biden spoke to Mr. Putin by phone. Biden said the talks were frank.";
    let ps = parties("en", text);
    let b = party(&ps, "Joe Biden");
    assert_eq!(b.role.as_deref(), Some("President"));
    assert_eq!(mention_texts(text, b), ["Joe Biden", "Biden"]);
    assert_eq!(mention_texts(text, party(&ps, "Putin")), ["Putin"]);
}

#[test]
fn sentence_initial_function_words_are_not_parties() {
    let text = "Les diplomates se sont réunis à Genève. Mais Moscou refuse toujours. \
                Ainsi, Washington attend. A Genève, rien n'a bougé.";
    let ps = parties("fr", text);
    for bad in ["Mais", "Ainsi", "A", "Les"] {
        assert!(
            ps.iter().all(|p| p.name != bad),
            "{bad} is no party: {:?}",
            names(&ps)
        );
    }
    assert_eq!(party(&ps, "Moscou").kind, PartyKind::Location);
    assert_eq!(party(&ps, "Washington").kind, PartyKind::Location);
    assert_eq!(party(&ps, "Genève").mentions.len(), 2);
}

#[test]
fn title_case_headline_words_are_not_parties() {
    let text = "Dégel : Poutine propose à Biden d'annuler les restrictions\n\
                Vladimir Poutine a proposé mardi à Joe Biden de revenir sur le dégel des relations. \
                Le président russe a parlé depuis Moscou.";
    let ps = parties("fr", text);
    assert!(ps.iter().all(|p| p.name != "Dégel"), "{:?}", names(&ps));
    assert_eq!(party(&ps, "Vladimir Poutine").mentions.len(), 2);
    assert_eq!(party(&ps, "Joe Biden").mentions.len(), 2);
}

#[test]
fn mentions_of_one_person_merge_into_the_fullest_name() {
    let text = "Vladimir Poutine a reçu les ambassadeurs. Poutine a ensuite parlé à la presse. \
                Selon M. Poutine, rien n'est décidé.";
    let ps = parties("fr", text);
    let p = party(&ps, "Vladimir Poutine");
    assert_eq!(p.kind, PartyKind::Person);
    assert_eq!(
        mention_texts(text, p),
        ["Vladimir Poutine", "Poutine", "Poutine"]
    );
    assert_eq!(ps.iter().filter(|p| p.kind == PartyKind::Person).count(), 1);
}

#[test]
fn acronyms_merge_with_their_full_names() {
    let text =
        "L'Organisation des Nations unies a publié un rapport. Selon l'ONU, la situation empire.";
    let ps = parties("fr", text);
    let p = party(&ps, "Organisation des Nations unies");
    assert_eq!(
        mention_texts(text, p),
        ["Organisation des Nations unies", "ONU"]
    );

    let text = "The United Nations issued a report on Monday. The UN said the situation was dire.";
    let ps = parties("en", text);
    assert_eq!(
        mention_texts(text, party(&ps, "United Nations")),
        ["United Nations", "UN"]
    );
}

#[test]
fn different_people_sharing_a_surname_stay_apart() {
    let text = "On Monday, Hillary Clinton spoke in Ohio. Bill Clinton stayed in New York. \
                Later, Bill Clinton said the campaign was going well, and Clinton smiled.";
    let ps = parties("en", text);
    let h = party(&ps, "Hillary Clinton");
    let b = party(&ps, "Bill Clinton");
    assert_eq!(h.mentions.len(), 1);
    // The lone "Clinton" goes to the one named in full most recently.
    assert_eq!(
        mention_texts(text, b),
        ["Bill Clinton", "Bill Clinton", "Clinton"]
    );
}

#[test]
fn seed_article_finds_its_people_and_places() {
    let text = include_str!("../../../../seeds/article-fr-diplomatie.txt");
    let ps = parties("fr", text);
    for (name, min_mentions) in [
        ("Vladimir Poutine", 4),
        ("Joe Biden", 3),
        ("Barack Obama", 1),
    ] {
        let p = party(&ps, name);
        assert_eq!(p.kind, PartyKind::Person, "{name}");
        assert!(
            p.mentions.len() >= min_mentions,
            "{name}: {:?}",
            mention_texts(text, p)
        );
    }
    for name in ["Poutine", "Biden", "Obama"] {
        let n = ps.iter().filter(|p| p.name.ends_with(name)).count();
        assert_eq!(n, 1, "{name} is one party: {:?}", names(&ps));
    }
    for place in ["Kremlin", "Moscou", "Washington", "Kiev", "Etats-Unis"] {
        assert!(
            ps.iter()
                .any(|p| p.name == place && p.kind != PartyKind::Person),
            "{place} missing: {:?}",
            names(&ps)
        );
    }
    assert_eq!(ps[0].name, "Vladimir Poutine", "the most salient party");
}

#[test]
fn languages_without_a_model_still_get_capitalised_names() {
    let text =
        "Переговоры завершились без соглашения.\nМинистр иностранных дел Сергей Лавров провёл в \
                четверг переговоры с коллегами в Женеве. Позже Лавров улетел в Москву.";
    let ps = parties("ru", text);
    assert!(
        ps.iter().any(|p| p.name.contains("Лавров")),
        "{:?}",
        names(&ps)
    );
}

#[test]
fn odd_inputs_do_not_panic() {
    for text in [
        "",
        "   ",
        "A",
        "É",
        "M.",
        "l'",
        "'s",
        "U.S.",
        "«Poutine»",
        "ONU ONU ONU",
        "Jean-Pierre\u{0301} d'Arc's",
    ] {
        let _ = parties("fr", text);
        let _ = parties("en", text);
        let _ = parties("xx", text);
    }
}

#[test]
fn a_long_article_is_merged_in_linear_time() {
    let para = "Vladimir Poutine a parlé à Joe Biden. Poutine et Biden se reverront à Genève, \
                selon l'ONU et l'Organisation des Nations unies.\n";
    let text = para.repeat(2_000);
    let t0 = std::time::Instant::now();
    let ps = parties("fr", &text);
    assert!(t0.elapsed().as_secs() < 20, "took {:?}", t0.elapsed());
    assert_eq!(party(&ps, "Vladimir Poutine").mentions.len(), 4_000);
}
