//! Replays every committed fuzz corpus file through its target on stable, so
//! `cargo test` (and CI) re-checks what the fuzzers found, without nightly or
//! libFuzzer.
//!
//! The target bodies are the very functions the libFuzzer targets call
//! (`fuzz/src/lib.rs`, included here as a module). Each target must have a
//! non-empty corpus folder `fuzz/corpus/<target>/` and every folder there
//! must belong to a target.
//!
//! To (re)write the seed files made from the project's own bytes:
//! `NLWIRE_WRITE_SEEDS=1 cargo test --test fuzz_corpus`.

#[path = "../fuzz/src/lib.rs"]
mod targets;

use std::fs;
use std::path::{Path, PathBuf};

fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join("corpus")
}

/// Files of a corpus folder, sorted (for a stable order in failures).
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

/// Run one input, naming it if the target panics.
fn replay(target: &str, f: fn(&[u8]), name: &str, data: &[u8]) {
    let r = std::panic::catch_unwind(|| f(data));
    if r.is_err() {
        panic!(
            "fuzz target `{target}` failed on {name} ({} bytes)",
            data.len()
        );
    }
}

#[test]
fn every_target_has_a_corpus_and_every_corpus_a_target() {
    let root = corpus_root();
    for (name, _) in targets::TARGETS {
        let dir = root.join(name);
        assert!(dir.is_dir(), "no corpus folder {}", dir.display());
        assert!(!files(&dir).is_empty(), "empty corpus {}", dir.display());
        let t = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/fuzz_targets")
            .join(format!("{name}.rs"));
        assert!(t.is_file(), "no libFuzzer target {}", t.display());
    }
    for entry in fs::read_dir(&root).expect("fuzz/corpus") {
        let entry = entry.expect("dir entry");
        let name = entry.file_name().into_string().expect("utf-8 name");
        assert!(
            targets::TARGETS.iter().any(|(t, _)| *t == name),
            "corpus folder {name} has no target"
        );
    }
}

#[test]
fn seeds_pass_and_are_committed() {
    let write = std::env::var_os("NLWIRE_WRITE_SEEDS").is_some();
    for (target, name, bytes) in targets::seeds() {
        let f = targets::TARGETS
            .iter()
            .find(|(t, _)| *t == target)
            .expect("seed for a known target")
            .1;
        replay(target, f, name, &bytes);
        let path = corpus_root().join(target).join(format!("seed-{name}"));
        if write {
            fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            fs::write(&path, &bytes).expect("write seed");
        } else {
            let on_disk = fs::read(&path).unwrap_or_else(|e| {
                panic!("{}: {e} (NLWIRE_WRITE_SEEDS=1 writes it)", path.display())
            });
            assert_eq!(
                on_disk,
                bytes,
                "{} differs from the seed the code makes",
                path.display()
            );
        }
    }
}

/// The project's own sample captures (`samples/*.pcap`, recorded by
/// nlwire-io): every frame, message, tcp_info and bytecode in them is an
/// input of the matching target. They are replayed from the samples here and
/// written as `sample-*` corpus files with `NLWIRE_WRITE_SEEDS=1`.
#[test]
fn sample_captures_pass() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let Ok(entries) = fs::read_dir(&dir) else {
        println!("no samples/ folder: skipped");
        return;
    };
    let write = std::env::var_os("NLWIRE_WRITE_SEEDS").is_some();
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "pcap"))
        .collect();
    paths.sort();
    let mut n = 0;
    for path in paths {
        let file = fs::read(&path).expect("read sample");
        let stem = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        for (i, (target, bytes)) in targets::seeds_from_capture(&file).into_iter().enumerate() {
            let f = targets::TARGETS
                .iter()
                .find(|(t, _)| *t == target)
                .expect("known target")
                .1;
            let name = format!("sample-{stem}-{i}");
            replay(target, f, &name, &bytes);
            if write {
                fs::write(corpus_root().join(target).join(&name), &bytes)
                    .expect("write sample seed");
            }
            n += 1;
        }
    }
    println!("replayed {n} inputs made from samples/*.pcap");
}

macro_rules! corpus_test {
    ($($t:ident),* $(,)?) => {
        /// The targets that have a replay test below.
        const REPLAYED: &[&str] = &[$(stringify!($t)),*];
        $(
        #[test]
        fn $t() {
            let name = stringify!($t);
            let f = targets::TARGETS.iter().find(|(t, _)| *t == name).expect("target").1;
            let dir = corpus_root().join(name);
            let files = files(&dir);
            for path in &files {
                let data = fs::read(path).expect("read corpus file");
                replay(name, f, &path.display().to_string(), &data);
            }
            println!("{name}: replayed {} corpus files", files.len());
        }
    )*
    };
}

corpus_test!(
    messages,
    messages_strict,
    attrs,
    nlmsgerr,
    roundtrip,
    inet_diag,
    unix_diag,
    tcp_info,
    bytecode,
    bytecode_text,
    decode,
    nlmon,
    capture,
    ss_filter,
    dump,
    bytecode_emit,
);

/// The `ss_filter` seeds are filters `ss` accepts: they parse, and their
/// inet part compiles to bytecode that passes the kernel's audit.
#[test]
fn ss_filter_seeds_are_valid_filters() {
    use nlwire_cli::ss::filter_lang::parse;
    for (name, text) in targets::ss_filter::SS_FILTER_SEEDS {
        let args: Vec<String> = text.split('\n').map(str::to_owned).collect();
        let p = parse(&args, false).unwrap_or_else(|e| panic!("seed {name}: {text:?}: {e}"));
        if let Some(e) = p.expr {
            let f = e.to_filter().unwrap_or_else(|e| panic!("seed {name}: {e}"));
            let bc = f.compile().unwrap_or_else(|e| panic!("seed {name}: {e:?}"));
            nlwire::families::sock_diag::bytecode::audit(&bc)
                .unwrap_or_else(|e| panic!("seed {name}: {e:?}"));
        }
    }
}

#[test]
fn every_target_is_replayed() {
    for (t, _) in targets::TARGETS {
        assert!(
            REPLAYED.contains(t),
            "target {t} is not replayed by a test in tests/fuzz_corpus.rs"
        );
    }
}
