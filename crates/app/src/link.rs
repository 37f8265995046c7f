//! The page's end of the worker: it holds the latest inputs, debounces edits, sends runs as
//! [`Sync`] decides, and turns answers into state actions, dropping stale ones. Once the page
//! has settled nothing is pending here: no timer, no message.

use crate::bridge::Bridge;
use crate::protocol::{Outcome, PackResult, PackView, Request, Response, RowFilter, RunSettings, Stamp, Tuning};
use crate::state::{Action, Rows, Shown};
use crate::sync::{Sync, Verdict};
use gloo::timers::callback::Timeout;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::JsValue;
use yew::Callback;

/// Typing pauses this long before the query runs again.
pub const DEBOUNCE_MS: u32 = 150;

/// Rows of the events table asked for at a time.
pub const ROWS_PER_WINDOW: usize = 80;

/// Where the events come from.
enum Events {
    /// The events box's text, as the JS string it holds (never copied into wasm memory whole).
    Text(JsValue),
    File(web_sys::File),
}

struct Inputs {
    query: String,
    settings: RunSettings,
    events: Events,
    /// The events box's latest text: what the events go back to when a file load is cancelled.
    text: JsValue,
    /// The `host.id` a converted Windows log's events get (empty: their computer name).
    host_id: String,
    tuning: Tuning,
    /// The rule pack loaded (its number), run with every run until it is closed.
    pack: Option<u32>,
}

/// The pack view the worker sent last, and the data version it is over.
#[derive(Default)]
struct KeptPackView(Option<(u32, Rc<PackView>)>);

impl KeptPackView {
    /// The pack view a run's results come with. A new one is kept even when its run's results
    /// are stale, as the worker sends each view once; `Unchanged` is the one kept.
    fn answer(&mut self, version: u32, pack: Option<PackResult>) -> Option<Rc<PackView>> {
        match pack? {
            PackResult::View(view) => {
                let view = Rc::new(view);
                self.0 = Some((version, view.clone()));
                Some(view)
            }
            PackResult::Unchanged => self.0.as_ref().filter(|(v, _)| *v == version).map(|(_, view)| view.clone()),
        }
    }
}

pub struct Link {
    bridge: Bridge,
    sync: RefCell<Sync>,
    inputs: RefCell<Inputs>,
    timer: RefCell<Option<Timeout>>,
    dispatch: Callback<Action>,
    /// What the state was last told (so it is told only of changes).
    settled: Cell<Option<bool>>,
    /// The stamp of the results on screen (exports of other runs are not saved).
    shown: Cell<Option<Stamp>>,
    /// The last rule pack's number.
    packs: Cell<u32>,
    pack_view: RefCell<KeptPackView>,
    me: Weak<Link>,
}

impl Link {
    pub fn new(dispatch: Callback<Action>, query: String, settings: RunSettings) -> Rc<Link> {
        Rc::new_cyclic(|me: &Weak<Link>| {
            let weak = me.clone();
            let bridge = Bridge::new(Callback::from(move |response| {
                if let Some(link) = weak.upgrade() {
                    link.answer(response);
                }
            }));
            Link {
                bridge,
                sync: RefCell::new(Sync::default()),
                inputs: RefCell::new(Inputs {
                    query,
                    settings,
                    events: Events::Text(JsValue::from_str("")),
                    text: JsValue::from_str(""),
                    host_id: String::new(),
                    tuning: Tuning::default(),
                    pack: None,
                }),
                timer: RefCell::new(None),
                dispatch,
                settled: Cell::new(None),
                shown: Cell::new(None),
                packs: Cell::new(0),
                pack_view: RefCell::default(),
                me: me.clone(),
            }
        })
    }

    pub fn set_query(&self, query: String) {
        self.inputs.borrow_mut().query = query;
        self.sync.borrow_mut().input_changed();
        self.debounce();
    }

    pub fn set_settings(&self, settings: RunSettings) {
        self.inputs.borrow_mut().settings = settings;
        self.sync.borrow_mut().input_changed();
        self.debounce();
    }

