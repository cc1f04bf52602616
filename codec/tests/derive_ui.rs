//! Bad declarations are compile errors with spans (never panics).

#[test]
fn bad_declarations_fail_to_compile() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
