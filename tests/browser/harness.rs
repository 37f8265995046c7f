//! A real headless Chromium, driven through ChromeDriver, on the built site served from
//! loopback. `cargo xtask test` builds the site and names it in `EQLPLAY_SITE`.

use fantoccini::{Client, ClientBuilder, Locator};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Browser {
    pub client: Client,
    pub base: String,
    driver: Child,
    _profile: TempDir,
    /// One browser at a time: the machine has two cores, and some tests load 100 MB.
    _turn: std::sync::MutexGuard<'static, ()>,
}

static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Drop for Browser {
    /// Ends ChromeDriver politely (it then ends its Chromium), also when a test fails half-way.
    fn drop(&mut self) {
        let _ = Command::new("kill").arg("-TERM").arg(self.driver.id().to_string()).status();
        for _ in 0..50 {
            if matches!(self.driver.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(40));
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// The built site, or `None` (with a note) when the test was not started by `cargo xtask test`.
pub fn site() -> Option<PathBuf> {
    match std::env::var_os("EQLPLAY_SITE") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            eprintln!("browser tests need the built site: run them with `cargo xtask test`");
            None
        }
    }
}

impl Browser {
    /// Starts ChromeDriver and a fresh headless Chromium, and serves the site.
    pub async fn start() -> Option<Browser> {
        let site = site()?;
        // A test that failed while holding the turn poisons the lock; the next one may go on.
        let turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let server = devserver::serve(site, 0).expect("serve the site");
        let base = server.url();
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian package chromium-driver) must be installed");
        let profile = TempDir(std::env::temp_dir().join(format!("eqlplay-chromium-{port}")));
        let caps = serde_json::json!({
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1366,900",
                    format!("--user-data-dir={}", profile.0.display()),
                ]
            }
        });
        let caps = caps.as_object().cloned().unwrap_or_default();
        let url = format!("http://127.0.0.1:{port}");
        let mut last_error = String::new();
        for _ in 0..100 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector).capabilities(caps.clone()).connect(&url).await {
                Ok(client) => return Some(Browser { client, base, driver, _profile: profile, _turn: turn }),
                Err(e) => last_error = e.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("could not start Chromium through ChromeDriver: {last_error}");
    }

    /// ChromeDriver's process id (its Chromium processes are its descendants).
    pub fn driver_pid(&self) -> u32 {
        self.driver.id()
    }

    pub async fn open(&self, path: &str) {
        self.client.goto(&format!("{}{}", self.base, path.trim_start_matches('/'))).await.expect("open page");
    }

    /// Waits for an element by test id and returns its text (retrying while the page redraws it).
    pub async fn text(&self, test_id: &str) -> String {
        let css = format!("[data-testid='{test_id}']");
        let mut last = String::new();
        for _ in 0..200 {
            match self.client.find(Locator::Css(&css)).await {
                Ok(el) => match el.text().await {
                    Ok(text) => return text,
                    Err(e) => last = e.to_string(),
                },
                Err(e) => last = e.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no element with data-testid={test_id}: {last}");
    }

    pub async fn count(&self, test_id: &str) -> usize {
        self.client.find_all(Locator::Css(&format!("[data-testid='{test_id}']"))).await.expect("find").len()
    }

    /// Clicks the element matching `css`, retrying while the page redraws it.
    pub async fn click_css(&self, css: &str) {
        let mut last = String::new();
        for _ in 0..100 {
            match self.client.find(Locator::Css(css)).await {
                Ok(el) => match el.click().await {
                    Ok(()) => return,
                    Err(e) => last = e.to_string(),
                },
                Err(e) => last = e.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("cannot click {css}: {last}");
    }

    /// Clicks the element with a test id.
    pub async fn click(&self, test_id: &str) {
        self.click_css(&format!("[data-testid='{test_id}']")).await;
    }

    /// Replaces a textarea's content the way typing would (an `input` event follows).
    pub async fn set_text(&self, test_id: &str, value: &str) {
        let script = "const el = document.querySelector(`[data-testid='${arguments[0]}']`);
            el.value = arguments[1]; el.dispatchEvent(new Event('input', { bubbles: true }));";
        self.client.execute(script, vec![test_id.into(), value.into()]).await.expect("set text");
    }

    /// Polls until `f` holds, or fails after a timeout with `what`.
    pub async fn wait_until<F, Fut>(&self, what: &str, mut f: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        for _ in 0..100 {
            if f().await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("timed out waiting for: {what}");
    }

    /// From now on, a download the page starts is caught instead of saved: see [`Browser::download`].
    pub async fn catch_downloads(&self) {
        // Keep the Blob and stop the anchor from navigating.
        let script = "window.__downloads = [];
            const create = URL.createObjectURL.bind(URL);
            URL.createObjectURL = (blob) => { window.__blob = blob; return create(blob); };
            HTMLAnchorElement.prototype.click = function () {
                const entry = { href: this.href, name: this.download, type: window.__blob.type };
                window.__blob.text().then(t => { entry.text = t; window.__downloads.push(entry); });
            };
            return null";
        self.client.execute(script, vec![]).await.expect("catch downloads");
    }

    /// The first caught download: `{href, name, type, text}`.
    pub async fn download(&self) -> serde_json::Value {
        let mut last = serde_json::Value::Null;
        for _ in 0..100 {
            last = self.client.execute("return window.__downloads[0] || null", vec![]).await.expect("downloads");
            if !last.is_null() {
                return last;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no download was started: {last}");
    }

    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}