    /// A rule was loaded: its query and settings run at once.
    pub fn set_rule_inputs(&self, query: String, settings: RunSettings) {
        {
            let mut inputs = self.inputs.borrow_mut();
            inputs.query = query;
            inputs.settings = settings;
        }
        self.sync.borrow_mut().input_changed();
        self.flush();
    }

    /// The baseline, the exception items or the language of reasons changed: run at once.
    pub fn set_tuning(&self, tuning: Tuning) {
        if self.inputs.borrow().tuning == tuning {
            return;
        }
        self.inputs.borrow_mut().tuning = tuning;
        self.sync.borrow_mut().input_changed();
        self.flush();
    }

    /// The events box changed (typing, pasting): its text becomes the events after the debounce.
    pub fn set_text(&self, text: JsValue) {
        {
            let mut inputs = self.inputs.borrow_mut();
            inputs.events = Events::Text(text.clone());
            inputs.text = text;
        }
        self.sync.borrow_mut().events_changed();
        self.debounce();
    }

    /// New events from a button (a sample, a share link): used at once.
    pub fn replace_text(&self, text: JsValue) {
        self.set_text(text);
        self.flush();
    }

    /// A converted Windows log's `host.id` rule changed: an events file is read again with it.
    pub fn set_host_id(&self, host_id: String) {
        let reload = {
            let mut inputs = self.inputs.borrow_mut();
            inputs.host_id = host_id;
            matches!(inputs.events, Events::File(_))
        };
        if reload {
            self.sync.borrow_mut().events_changed();
            self.flush();
        }
    }

    pub fn load_file(&self, file: web_sys::File) {
        self.inputs.borrow_mut().events = Events::File(file);
        self.sync.borrow_mut().events_changed();
        self.flush();
    }

    /// Reads a rule pack (`files`: `[file, path]` pairs) and runs it with every run from now on;
    /// returns its number.
    pub fn load_pack(&self, files: &js_sys::Array) -> u32 {
        let pack = self.packs.get().wrapping_add(1);
        self.packs.set(pack);
        self.bridge.send(&Request::LoadPack { pack }, Some(files));
        self.inputs.borrow_mut().pack = Some(pack);
        self.sync.borrow_mut().input_changed();
        self.flush();
        pack
    }

    /// Stops running the pack (Cancel while it runs, or Close): the worker is replaced if it is
    /// busy, and is given the events again.
    pub fn close_pack(&self, busy: bool) {
        self.inputs.borrow_mut().pack = None;
        if busy {
            self.timer.borrow_mut().take();
            self.bridge.restart();
            self.sync.borrow_mut().worker_restarted();
        }
        self.sync.borrow_mut().input_changed();
        self.flush();
    }

    /// Opens rule `index` of `pack` as if it had been loaded alone (the worker's rule reader
    /// builds its checklists).
    pub fn open_pack_rule(&self, pack: u32, index: usize) {
        self.bridge.send(&Request::OpenPackRule { pack, index }, None);
    }

    /// Stops the worker's current work by replacing it. The events go back to the events box's
    /// text (a file being read is dropped); nothing runs until the next edit.
    pub fn cancel(&self) {
        self.timer.borrow_mut().take();
        self.bridge.restart();
        {
            let mut inputs = self.inputs.borrow_mut();
            inputs.events = Events::Text(inputs.text.clone());
            // The new worker holds no pack.
            inputs.pack = None;
        }
        self.sync.borrow_mut().cancelled();
        self.shown.set(None);
        self.dispatch.emit(Action::Cancelled);
        self.report();
    }

    pub fn rows(&self, start: usize, filter: RowFilter) {
        self.bridge.send(&Request::Rows { start, count: ROWS_PER_WINDOW, filter }, None);
    }

    pub fn explain(&self, event: usize) {
        self.bridge.send(&Request::Explain { event }, None);
    }

