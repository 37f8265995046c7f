//! Building the static site: the app to wasm, its JS glue, the page and its assets.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

#[derive(Clone, Copy)]
pub enum Profile {
    Release,
    /// Size-optimised: opt-level z, LTO, one codegen unit, panic=abort.
    Dist,
}

impl Profile {
    fn name(self) -> &'static str {
        match self {
            Profile::Release => "release",
            Profile::Dist => "dist",
        }
    }
}

pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Cargo's target folder (`CARGO_TARGET_DIR`, else `target/`).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("target"))
}

pub fn site_dir(name: &str) -> PathBuf {
    target_dir().join(name)
}

pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(workspace_root());
    cmd
}

pub fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed ({status})", cmd.get_program()))
    }
}

/// The site's WebAssembly modules: the page (which its worker runs too), and those fetched on
/// demand — the rule reader (a rule file opened), the pack runner (a rule pack opened), the
/// trainer (the Learn tab), the converter (a Windows event log).
pub const MODULES: [&str; 5] = ["app", "rule_reader", "pack_runner", "trainer", "converter"];

/// Compiles the modules to wasm, generates their JS glue into `out`, and copies the page and
/// `web/`.
pub fn build_site(profile: Profile, out: &Path) -> Result<(), String> {
    let root = workspace_root();
    run(cargo().args([
        "build",
        "--package",
        "app",
        "--package",
        "rule-reader",
        "--package",
        "pack-runner",
        "--package",
        "trainer",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        profile.name(),
    ]))?;
    // The converter on its own: its .evtx reader turns on serde_json's `preserve_order`, which
    // would otherwise reach the page's module too (features unify within one build).
    run(cargo().args(["build", "--package", "converter", "--lib", "--target", "wasm32-unknown-unknown", "--profile", profile.name()]))?;
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    for module in MODULES {
        let wasm = target_dir().join("wasm32-unknown-unknown").join(profile.name()).join(format!("{module}.wasm"));
        wasm_bindgen_cli_support::Bindgen::new()
            .input_path(&wasm)
            .web(true)
            .map_err(|e| e.to_string())?
            .typescript(false)
            .omit_default_module_path(false)
            .generate(out)
            .map_err(|e| format!("wasm-bindgen {module}: {e}"))?;
    }
    std::fs::copy(root.join("index.html"), out.join("index.html")).map_err(|e| format!("index.html: {e}"))?;
    copy_dir(&root.join("web"), &out.join("web"))?;
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(|e| format!("{}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// `wasm-opt -Oz --converge` from npm's `binaryen` (Debian's is too old for wasm-bindgen's output).
pub fn optimize_wasm(out: &Path) -> Result<(), String> {
    let tools = workspace_root().join("target/npm-tools");
    let wasm_opt = tools.join("node_modules/.bin/wasm-opt");
    if !wasm_opt.exists() {
        std::fs::create_dir_all(&tools).map_err(|e| e.to_string())?;
        println!("xtask: installing binaryen from npm (once) for wasm-opt");
        run(Command::new("npm").current_dir(&tools).args(["install", "--no-audit", "--no-fund", "binaryen@132"]))?;
    }
    for module in MODULES {
        let wasm = out.join(format!("{module}_bg.wasm"));
        // `--converge` repeats -Oz while it still shrinks the module (about 1 KiB more).
        run(Command::new(&wasm_opt).arg("-Oz").arg("--converge").arg("--enable-bulk-memory").arg("--enable-nontrapping-float-to-int")
            .arg("--enable-sign-ext").arg("--enable-mutable-globals").arg("--enable-reference-types").arg(&wasm).arg("-o").arg(&wasm))?;
    }
    Ok(())
}

fn gzip_len(path: &Path) -> Result<usize, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(&bytes).map_err(|e| e.to_string())?;
    Ok(enc.finish().map_err(|e| e.to_string())?.len())
}

/// What opening the page downloads (the page's module and glue), and what the rule reader adds
/// when a rule file is first opened.
/// Every file under `dir`, however deep.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if entry.path().is_dir() {
            files.extend(files_under(&entry.path()));
        } else {
            files.push(entry.path());
        }
    }
    files
}

/// The page's own scripts besides `app.js` and wasm-bindgen's snippets, all loaded when it opens.
const PAGE_SCRIPTS: [&str; 3] = ["web/boot.js", "web/share.js", "web/worker.js"];

pub fn report_size(out: &Path) -> Result<(), String> {
    let kib = |n: usize| n as f64 / 1024.0;
    let wasm = gzip_len(&out.join("app_bg.wasm"))?;
    // app.js and every script the page and its worker start with (each is fetched on its own).
    let mut js = gzip_len(&out.join("app.js"))?;
    for script in PAGE_SCRIPTS {
        js += gzip_len(&out.join(script))?;
    }
    for snippet in files_under(&out.join("snippets")) {
        js += gzip_len(&snippet)?;
    }
    let on_demand = |module: &str| -> Result<usize, String> {
        Ok(gzip_len(&out.join(format!("{module}_bg.wasm")))? + gzip_len(&out.join(format!("{module}.js")))?)
    };
    println!(
        "dist/: the page downloads {:.1} KiB gzipped (app_bg.wasm {:.1} KiB, scripts {:.1} KiB); \
         the rule reader, fetched when a rule file is first opened, {:.1} KiB more; \
         the pack runner, fetched when a rule pack is first opened, {:.1} KiB more; \
         the trainer, fetched when the Learn tab is first opened, {:.1} KiB more; \
         the converter, fetched when a Windows event log is first opened, {:.1} KiB more",
        kib(wasm + js),
        kib(wasm),
        kib(js),
        kib(on_demand("rule_reader")?),
        kib(on_demand("pack_runner")?),
        kib(on_demand("trainer")?),
        kib(on_demand("converter")?)
    );
    Ok(())
}

fn newest_change(paths: &[PathBuf]) -> SystemTime {
    fn walk(p: &Path, newest: &mut SystemTime) {
        if let Ok(meta) = std::fs::metadata(p) {
            if let Ok(m) = meta.modified() {
                *newest = (*newest).max(m);
            }
            if meta.is_dir() {
                for e in std::fs::read_dir(p).into_iter().flatten().flatten() {
                    walk(&e.path(), newest);
                }
            }
        }
    }
    let mut newest = SystemTime::UNIX_EPOCH;
    for p in paths {
        walk(p, &mut newest);
    }
    newest
}

/// Polls the sources once a second and rebuilds the site when one changed.
pub fn watch_and_rebuild(site: &Path) -> ! {
    let root = workspace_root();
    let watched = [root.join("crates"), root.join("web"), root.join("index.html")];
    let mut last = newest_change(&watched);
    loop {
        std::thread::sleep(Duration::from_secs(1));
        let now = newest_change(&watched);
        if now > last {
            last = now;
            println!("xtask: change seen, rebuilding…");
            match build_site(Profile::Release, site) {
                Ok(()) => println!("xtask: rebuilt; reload the page"),
                Err(e) => eprintln!("xtask: rebuild failed: {e}"),
            }
        }
    }
}
