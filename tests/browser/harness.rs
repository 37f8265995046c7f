//! A real headless Chromium, driven through ChromeDriver, on the built site served from
//! loopback. `cargo xtask test` builds the site and names it in `EQLPLAY_SITE`.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Browser {
    pub client: Client,
    pub base: String,
    server: devserver::Server,
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

/// The built site that `cargo xtask test` names. Without it the browser tests are ignored at
/// build time (see `build.rs`); a named site that is missing fails them.
pub fn site() -> PathBuf {
    let dir = PathBuf::from(std::env::var_os("EQLPLAY_SITE").expect("EQLPLAY_SITE names the built site: run `cargo xtask test`"));
    assert!(dir.join("index.html").is_file(), "no built site at {} (EQLPLAY_SITE)", dir.display());
    dir
}

impl Browser {
    /// Starts ChromeDriver and a fresh headless Chromium, and serves the site.
    pub async fn start() -> Browser {
        let site = site();
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
                Ok(client) => return Browser { client, base, server, driver, _profile: profile, _turn: turn },
                Err(e) => last_error = e.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("could not start Chromium through ChromeDriver: {last_error}");
    }

    /// How many requests the site's server answered for paths ending in `suffix`.
    pub fn server_requests(&self, suffix: &str) -> usize {
        self.server.requests().iter().filter(|p| p.split('?').next().is_some_and(|p| p.ends_with(suffix))).count()
    }

    /// ChromeDriver's process id (its Chromium processes are its descendants).
    pub fn driver_pid(&self) -> u32 {
        self.driver.id()
    }