    /// Asks for the fields of the events (for completion), unless `help` describes them already.
    pub fn fields(&self, help: Option<&crate::protocol::FieldHelp>, category_field: &str) {
        let current = help.is_some_and(|h| h.version == self.sync.borrow().data_version() && h.category_field == category_field);
        if !current {
            self.bridge.send(&Request::Fields { category_field: category_field.to_string() }, None);
        }
    }

    /// Asks for a file made from the events (`_bulk` lines, the search body), to download.
    pub fn export_for(&self, request: Request) {
        self.bridge.send(&request, None);
    }

    /// Asks for the events as NDJSON (a converted Windows log), to download.
    pub fn export_events(&self) {
        self.bridge.send(&Request::ExportEvents, None);
    }

    pub fn export(&self) {
        self.bridge.send(&Request::ExportResults, None);
    }

    fn debounce(&self) {
        let me = self.me.clone();
        let timer = Timeout::new(DEBOUNCE_MS, move || {
            if let Some(link) = me.upgrade() {
                link.timer.borrow_mut().take();
                link.flush();
            }
        });
        // Replacing the timer cancels the previous one.
        *self.timer.borrow_mut() = Some(timer);
        self.report();
    }

    /// Sends what changed, unless a run is in flight (its answer flushes again).
    fn flush(&self) {
        self.timer.borrow_mut().take();
        let Some(flush) = self.sync.borrow_mut().flush() else {
            self.report();
            return;
        };
        let inputs = self.inputs.borrow();
        if let Some(version) = flush.data {
            match &inputs.events {
                Events::Text(text) => {
                    self.bridge.send(&Request::SetText { version }, Some(text));
                    // Only text small enough for a share link is copied into the page's memory.
                    let len = js_sys::JsString::from(text.clone()).length() as usize;
                    let kept = (len <= crate::share::MAX_SHARED_EVENTS).then(|| text.as_string()).flatten();
                    self.dispatch.emit(Action::EventsText(kept.map(Into::into)));
                }
                Events::File(file) => {
                    let request =
                        Request::LoadFile { version, name: file.name(), size: file.size() as u64, host_id: inputs.host_id.clone() };
                    self.bridge.send(&request, Some(&JsValue::from(file.clone())));
                    self.dispatch.emit(Action::EventsText(None));
                    self.dispatch.emit(Action::Progress(Some((0, file.size() as u64))));
                }
            }
        }
        let request = Request::Run {
            generation: flush.generation,
            query: inputs.query.clone(),
            settings: inputs.settings.clone(),
            tuning: inputs.tuning.clone(),
            pack: inputs.pack,
        };
        self.bridge.send(&request, None);
        drop(inputs);
        self.report();
    }

