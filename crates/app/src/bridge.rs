//! The page's side of the worker: start it, send requests, receive responses, and restart it
//! to cancel long work.

use crate::protocol::{self, Request, Response, Stamp};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::Callback;

pub struct Bridge {
    worker: RefCell<Option<Worker>>,
    on_response: Callback<Response>,
    handler: RefCell<Option<Closure<dyn FnMut(MessageEvent)>>>,
}

impl Bridge {
    pub fn new(on_response: Callback<Response>) -> Bridge {
        let bridge = Bridge { worker: RefCell::new(None), on_response, handler: RefCell::new(None) };
        bridge.start();
        bridge
    }

    fn start(&self) {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = match Worker::new_with_options("web/worker.js", &options) {
            Ok(w) => w,
            Err(e) => {
                self.on_response.emit(Response::Failed { stamp: Stamp::default(), message: format!("cannot start the worker: {e:?}") });
                return;
            }
        };
        let on_response = self.on_response.clone();
        let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let bytes = js_sys::Uint8Array::new(&event.data()).to_vec();
            match protocol::decode::<Response>(&bytes, "worker") {
                Ok(response) => on_response.emit(response),
                Err(message) => on_response.emit(Response::Failed { stamp: Stamp::default(), message }),
            }
        });
        worker.set_onmessage(Some(handler.as_ref().unchecked_ref()));
        // The worker runs this very module: hand it over compiled, so it is fetched and compiled
        // once (see web/worker.js).
        if let Err(e) = worker.post_message(&wasm_bindgen::module()) {
            self.on_response.emit(Response::Failed { stamp: Stamp::default(), message: format!("cannot start the worker: {e:?}") });
        }
        *self.handler.borrow_mut() = Some(handler);
        *self.worker.borrow_mut() = Some(worker);
    }

    pub fn send(&self, request: &Request, attachment: Option<&JsValue>) {
        let bytes = js_sys::Uint8Array::from(&protocol::encode(request)[..]);
        if let Some(worker) = self.worker.borrow().as_ref() {
            let message = js_sys::Array::of2(&bytes, attachment.unwrap_or(&JsValue::NULL));
            if let Err(e) = worker.post_message(&message) {
                self.on_response.emit(Response::Failed { stamp: Stamp::default(), message: format!("cannot reach the worker: {e:?}") });
            }
        }
    }

    /// Stops whatever the worker is doing by replacing it; its data is gone.
    pub fn restart(&self) {
        if let Some(worker) = self.worker.borrow_mut().take() {
            worker.terminate();
        }
        self.start();
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        if let Some(worker) = self.worker.borrow_mut().take() {
            worker.terminate();
        }
    }
}
