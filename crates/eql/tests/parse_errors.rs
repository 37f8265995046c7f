//! What a user sees for a broken query: the message, line:column and the caret excerpt.

fn rendered(query: &str) -> String {
    match eql::parse(query) {
        Ok(_) => panic!("expected an error for {query:?}"),
        Err(errors) => eql::syntax::error::render_all(&errors, query),
    }
}

#[test]
fn parse_error_snapshots() {
    let cases = [
        "process where process.name == 'cmd.exe'",
        "process where",
        "process where a ==",
        "sequence [process where true]",
        "sequence with maxspan=5 [a where true] [b where true]",
        "sequence with maxspan=5x [a where true] [b where true]",
        "sequence with maxspan=1m by host.id [a where true] [b where true]",
        "sequence by host.id [a where true] by user.name [b where true]",
        "sequence [a where x == ] [b where true] [c where y in ]",
        "process where a < b < c",
        "process where process.name == \"unterminated",
        "process where foo(1)",
        "process where length(\"a\", \"b\")",
        "process where process.args[0] == \"x\"",
        "process where true | sort a",
        "process where name = \"x\"",
        "sequence [a where true] ![b where true]",
        "process where x == 1\n  and y ==\n  and z == 2",
        "process where `unclosed",
        "process where name : \"a\" | head -1",
    ];
    let out: Vec<String> = cases.iter().map(|q| format!("query: {q}\n{}\n", rendered(q))).collect();
    insta::assert_snapshot!(out.join("\n"));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("process where {}true{}", "(".repeat(5000), ")".repeat(5000));
    let errors = eql::parse(&deep).expect_err("too deep");
    assert!(errors[0].message.contains("nests too deeply"));
    let nots = format!("process where {}true", "not ".repeat(5000));
    assert!(eql::parse(&nots).is_err());
    let negs = format!("process where x == {}1", "-".repeat(5000));
    assert!(eql::parse(&negs).is_err());
}
