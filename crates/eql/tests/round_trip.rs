//! parse → print → parse gives the same tree, for handwritten queries and generated
//! expressions (the 1081 corpus rules go the same way in `tests/corpus`).

use proptest::prelude::*;

fn strip(q: &eql::syntax::ast::Query) -> String {
    // Spans differ between the two texts; the printed form is the canonical tree.
    q.to_string()
}

fn round_trips(text: &str) {
    let first = eql::parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
    let printed = strip(&first);
    let second = eql::parse(&printed).unwrap_or_else(|e| panic!("printed form does not parse:\n{printed}\n{e:?}"));
    assert_eq!(printed, strip(&second), "printing is not stable for {text}");
}

#[test]
fn handwritten_queries_round_trip() {
    for q in [
        r#"process where process.name : ("a*", "b?c") and not x in~ (1, "Z") or -y * 2 + 1 > 3"#,
        r#"sequence by host.id with maxspan=5m [network where true] by a [file where ?b != null] by c with runs=2 until [process where false] by d"#,
        r#"sample by x [any where `weird-name`.y == """raw\path"""] [any where startsWith~(z, "Q")]"#,
        r#"process where a regex~ ("x.*", "[ab]") | head 3 | tail 1"#,
        r#"sequence with maxspan=1s [a where true] ![b where true] [c where true]"#,
    ] {
        round_trips(q);
    }
}

fn leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        // Field names start with `x_` so that none is a keyword (`in`, `or`, `of`…).
        "x_[a-z]{1,6}(\\.[a-z]{1,6}){0,2}".prop_map(|f| format!("{f} == \"v\"")),
        "x_[a-z]{1,6}".prop_map(|f| format!("?{f} != null")),
        (0i64..1000).prop_map(|n| format!("x < {n}")),
        "[a-z*?]{0,6}".prop_map(|p| format!("name : \"{p}\"")),
        Just("length(s) > 2".to_string()),
        Just("y in (1, 2, \"three\")".to_string()),
        Just("true".to_string()),
    ]
}

fn expr() -> impl Strategy<Value = String> {
    leaf().prop_recursive(4, 32, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} and {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} or {b})")),
            inner.prop_map(|a| format!("not ({a})")),
        ]
    })
}

proptest! {
    #[test]
    fn generated_conditions_round_trip(cond in expr()) {
        round_trips(&format!("process where {cond}"));
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,80}") {
        let _ = eql::parse(&text);
    }
}