    pub async fn open(&self, path: &str) {
        self.client.goto(&format!("{}{}", self.base, path.trim_start_matches('/'))).await.expect("open page");
        // Pastes go through the clipboard, as a person's do.
        let origin = self.base.trim_end_matches('/');
        let permissions = ["clipboardReadWrite", "clipboardSanitizedWrite"];
        self.cdp("Browser.grantPermissions", serde_json::json!({ "permissions": permissions, "origin": origin })).await;
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

    /// Focuses the element with a test id by clicking it, as a person would — again if the
    /// first click landed while the page was re-rendering (as a person clicks again).
    pub async fn focus(&self, test_id: &str) -> fantoccini::elements::Element {
        let css = format!("[data-testid='{test_id}']");
        for _ in 0..20 {
            self.click_css(&css).await;
            let el = self.client.find(Locator::Css(&css)).await.expect("the clicked element");
            let focused = self
                .client
                .execute("return document.activeElement === arguments[0]", vec![serde_json::to_value(&el).expect("element")])
                .await
                .is_ok_and(|v| v == serde_json::Value::Bool(true));
            if focused {
                return el;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("clicking {test_id} did not focus it");
    }

    /// Presses a key chord (modifiers held down while `key` is pressed), through WebDriver's
    /// input actions: real key events, as from a keyboard.
    pub async fn chord(&self, modifiers: &[Key], key: char) {
        let mut keys = KeyActions::new("keyboard".into());
        for m in modifiers {
            keys = keys.then(KeyAction::Down { value: char::from(*m) });
        }
        keys = keys.then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
        for m in modifiers.iter().rev() {
            keys = keys.then(KeyAction::Up { value: char::from(*m) });
        }
        self.client.perform_actions(keys).await.expect("key actions");
        self.client.release_actions().await.expect("release keys");
    }

    /// Replaces the content of a text box with a paste: the text goes on the clipboard (as if
    /// copied elsewhere), then click into the box, select all (Ctrl+A) and paste (Ctrl+V) — one
    /// `input` event of type `insertFromPaste`, as when a person pastes.
    pub async fn paste(&self, test_id: &str, text: &str) {
        self.copy(text).await;
        self.paste_copied(test_id).await;
    }

    /// Puts text on the clipboard, as if the user had copied it elsewhere.
    pub async fn copy(&self, text: &str) {
        let copied = self
            .client
            .execute_async(
                "const [text, done] = arguments; navigator.clipboard.writeText(text).then(() => done(null), e => done(String(e)))",
                vec![text.into()],
            )
            .await
            .expect("copy to the clipboard");
        assert!(copied.is_null(), "the clipboard refused the text: {copied}");
    }

    /// Click into a text box, select all (Ctrl+A) and paste (Ctrl+V) what was copied.
    pub async fn paste_copied(&self, test_id: &str) {
        self.focus(test_id).await;
        self.chord(&[Key::Control], 'a').await;
        // Chromium binds Ctrl+V to its paste command in the renderer.
        let key = |kind: &str| serde_json::json!({ "type": kind, "modifiers": 2, "key": "v", "code": "KeyV",
            "windowsVirtualKeyCode": 86, "commands": if kind == "keyDown" { vec!["paste"] } else { vec![] } });
        self.cdp("Input.dispatchKeyEvent", key("keyDown")).await;
        self.cdp("Input.dispatchKeyEvent", key("keyUp")).await;
    }

    /// Replaces the content of a text box by typing it, key by key (select all, then type).
    pub async fn retype(&self, test_id: &str, text: &str) {
        let el = self.focus(test_id).await;
        self.chord(&[Key::Control], 'a').await;
        if text.is_empty() {
            el.send_keys(&char::from(Key::Backspace).to_string()).await.expect("delete");
        } else {
            el.send_keys(text).await.expect("type");
        }
    }

    /// Types at the end of a text box's content (Ctrl+End, then the keys).
    pub async fn type_at_end(&self, test_id: &str, keys: &str) {
        let el = self.focus(test_id).await;
        self.chord(&[Key::Control], char::from(Key::End)).await;
        el.send_keys(keys).await.expect("type");
    }

    /// A Chrome DevTools Protocol command on the page, through ChromeDriver.
    pub async fn cdp(&self, cmd: &'static str, params: serde_json::Value) -> serde_json::Value {
        self.client.issue_cmd(Cdp { cmd, params }).await.unwrap_or_else(|e| panic!("CDP {cmd}: {e}"))
    }

    /// From the next page load on, counts what the page does while nobody acts: messages between
    /// page and worker, timer and animation-frame callbacks, and DOM mutations (`window.__probe`).
    pub async fn install_probe(&self) {
        self.cdp("Page.enable", serde_json::json!({})).await;
        self.cdp("Page.addScriptToEvaluateOnNewDocument", serde_json::json!({ "source": PROBE })).await;
    }

    /// The probe's counters (see [`Browser::install_probe`]).
    pub async fn probe(&self) -> Probe {
        let v = self.client.execute("return window.__probe", vec![]).await.expect("probe");
        serde_json::from_value(v).expect("the probe is installed")
    }

    /// The renderer's script time so far, in seconds (CDP `Performance.getMetrics`).
    pub async fn script_seconds(&self) -> f64 {
        self.cdp("Performance.enable", serde_json::json!({})).await;
        let metrics = self.cdp("Performance.getMetrics", serde_json::json!({})).await;
        metrics["metrics"]
            .as_array()
            .and_then(|m| m.iter().find(|m| m["name"] == "ScriptDuration"))
            .and_then(|m| m["value"].as_f64())
            .expect("ScriptDuration")
    }

    /// What a script returns, as `T` (a script that fails, or returns another shape, fails the test).
    pub async fn eval<T: serde::de::DeserializeOwned>(&self, script: &str) -> T {
        let value = self.client.execute(script, vec![]).await.unwrap_or_else(|e| panic!("{script}: {e}"));
        serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{script} returned {value}: {e}"))
    }

    /// A form element's current value (read, never written).
    pub async fn value(&self, test_id: &str) -> String {
        self.eval(&format!("return document.querySelector(\"[data-testid='{test_id}']\").value")).await
    }

    /// The results region's `aria-busy`: "false" once the page shows the result of its inputs
    /// ("" before the page has drawn it).
    pub async fn busy(&self) -> String {
        self.eval("const r = document.querySelector(\"[data-testid='results']\"); return r ? r.getAttribute('aria-busy') || '' : ''")
            .await
    }

    /// Waits until the page shows the result of its latest inputs.
    pub async fn settled(&self) {
        self.wait_until("the page to settle (aria-busy=false)", || async { self.busy().await == "false" }).await;
    }

    /// Polls until `f` holds, or fails after a timeout with `what`.
    pub async fn wait_until<F, Fut>(&self, what: &str, f: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        self.wait_for(what, Duration::from_secs(10), f).await
    }

    /// [`wait_until`](Browser::wait_until) for work that takes longer (a rule pack).
    pub async fn wait_for<F, Fut>(&self, what: &str, timeout: Duration, mut f: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        for _ in 0..timeout.as_millis().div_ceil(100) {
            if f().await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // What the page showed (its end, where the results and the Learn tab are), to tell why.
        let shown: String = self.client.execute("return document.body.innerText.slice(-4000)", vec![]).await.ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
        panic!("timed out waiting for: {what}\n--- the page showed ---\n{shown}");
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

/// ChromeDriver's endpoint for DevTools Protocol commands on the current page.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: serde_json::Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(serde_json::json!({ "cmd": self.cmd, "params": self.params }).to_string()))
    }
}

/// What the page did, as counted by [`PROBE`].
#[derive(Clone, Copy, Debug, Default, serde::Deserialize)]
pub struct Probe {
    pub sent: u64,
    pub received: u64,
    pub timers: u64,
    pub frames: u64,
    pub mutations: u64,
}

impl std::ops::Sub for Probe {
    type Output = Probe;
    fn sub(self, o: Probe) -> Probe {
        Probe {
            sent: self.sent - o.sent,
            received: self.received - o.received,
            timers: self.timers - o.timers,
            frames: self.frames - o.frames,
            mutations: self.mutations - o.mutations,
        }
    }
}

/// Runs before the page's own scripts: wraps `Worker`, the timer functions and
/// `requestAnimationFrame`, and observes the DOM, counting each.
const PROBE: &str = r#"(() => {
  const probe = { sent: 0, received: 0, timers: 0, frames: 0, mutations: 0 };
  window.__probe = probe;
  const PageWorker = window.Worker;
  window.Worker = class extends PageWorker {
    constructor(...args) { super(...args); this.addEventListener('message', () => probe.received++); }
    postMessage(...args) { probe.sent++; return super.postMessage(...args); }
  };
  const counted = (f) => typeof f === 'function' ? function (...a) { probe.timers++; return f.apply(this, a); } : f;
  const setTimeout = window.setTimeout, setInterval = window.setInterval, raf = window.requestAnimationFrame;
  window.setTimeout = function (f, ...rest) { return setTimeout.call(window, counted(f), ...rest); };
  window.setInterval = function (f, ...rest) { return setInterval.call(window, counted(f), ...rest); };
  window.requestAnimationFrame = function (f) { return raf.call(window, (t) => { probe.frames++; return f(t); }); };
  new MutationObserver((list) => { probe.mutations += list.length; })
    .observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})();"#;
