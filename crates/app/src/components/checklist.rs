//! The triage checklist stepper for the loaded rule. (To be completed.)

use crate::i18n::{tr, Lang};
use rules::report::AlertSummary;
use rules::Rule;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChecklistProps {
    pub rule: Rc<Rule>,
    /// The alert being triaged, when opened from a result.
    pub alert: Option<AlertSummary>,
}

#[function_component(ChecklistView)]
pub fn checklist_view(props: &ChecklistProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    let _ = &props.alert;
    html! { <div class="checklist"><h2>{ tr(lang, "checklist") }</h2></div> }
}
