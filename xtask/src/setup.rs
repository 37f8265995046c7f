//! Installing what the build and the tests need, when it is missing.

use std::process::Command;

fn output(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn ensure_wasm_target() -> Result<(), String> {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    println!("xtask: adding the wasm32-unknown-unknown target (once)");
    let status = Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]).status();
    match status {
        Ok(s) if s.success() => Ok(()),
        _ => Err("could not add the wasm32-unknown-unknown target; run `rustup target add wasm32-unknown-unknown`".into()),
    }
}

fn is_root() -> bool {
    output("id", &["-u"]).is_some_and(|s| s.trim() == "0")
}

/// Headless Chromium and its driver come from Debian's packages, never from a download.
pub fn ensure_chromium() -> Result<(), String> {
    let have = |bin: &str| output("sh", &["-c", &format!("command -v {bin}")]).is_some();
    if have("chromium") && have("chromedriver") {
        return Ok(());
    }
    if !is_root() {
        return Err("the browser tests need Chromium and ChromeDriver: install the Debian packages \
                    `chromium` and `chromium-driver` (sudo apt-get install chromium chromium-driver)"
            .into());
    }
    println!("xtask: installing chromium and chromium-driver (Debian packages, once)");
    let ok = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .is_ok_and(|s| s.success())
    };
    if ok(&["update"]) && ok(&["install", "-y", "--no-install-recommends", "chromium", "chromium-driver"]) {
        Ok(())
    } else {
        Err("apt-get could not install chromium and chromium-driver".into())
    }
}
