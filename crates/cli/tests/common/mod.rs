//! Running the real `eqlplay` binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    /// stdout parsed as one JSON value per line.
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect()
    }
}

/// Runs `eqlplay ARGS` from the workspace root, with `stdin` as its input.
pub fn run_with_stdin<S: AsRef<std::ffi::OsStr>>(args: &[S], stdin: &str) -> Out {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_eqlplay"));
    cmd.args(args).current_dir(workspace());
    let out = eqlplay_tests::run_with_input(cmd, stdin);
    Out {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    }
}

pub fn run<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Out {
    run_with_stdin(args, "")
}

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[allow(unused_imports)]
pub use eqlplay_tests::shared_dir;

/// Writes a scratch file under the target directory and returns its absolute path.
pub fn scratch(name: &str, contents: &[u8]) -> String {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("eqlplay-tests");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("scratch file");
    path.to_string_lossy().into_owned()
}

pub const SEED_RULE: &str = "web/rules/seed.toml";
pub const SAMPLE: &str = "web/samples/script-download.ndjson";
pub const BENIGN: &str = "web/samples/benign.ndjson";

pub fn sample_text() -> String {
    std::fs::read_to_string(workspace().join(SAMPLE)).expect("sample events")
}