    fn answer(&self, response: Response) {
        match response {
            Response::Progress { version, loaded, total } => {
                if version == self.sync.borrow().data_version() {
                    self.dispatch.emit(Action::Progress(Some((loaded, total))));
                }
            }
            Response::Results { stamp, outcome, pack } => {
                let pack = self.pack_view.borrow_mut().answer(stamp.version, pack);
                let verdict = self.sync.borrow_mut().results(stamp.generation, stamp.version);
                if verdict == Verdict::Show {
                    self.shown.set(Some(stamp));
                    self.dispatch.emit(Action::Show(Shown { stamp, outcome: Rc::new(outcome), pack }));
                }
                self.after_answer();
            }
            Response::PackProgress { pack, done, total } => {
                if self.inputs.borrow().pack == Some(pack) {
                    self.dispatch.emit(Action::PackProgress(pack, done, total));
                }
            }
            Response::PackRule { pack, bundle, exceptions } => {
                if self.inputs.borrow().pack != Some(pack) {
                    return;
                }
                match rules::RuleBundle::from_answer(&bundle) {
                    Ok(bundle) => {
                        let (query, settings) = crate::state::State::rule_inputs(&bundle.rule, &self.inputs.borrow().settings);
                        self.set_rule_inputs(query, settings);
                        self.dispatch.emit(Action::Rule(Some(Rc::new(bundle))));
                        // As a rule export that carries its lists brings them (the rule picker).
                        let items = rules::exceptions::parse(&exceptions).0;
                        if !items.is_empty() {
                            let items = items.iter().map(crate::state::Exception::new).collect();
                            self.dispatch.emit(Action::Exceptions(crate::state::ExceptionEdit::Add(items, Vec::new())));
                        }
                        self.dispatch.emit(Action::Tab(crate::state::Tab::Results));
                    }
                    Err(message) => self.dispatch.emit(Action::Failed(message)),
                }
            }
            Response::Rows { stamp, start, filter, total, rows } => {
                self.dispatch.emit(Action::Rows(Rows { stamp, filter, start, total, rows }));
            }
            Response::Explained { stamp, view } => self.dispatch.emit(Action::Explained(stamp, view)),
            Response::Exported { stamp, ndjson } => {
                if Some(stamp) != self.shown.get() {
                    self.dispatch.emit(Action::Notice("results_changed"));
                } else if crate::download::text_file("eql-results.ndjson", "application/x-ndjson", &ndjson).is_err() {
                    self.dispatch.emit(Action::Notice("save_failed"));
                }
            }
            Response::Converted { version, note } => {
                if version == self.sync.borrow().data_version() {
                    self.dispatch.emit(Action::Converted(note));
                }
            }
            Response::ExportedEvents { version, ndjson } => {
                if version != self.sync.borrow().data_version() {
                    self.dispatch.emit(Action::Notice("events_changed"));
                } else if crate::download::text_file("events-ecs.ndjson", "application/x-ndjson", &ndjson).is_err() {
                    self.dispatch.emit(Action::Notice("save_failed"));
                }
            }
            Response::Download { version, name, mime, text } => {
                if version != self.sync.borrow().data_version() {
                    self.dispatch.emit(Action::Notice("events_changed"));
                } else if crate::download::text_file(&name, &mime, &text).is_err() {
                    self.dispatch.emit(Action::Notice("save_failed"));
                }
            }
            Response::Fields(help) => {
                if help.version == self.sync.borrow().data_version() {
                    self.dispatch.emit(Action::FieldHelp(help));
                }
            }
            Response::Failed { stamp, message } => {
                let current = {
                    let mut sync = self.sync.borrow_mut();
                    let run = stamp.generation != 0 && stamp.generation == sync.generation();
                    if run {
                        sync.run_ended(stamp.generation);
                    }
                    let data = stamp.generation == 0 && stamp.version == sync.data_version();
                    run || data || stamp == Stamp::default()
                };
                if current {
                    self.dispatch.emit(Action::Failed(message));
                }
                self.after_answer();
            }
        }
    }

    /// A run ended: edits made meanwhile go out now if their debounce is over.
    fn after_answer(&self) {
        let waiting = self.timer.borrow().is_some();
        if !waiting && self.sync.borrow().wants_flush() {
            self.flush();
        } else {
            self.report();
        }
    }

    /// Tells the state whether the page is settled, when that changed.
    fn report(&self) {
        let settled = self.sync.borrow().settled();
        if self.settled.replace(Some(settled)) != Some(settled) {
            self.dispatch.emit(Action::Settled(settled));
        }
    }
}

/// Whether an outcome has results to list in the events table.
pub fn has_rows(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Ran { .. })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pack_view_is_sent_once_and_reused_while_the_events_are_the_same() {
        let mut kept = KeptPackView::default();
        let view = |pack| PackView { pack, alert_total: 5000, ..PackView::default() };
        assert!(kept.answer(1, Some(PackResult::Unchanged)).is_none(), "nothing kept yet");
        let first = kept.answer(1, Some(PackResult::View(view(3)))).expect("the view");
        let again = kept.answer(1, Some(PackResult::Unchanged)).expect("the kept view");
        assert!(Rc::ptr_eq(&first, &again), "the same view, not a copy");
        assert!(kept.answer(1, None).is_none(), "no pack in this run");
        assert!(kept.answer(2, Some(PackResult::Unchanged)).is_none(), "a view over other events is not shown");
        assert_eq!(kept.answer(2, Some(PackResult::View(view(4)))).map(|v| v.pack), Some(4));
    }
}
