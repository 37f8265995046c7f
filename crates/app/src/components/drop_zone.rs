//! A region files can be dropped on: the three drag handlers and whether something is being
//! dragged over it (to draw it highlighted).

use web_sys::{DataTransfer, DragEvent};
use yew::prelude::*;

pub struct DropZone {
    pub dragging: bool,
    pub ondrop: Callback<DragEvent>,
    pub ondragover: Callback<DragEvent>,
    pub ondragleave: Callback<DragEvent>,
}

/// `on_drop` gets what was dropped (during the event: its items are gone after it).
#[hook]
pub fn use_drop_zone(on_drop: Callback<DataTransfer>) -> DropZone {
    let dragging = use_state(|| false);
    let ondrop = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(dropped) = e.data_transfer() {
                on_drop.emit(dropped);
            }
        })
    };
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    DropZone { dragging: *dragging, ondrop, ondragover, ondragleave }
}
