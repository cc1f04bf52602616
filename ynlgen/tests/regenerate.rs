//! The committed declarations under `codec/src/families/` are exactly what
//! the generator makes from the YNL specs: regenerate into a temporary
//! directory and compare file by file (and no generated file is missing or
//! left over). Needs the specs (`$NLWIRE_YNL_SPECS`, default
//! `../shared/ynl-specs` beside the workspace): a missing directory fails
//! under `CI=true` and skips with a printed reason elsewhere.

use std::path::{Path, PathBuf};
use std::process::Command;

fn spec_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("NLWIRE_YNL_SPECS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/ynl-specs"));
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "CI=true but the YNL specs are missing at {} (set NLWIRE_YNL_SPECS)",
            dir.display()
        );
    }
    eprintln!(
        "skipping: YNL specs not found at {} (set NLWIRE_YNL_SPECS)",
        dir.display()
    );
    None
}

/// Every `.rs` file under `dir`, relative.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// Run the generator on `specs` into a fresh temporary directory named
/// after `tag`; asserts it succeeded. Returns the directory and stderr.
fn generate(specs: &Path, tag: &str) -> (PathBuf, String) {
    let tmp = std::env::temp_dir().join(format!("nlwire-ynlgen{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_nlwire-ynlgen"))
        .arg(specs)
        .arg(&tmp)
        .output()
        .expect("run nlwire-ynlgen");
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(o.status.success(), "{err}");
    (tmp, err)
}

