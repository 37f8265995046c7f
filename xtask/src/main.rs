//! `cargo xtask <command>`: everything a newcomer needs, from a fresh machine.
//!
//! - `serve`: build the playground into `dist/`, serve it on http://127.0.0.1:8080, rebuild on changes.
//! - `test`:  every test — unit, integration, conformance, corpus, and the browser end to end.
//! - `dist`:  a size-optimised static build in `dist/`, with its gzipped size.

mod build;
mod setup;
mod tally;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("dist") => dist(),
        _ => {
            eprintln!("usage: cargo xtask <serve [--port N] [--no-watch] | test [cargo test args] | dist>");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

type Result<T = ()> = std::result::Result<T, String>;

fn serve(args: &[String]) -> Result {
    let port = args
        .iter()
        .position(|a| a == "--port")
        .and_then(|i| args.get(i + 1))
        .map(|p| p.parse::<u16>().map_err(|e| format!("--port: {e}")))
        .transpose()?
        .unwrap_or(8080);
    let watch = !args.iter().any(|a| a == "--no-watch");
    setup::ensure_wasm_target()?;
    let site = build::workspace_root().join("dist");
    build::build_site(build::Profile::Release, &site)?;
    let server = devserver::serve(site.clone(), port).map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    println!("EQL Playground: {}", server.url());
    if watch {
        println!("watching crates/, web/ and index.html; the page rebuilds when they change (Ctrl-C stops)");
        build::watch_and_rebuild(&site);
    }
    loop {
        std::thread::park();
    }
}

fn dist() -> Result {
    setup::ensure_wasm_target()?;
    let out = build::workspace_root().join("dist");
    build::build_site(build::Profile::Dist, &out)?;
    build::optimize_wasm(&out)?;
    build::report_size(&out)
}

fn test(extra: &[String]) -> Result {
    setup::ensure_wasm_target()?;
    setup::ensure_chromium()?;
    let shared = eqlplay_tests::reference::shared_location(&build::workspace_root());
    if !shared.is_dir() {
        match eqlplay_tests::reference::on_ci() {
            true => println!("xtask: CI=true and no reference data at {}: the tests that need it will fail", shared.display()),
            false => println!("xtask: no reference data at {}: the conformance and corpus tests are skipped (set EQLPLAY_SHARED)", shared.display()),
        }
    }
    let site = build::site_dir("site-test");
    build::build_site(build::Profile::Release, &site)?;
    // The browser tests compare the page with the command line's output for the same input.
    build::run(build::cargo().args(["build", "--package", "eqlplay"]))?;
    let mut cmd = build::cargo();
    cmd.args(["test", "--workspace", "--no-fail-fast"]).args(extra);
    cmd.env("EQLPLAY_SITE", &site);
    cmd.env("EQLPLAY_BIN", build::target_dir().join("debug").join("eqlplay"));
    tally::run_and_tally(&mut cmd)
}