#[test]
fn committed_declarations_match_the_specs() {
    let Some(specs) = spec_dir() else { return };
    let (tmp, _) = generate(&specs, "");
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../codec/src/families");
    let made = files(&tmp);
    assert!(made.len() > 20, "only {} files generated", made.len());
    let mut differ = Vec::new();
    for rel in &made {
        let want = std::fs::read_to_string(tmp.join(rel)).unwrap();
        let have = std::fs::read_to_string(committed.join(rel)).unwrap_or_default();
        if want != have {
            differ.push(rel.display().to_string());
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(
        differ.is_empty(),
        "generated files differ from the committed ones (run `cargo run -p nlwire-ynlgen -- <specs> codec/src/families`): {differ:?}"
    );
}

#[test]
fn a_spec_gap_is_reported_not_silent() {
    // A spec whose attribute nests an undefined set: the generator says so.
    let tmp = std::env::temp_dir().join(format!("nlwire-ynlgen-gap-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(tmp.join("specs")).unwrap();
    std::fs::write(
        tmp.join("specs/toy.yaml"),
        "name: toy\nprotocol: genetlink\nattribute-sets:\n  - name: toy\n    attributes:\n      - name: inner\n        type: nest\n        nested-attributes: missing-attrs\noperations:\n  list:\n    - name: get\n      attribute-set: toy\n      do:\n        request:\n          attributes: [inner]\n",
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_nlwire-ynlgen"))
        .arg(tmp.join("specs"))
        .arg(tmp.join("out"))
        .output()
        .expect("run nlwire-ynlgen");
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("toy.yaml") && err.contains("missing-attrs"),
        "{err}"
    );
    let text = std::fs::read_to_string(tmp.join("out/toy/mod.rs")).unwrap();
    assert!(text.contains("TOY_A_INNER"), "{text}");
    assert!(text.contains("genl = \"toy\""), "{text}");
    let _ = std::fs::remove_dir_all(&tmp);
}

/// `nlctrl.yaml` (the generic netlink controller) is generated, not
/// skipped: its declarations go into the hand-declared `genl/` folder as
/// `genl/nlctrl.rs` (no `nlctrl/` family and no registry entry of their
/// own: `genl/mod.rs` has the controller's row), the committed file is
/// exactly that, and it keeps the kernel facts the spec lacks.
#[test]
fn nlctrl_is_generated_into_genl() {
    let Some(specs) = spec_dir() else { return };
    let (tmp, err) = generate(&specs, "-nlctrl");
    assert!(
        !err.contains("nlctrl.yaml"),
        "problems in nlctrl.yaml: {err}"
    );
    let made = std::fs::read_to_string(tmp.join("genl/nlctrl.rs"))
        .expect("nlctrl.yaml generated into genl/nlctrl.rs");
    assert!(
        !tmp.join("nlctrl").exists(),
        "nlctrl is not a family of its own"
    );
    let ynl = std::fs::read_to_string(tmp.join("ynl.rs")).unwrap();
    assert!(!ynl.contains("nlctrl"), "{ynl}");
    let _ = std::fs::remove_dir_all(&tmp);
    let committed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../codec/src/families/genl/nlctrl.rs");
    let have = std::fs::read_to_string(&committed).unwrap_or_default();
    assert!(
        made == have,
        "{} differs from what nlctrl.yaml gives",
        committed.display()
    );
    for want in [
        // The kernel's command names, not the spec's `*_REPLY`.
        "#[nl(name = \"CTRL_CMD_NEWFAMILY\")]\n    Newfamily = 1,",
        "#[nl(name = \"CTRL_CMD_GETFAMILY\")]\n    Getfamily = 3,",
        "#[nl(name = \"CTRL_CMD_GETPOLICY\")]\n    Getpolicy = 10,",
        // The flags' kernel names (macros: constants of CTRL_ATTR_OP_FLAGS' type).
        "#[nl_flags(u32)]",
        "GENL_ADMIN_PERM = 0x1,",
        "GENL_CMD_CAP_DO = 0x2,",
        "GENL_CMD_CAP_DUMP = 0x4,",
        "GENL_CMD_CAP_HASPOL = 0x8,",
        "GENL_UNS_ADMIN_PERM = 0x10,",
        "Flags(crate::flags::FlagBits<u32, OpFlags>),",
        // `nla_nest_start_noflag()`: no NLA_F_NESTED.
        "#[nl(kind = 6, name = \"CTRL_ATTR_OPS\")]",
        "#[nl(kind = 7, name = \"CTRL_ATTR_MCAST_GROUPS\")]",
        // `nla_nest_start()`: NLA_F_NESTED.
        "#[nl(kind = 8, name = \"CTRL_ATTR_POLICY\", flags = crate::netlink::NLA_F_NESTED)]",
        "#[nl(kind = 9, name = \"CTRL_ATTR_OP_POLICY\", flags = crate::netlink::NLA_F_NESTED)]",
        // `policy-attrs` is the framing's set, nested twice (policy, kind).
        "crate::netlink::Nested<'a, crate::netlink::PolicyAttr<'a>>,",
    ] {
        assert!(made.contains(want), "genl/nlctrl.rs lacks {want:?}");
    }
    assert!(
        !made.contains("NL_POLICY_TYPE_ATTR_"),
        "policy-attrs declared again instead of crate::netlink::PolicyAttr"
    );
}

/// An enum that two specs of one protocol both define, row for row
/// (`rtm-type` in rt-neigh.yaml and rt-route.yaml), is declared once in the
/// protocol's folder and imported by the other file.
#[test]
fn an_enum_shared_by_two_specs_of_a_protocol_is_declared_once() {
    let Some(specs) = spec_dir() else { return };
    let (tmp, _) = generate(&specs, "-shared");
    let neigh = std::fs::read_to_string(tmp.join("route/neigh.rs")).unwrap();
    let route = std::fs::read_to_string(tmp.join("route/route.rs")).unwrap();
    let _ = std::fs::remove_dir_all(&tmp);
    assert_eq!(neigh.matches("pub enum RtmType").count(), 1, "{neigh}");
    assert!(!route.contains("pub enum RtmType"), "declared twice");
    assert!(route.contains("pub use super::neigh::RtmType;"), "{route}");
    // Still used by the route file's own declarations.
    assert!(route.contains("enum = RtmType"), "{route}");
}
